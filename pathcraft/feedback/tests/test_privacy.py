"""An administrator tries every door: admin UI, API, export and logs never show an answer's text."""

from __future__ import annotations

import json
import logging
import secrets

import pytest
from click.testing import CliRunner
from django.urls import reverse

from pathcraft.feedback import actions
from pathcraft.feedback.models import Answer
from pathcraft.feedback.results import current_release
from pathcraft.feedback.tests.conftest import login
from pathcraft.ops.backup import _unseal, export_backup, write_backup
from pathcraft.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SECRET = "canary-" + secrets.token_hex(8)


@pytest.fixture
def answered(org, asked):
    req, tokens = asked
    for i, name in enumerate(("ann", "ben", "cat", "dov")):
        actions.submit_answer(
            tokens[org[name].email],
            {
                "ratings": {"coding": 2 + i},
                "texts": {"does_well": f"{SECRET} from answer {i}", "stop": "nothing"},
            },
        )
    return req


def _admin_pages(req):
    return [
        "/admin/",
        "/admin/feedback/",
        "/admin/feedback/feedbackrequest/",
        f"/admin/feedback/feedbackrequest/{req.pk}/change/",
        "/admin/feedback/teamcycle/",
        reverse("feedback:detail", args=[req.pk]),
        reverse("feedback:calibration", args=[req.pk]),
        reverse("feedback:share", args=[req.pk]),
        reverse("feedback:respondents", args=[req.pk]),
        reverse("person-detail", args=[req.subject.pk]),
    ]


def test_admin_ui_shows_counts_and_never_an_answer(client, org, answered):
    assert client.login(username="root", password=PASSWORD)
    seen = {}
    for url in _admin_pages(answered):
        response = client.get(url)
        seen[url] = response.status_code
        assert SECRET not in response.content.decode(), url
    assert seen["/admin/feedback/feedbackrequest/"] == 200
    assert seen[reverse("feedback:detail", args=[answered.pk])] == 403
    changelist = client.get("/admin/feedback/feedbackrequest/").content.decode()
    assert "Dee Dev" in changelist and '<td class="field-answered">3</td>' in changelist
    for hidden in ("/admin/feedback/answer/", "/admin/feedback/invite/"):  # not registered at all
        assert client.get(hidden).status_code == 404


def test_admin_api_is_refused(client, org, answered):
    assert client.login(username="root", password=PASSWORD)
    urls = [
        "/api/feedback/requests",
        f"/api/feedback/requests/{answered.pk}",
        f"/api/feedback/requests/{answered.pk}/calibration",
        f"/api/feedback/requests/{answered.pk}/respondents",
        "/api/feedback/cycles",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert SECRET not in response.content.decode()
    response = client.post(f"/api/feedback/requests/{answered.pk}/close", content_type="application/json")
    assert response.status_code == 403 and not answered.__class__.objects.get().closed_at


def test_api_responses_of_the_subject_hold_aggregates_only(client, org, answered):
    login(client, org["dev"])
    data = client.get(f"/api/feedback/requests/{answered.pk}").json()
    assert (
        data["results"]["included"] == 3 and data["progress"]["answered"] == 3
    )  # 4 answered: moves by batch
    assert "held_back" not in data["results"] and "received" not in data["results"]
    assert sum(SECRET in t for t in data["results"]["texts"]["does_well"]) == 3  # released texts, no more
    assert set(data["results"]["activities"][0]) == {"key", "status", "n", "mean", "spread"}


def test_export_file_holds_no_answer_in_clear_and_restores_it(org, answered, tmp_path):
    path = tmp_path / "backup.json"
    write_backup(path)
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text
    document = json.loads(text)
    rows = [o for o in document["objects"] if o["model"] == "feedback.answer"]
    assert len(rows) == 4 and all("sealed" in r["fields"]["texts"] for r in rows)
    assert all("invite" not in r["fields"] for r in rows)
    # The installation itself can restore the content.
    restored = [_unseal(Answer, r)["fields"]["texts"]["does_well"] for r in export_backup()["objects"]
                if r["model"] == "feedback.answer"]  # fmt: skip
    assert sorted(restored) == sorted(f"{SECRET} from answer {i}" for i in range(4))


def test_export_command_output_has_no_answer(org, answered, tmp_path):
    from pathcraft.ops.cli import export_cmd

    path = tmp_path / "export.json"
    result = CliRunner().invoke(export_cmd, [str(path)])
    assert result.exit_code == 0, result.output
    assert SECRET not in path.read_text(encoding="utf-8") and SECRET not in result.output


def test_logs_never_hold_answers_or_links(client, org, asked, caplog):
    req, tokens = asked
    caplog.set_level(logging.DEBUG)
    token = tokens[org["ann"].email]
    client.post(reverse("feedback:answer", args=[token]), {"text_does_well": SECRET, "rating_coding": "4"})
    assert Answer.objects.count() == 1
    logged = "\n".join(str(r.msg) + str(getattr(r, "args", "")) for r in caplog.records)
    assert SECRET not in logged and token not in logged
    assert "request_id" not in "".join(str(r.msg) for r in caplog.records if "answer_stored" in str(r.msg))


@pytest.mark.django_db(transaction=True)
def test_backup_round_trip_restores_sealed_answers(org, answered, tmp_path):
    """Sealing encrypts with a random IV, so two exports differ byte for byte; unsealed, they are equal."""
    from django.apps import apps

    from pathcraft.ops.backup import backed_up_models, read_backup, restore_backup

    def unsealed(document):
        rows = [_unseal(apps.get_model(o["model"]), json.loads(json.dumps(o))) for o in document["objects"]]
        return sorted(json.dumps(r, sort_keys=True) for r in rows)

    path = tmp_path / "b.json"
    write_backup(path)
    before = read_backup(path)
    for model in reversed(backed_up_models()):
        model._default_manager.all().delete()
    restore_backup(read_backup(path))
    assert unsealed(export_backup()) == unsealed(before)
    assert sorted(a.texts["does_well"] for a in Answer.objects.all())[0].startswith(SECRET)
    rel = current_release(answered)
    assert rel.included == 3 and rel.held_back == 1  # the stored release state came back with the answers
