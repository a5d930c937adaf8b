"""`pathcraft feedback ...` as a user would run it (through click's runner)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from django.core import mail

from pathcraft.errors import InputError
from pathcraft.feedback import actions
from pathcraft.feedback.cli import feedback
from pathcraft.feedback.models import FeedbackRequest
from pathcraft.feedback.tests.conftest import tokens_in_outbox

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(feedback, list(args), standalone_mode=False, catch_exceptions=True)


def test_request_status_remind_close(org):
    start = len(mail.outbox)
    result = run("request", "--subject", org["dev"].email, "--to", "a@x.test", "--to", "b@x.test", "--to",
                 org["ann"].email, "--due", "2099-01-31", "--activity", "coding")  # fmt: skip
    assert result.exception is None, result.output
    req = FeedbackRequest.objects.get()
    assert (f"Request {req.pk} for Dee Dev: 1 invitations sent, due 2099-01-31; 2 outside address(es) wait "
            "for approval") in result.output  # fmt: skip
    listed = run("approvals", "--as", org["lead"].email).output
    assert "a@x.test" in listed and "b@x.test" in listed
    pending = req.invites.filter(approval="pending").order_by("email")
    approved = run("approvals", "--as", org["lead"].email, *[f"--approve={i.pk}" for i in pending])
    assert approved.exception is None and "a@x.test: approved, link sent" in approved.output
    tokens = tokens_in_outbox(start)
    for i, token in enumerate(list(tokens.values())[:2]):
        actions.submit_answer(token, {"ratings": {"coding": 2 + i}, "texts": {"does_well": "secret words"}})
    status = json.loads(run("status", "--subject", org["dev"].email, "--json").output)
    assert status[0]["progress"]["answered"] == 0 and status[0]["results"]["visible"] is False
    assert "secret words" not in json.dumps(status)
    assert "no results yet" in run("status", "--subject", org["dev"].email).output
    assert "Reminders sent to everyone who has not answered yet." in run("remind").output
    assert f"Request {req.pk} closed." in run("close", str(req.pk)).output


@pytest.mark.parametrize("args,message", [
    (["request", "--subject", "nobody@x.test", "--to", "a@x.test"], "no person with the email nobody@x.test"),
    (["request", "--subject", "dee.dev@acme.test", "--to", "a@x.test", "--to", "b@x.test", "--to", "c@x.test",
      "--k", "2"], "k must be at least 3"),
    (["request", "--subject", "dee.dev@acme.test", "--to", "a@x.test", "--due", "tomorrow"], "--due must be a date"),
    (["close", "999"], "no feedback request 999"),
    (["status", "--subject", "dee.dev@acme.test", "--as", "dan.dev@acme.test"], "Dan Dev may not see Dee Dev's"),
])  # fmt: skip
def test_cli_errors_are_one_clear_line(org, args, message):
    result = run(*args)
    assert isinstance(result.exception, InputError) and message in str(result.exception)


def test_status_as_manager_shows_only_the_shared_subset(org, asked):
    req, tokens = asked
    for name in ("ann", "ben", "cat"):
        actions.submit_answer(tokens[org[name].email], {"ratings": {"coding": 4, "design": 3},
                                                        "texts": {"stop": "private"}})  # fmt: skip
    result = run("status", "--subject", org["dev"].email, "--as", org["lead"].email)
    assert isinstance(result.exception, InputError)  # no consent yet
    actions.set_manager_consent(org["dev"], True)
    actions.set_share_choice(req, activities=["design"])
    data = json.loads(
        run("status", "--subject", org["dev"].email, "--as", org["lead"].email, "--json").output
    )
    assert [a["key"] for a in data[0]["results"]["activities"]] == ["design"] and data[0]["results"][
        "texts"
    ] == {}
