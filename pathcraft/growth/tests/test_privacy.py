"""Trying to break privacy: a unique token in a manager's private note must show up only in the author's own
view and export and in the logged legal export; mood only for the pair; a manager change waits for consent."""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets

import pytest
from click.testing import CliRunner
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.growth.cli import growth
from pathcraft.growth.emails import reminders
from pathcraft.growth.exports import export_for, legal_export
from pathcraft.growth.models import ActionItem, Note
from pathcraft.growth.tests.db import login
from pathcraft.ops.backup import export_backup
from pathcraft.people.permissions import set_share
from pathcraft.people.tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

TOKEN = "private-canary-" + secrets.token_hex(8)


@pytest.fixture
def noted(org):
    rel = org["rel"]
    actions.add_note(rel, org["lead"], f"{TOKEN} about the team", Note.PRIVATE, "motivation")
    actions.add_note(rel, org["lead"], "shared-visible-text", Note.SHARED)
    actions.add_note(rel, org["dev"], "for-the-skip-level", Note.SKIP)
    actions.add_check_in(rel, org["dev"], 2)
    # The skip-level gets the report's GROWTH consent: the strongest case for a leak.
    set_share(org["dev"], "growth", "skip", True)
    return org


def _as(client, org, who):
    client.logout()
    if who == "admin":
        assert client.login(username="root", password=PASSWORD)
    else:
        login(client, org[who])
    return client


def _surfaces(org):
    rel, dev = org["rel"], org["dev"]
    return [
        reverse("growth:index"), reverse("growth:one-on-one", args=[rel.pk]), reverse("growth:person", args=[dev.pk]),
        reverse("growth:dashboard"), reverse("person-detail", args=[dev.pk]), "/admin/", "/admin/growth/",
        "/api/growth/relationships", f"/api/growth/relationships/{rel.pk}", "/api/growth/export",
        f"/api/growth/people/{dev.pk}/growth", "/api/growth/rollup", "/api/growth/dashboard",
    ]  # fmt: skip


@pytest.mark.parametrize("who", ["dev", "boss", "admin", "dev2"])
def test_private_note_is_in_no_page_or_api_response_of_anyone_else(client, noted, who):
    _as(client, noted, who)
    for url in _surfaces(noted):
        response = client.get(url)
        assert TOKEN not in response.content.decode(), (who, url)


def test_the_author_sees_their_own_private_note(client, noted):
    _as(client, noted, "lead")
    assert TOKEN in client.get(reverse("growth:one-on-one", args=[noted["rel"].pk])).content.decode()
    assert TOKEN in client.get(f"/api/growth/relationships/{noted['rel'].pk}").content.decode()
    assert TOKEN in client.get("/api/growth/export").content.decode()


def test_skip_level_sees_only_what_the_report_scoped_for_them(client, noted):
    html = _as(client, noted, "boss").get(reverse("growth:person", args=[noted["dev"].pk])).content.decode()
    assert "for-the-skip-level" in html and "shared-visible-text" not in html
    set_share(noted["dev"], "growth", "skip", False)  # consent withdrawn: nothing at all
    assert client.get(reverse("growth:person", args=[noted["dev"].pk])).status_code == 403


def test_exports_hold_the_token_only_for_the_author(noted):
    assert TOKEN in json.dumps(export_for(noted["lead"]))
    for who in ("dev", "boss", "dev2", "lead2"):
        assert TOKEN not in json.dumps(export_for(noted[who])), who
    assert "for-the-skip-level" in json.dumps(export_for(noted["boss"]))


def test_legal_export_is_logged_and_holds_only_the_subjects_own_private_notes(noted, caplog):
    with caplog.at_level(logging.INFO, logger="pathcraft.growth"):
        for_lead = legal_export(noted["lead"], "root")
    assert TOKEN in json.dumps(for_lead)
    assert TOKEN not in json.dumps(legal_export(noted["dev"], "root"))
    lines = [r for r in caplog.records if "legal_export" in r.getMessage()]
    assert lines and "root" in lines[0].getMessage() and TOKEN not in caplog.text


def test_cli_export_and_dsar(noted, tmp_path):
    runner = CliRunner()
    out = tmp_path / "dev.json"
    result = runner.invoke(growth, ["export", "--person", noted["dev"].email, str(out)])
    assert result.exit_code == 0, result.output
    assert "shared-visible-text" in out.read_text() and TOKEN not in out.read_text()
    legal = tmp_path / "lead.json"
    result = runner.invoke(growth, ["dsar", "--person", noted["lead"].email, "--by", "root", str(legal)])
    assert result.exit_code == 0, result.output
    assert TOKEN in legal.read_text() and "requested_by" in legal.read_text()
    refused = runner.invoke(
        growth, ["dsar", "--person", noted["lead"].email, "--by", noted["dev"].email, str(legal)]
    )
    assert refused.exit_code != 0 and "administrator" in str(refused.exception or refused.output)


def test_reminder_emails_never_carry_note_text(noted):
    rel = noted["rel"]
    actions.add_action_item(rel, noted["lead"], noted["dev"], "send the doc", timezone.localdate())
    nxt = actions.next_occurrence(rel)
    messages = reminders(nxt.start - dt.timedelta(hours=2)) + reminders(nxt.start + dt.timedelta(weeks=5))
    assert messages, "some reminders were due"
    for m in messages:
        assert (
            TOKEN not in m.body and "shared-visible-text" not in m.body and "for-the-skip-level" not in m.body
        )
        assert set(m.to) <= {noted["lead"].email, noted["dev"].email, noted["dev2"].email}
    assert {m.subject for m in messages} >= {"1:1 with Lee Lead: add your points"}
    assert not reminders(nxt.start - dt.timedelta(hours=2)), "sent once only"
    assert not mail.outbox  # reminders() only builds; send_reminders() sends


def test_backup_seals_note_text_and_mood(noted):
    dump = json.dumps(export_backup())
    assert TOKEN not in dump and "shared-visible-text" not in dump


def test_rollup_needs_five_managers_and_is_counts_only(client, noted):
    small = _as(client, noted, "dev").get("/api/growth/rollup").json()
    assert small["enough_managers"] is False and small["managers"] is None
    org = noted["org"]
    for i in range(4):
        manager = make_person(org, f"Mgr {i}", manager=noted["boss"])
        report = make_person(org, f"Rep {i}", manager=manager, account=False)
        actions.create_relationship(manager, report, started_on=timezone.localdate() - dt.timedelta(weeks=2))
    big = client.get("/api/growth/rollup").json()
    assert big["enough_managers"] is True and big["managers"] == 5 and TOKEN not in json.dumps(big)


@pytest.mark.parametrize("who,sees", [("dev", True), ("lead", True), ("boss", False), ("dev2", False)])
def test_mood_only_for_the_pair(client, noted, who, sees):
    _as(client, noted, who)
    api = client.get(f"/api/growth/relationships/{noted['rel'].pk}")
    if sees:
        assert api.json()["check_ins"] == [{"on": timezone.localdate().isoformat(), "mood": 2}]
        assert (
            'id="mood"' in client.get(reverse("growth:one-on-one", args=[noted["rel"].pk])).content.decode()
        )
    else:
        assert api.status_code == 403
    exported = [r for r in export_for(noted[who])["relationships"] if r["id"] == noted["rel"].pk]
    assert any("check_ins" in r for r in exported) is sees


def test_only_the_report_records_mood(noted):
    from pathcraft.errors import PathcraftError

    with pytest.raises(PathcraftError, match="only the report"):
        actions.add_check_in(noted["rel"], noted["lead"], 4)


def test_manager_change_waits_for_consent(client, noted):
    rel, dev, old, new = noted["rel"], noted["dev"], noted["lead"], noted["lead2"]
    open_item = actions.add_action_item(rel, old, old, "book the training", timezone.localdate())
    change = actions.change_manager(dev, new)
    open_item.refresh_from_db()
    assert open_item.flagged_manager_change is True
    assert not ActionItem.objects.filter(owner=dev, flagged_manager_change=True).exists()
    url = reverse("growth:one-on-one", args=[rel.pk])
    assert _as(client, noted, "lead2").get(url).status_code == 403  # before consent
    assert _as(client, noted, "lead").get(url).status_code == 403  # the former manager no longer reads it
    assert TOKEN in json.dumps(export_for(old))  # ... but keeps their own private notes
    from pathcraft.errors import PathcraftError

    with pytest.raises(PathcraftError, match="only the report"):
        actions.answer_history_consent(change, new, True)
    _as(client, noted, "dev").post(reverse("growth:consent", args=[change.pk]), {"agree": "1"})
    response = _as(client, noted, "lead2").get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "read only" in html and "shared-visible-text" in html
    assert TOKEN not in html and 'id="mood"' not in html
    assert client.post(reverse("growth:agenda-add", args=[rel.pk]), {"text": "x"}).status_code == 403
    _as(client, noted, "dev").post(reverse("growth:consent", args=[change.pk]), {"agree": "0"})
    assert _as(client, noted, "lead2").get(url).status_code == 403
