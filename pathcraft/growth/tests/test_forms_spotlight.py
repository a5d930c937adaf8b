"""The spotlight register form: the manager credits people on the team, each in their own line; a team member
records only their own part; bad input is one line and saves nothing; strangers get 404, others 403."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.growth.models import SpotlightContribution, SpotlightEvent
from pathcraft.growth.tests.db import login
from pathcraft.people.tests.factories import PASSWORD, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def form_error(response) -> str:
    found = re.search(r'id="form-error">([^<]*)<', response.content.decode())
    return found.group(1) if found else ""


def post_data(lines, **fields) -> dict:
    data = {"kind": "blog_post", "title": "Caching at the edge", "on": TODAY.isoformat(),
            "c-TOTAL_FORMS": str(len(lines)), "c-INITIAL_FORMS": "0"}  # fmt: skip
    for i, (person, what) in enumerate(lines):
        data[f"c-{i}-person"] = "" if person is None else str(person)
        data[f"c-{i}-what"] = what
    data.update(fields)
    return data


def url(org, who="lead"):
    return reverse("growth:spotlight", args=[org[who].pk])


def test_manager_records_a_spotlight_with_two_contributors(client, org):
    lines = [(org["dev"].pk, "wrote the post"), (org["dev2"].pk, "drew the diagrams"), (None, "")]
    response = login(client, org["lead"]).post(url(org), post_data(lines))
    assert response.status_code == 302
    event = SpotlightEvent.objects.get()
    assert event.manager == org["lead"] and event.kind == "blog_post" and event.on == TODAY
    assert sorted((c.person.name, c.what) for c in event.contributions.all()) == [
        ("Dan Dev", "drew the diagrams"), ("Dee Dev", "wrote the post")]  # fmt: skip
    page = client.get(url(org)).content.decode()
    assert "Caching at the edge" in page and "drew the diagrams" in page
    assert "Crediting colleagues is Lee Lead&#x27;s call" in page  # the rule is said on the page


@pytest.mark.parametrize(
    "change,message",
    [
        ({"on": "2026-13-01"}, "Date: enter a date like 2026-12-01."),
        ({"on": ""}, "Date: This field is required."),
        ({"on": (TODAY + dt.timedelta(days=400)).isoformat()}, "is more than a year ahead"),
        ({"title": ""}, "What: This field is required."),
        ({"title": "x" * 301}, "What: Ensure this value has at most 300 characters"),
        ({"kind": "party"}, "Kind: Select a valid choice. party is not one of the available choices."),
        ({"lines": []}, "name at least one contributor."),
        ({"lines": [(None, "")]}, "name at least one contributor."),
        ({"lines": [(None, "made coffee")]}, "line 1: it says what was done but not who did it."),
        ({"lines": [("dev", "a"), ("dev", "b")]}, "Dee Dev is listed twice"),
        ({"lines": [("other", "")]}, "line 1: Who: that person is not one you can choose here."),
        ({"lines": [("stranger", "")]}, "line 1: Who: that person is not one you can choose here."),
        ({"lines": [(987654, "")]}, "line 1: Who: that person is not one you can choose here."),
        ({"lines": [("lead", "")]}, "line 1: Who: that person is not one you can choose here."),
        ({"lines": [("dev", "y" * 301)]}, "Their part: Ensure this value has at most 300 characters"),
    ],
)
def test_bad_input_is_one_line_and_saves_nothing(client, org, change, message):
    change = dict(change)
    lines = change.pop("lines", [("dev", "wrote it")])
    lines = [(org[p].pk if isinstance(p, str) else p, what) for p, what in lines]
    response = login(client, org["lead"]).post(url(org), post_data(lines, **change))
    assert response.status_code == 400
    error = form_error(response)
    assert message.lower() in error.lower() and "\n" not in error
    assert not SpotlightEvent.objects.exists() and not SpotlightContribution.objects.exists()


def test_a_team_member_records_only_their_own_part(client, org):
    login(client, org["dev"])
    page = client.get(url(org)).content.decode()
    assert "only your own part" in page and 'name="c-0-person"' in page and 'type="hidden"' in page
    response = client.post(url(org), post_data([(org["dev"].pk, "gave the talk")], kind="external_talk"))
    assert response.status_code == 302
    assert SpotlightEvent.objects.get().contributions.get().person == org["dev"]


@pytest.mark.parametrize("lines", [[("dev2", "")], [("dev", "me"), ("dev2", "and my friend")]])
def test_a_team_member_cannot_credit_a_colleague(client, org, lines):
    lines = [(org[p].pk, what) for p, what in lines]
    response = login(client, org["dev"]).post(url(org), post_data(lines))
    assert response.status_code == 403 and not SpotlightEvent.objects.exists()


@pytest.mark.parametrize(
    "who,register,status",
    [
        ("stranger", "lead", 404),  # another organisation's team: nothing to learn
        ("dev", "lead2", 403),  # another team of the same organisation
        ("other", "lead", 403),
        ("boss", "lead", 403),  # the skip-level does not keep the register
        ("dev2", "dev", 403),  # a colleague's "team" (nobody reports to them)
    ],
)
def test_posting_to_a_register_without_rights(client, org, who, register, status):
    target = org["other"] if register == "lead2" else org["dev"]
    response = login(client, org[who]).post(url(org, register), post_data([(target.pk, "")]))
    assert response.status_code == status and not SpotlightEvent.objects.exists()
    assert client.get(url(org, register)).status_code == status


def test_an_admin_account_without_a_person_is_refused(client, org):
    assert client.login(username="root", password=PASSWORD)
    response = client.post(url(org), post_data([(org["dev"].pk, "")]))
    assert response.status_code == 403 and not SpotlightEvent.objects.exists()


def _event(org, lines=None):
    lines = lines or [(org["dev"], "wrote"), (org["dev2"], "reviewed")]
    return actions.add_spotlight(org["lead"], "internal_demo", "Demo day", TODAY, lines)


def test_manager_edits_and_removes_an_event(client, org):
    event = _event(org)
    login(client, org["lead"])
    edit = reverse("growth:spotlight-edit", args=[event.pk])
    page = client.get(edit).content.decode()
    assert 'value="Demo day"' in page and "reviewed" in page
    data = post_data(
        [(org["dev2"].pk, "presented"), (None, "")], title="Demo day, take two", kind="customer_demo"
    )
    data["c-INITIAL_FORMS"] = "0"
    assert client.post(edit, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Demo day, take two" and event.kind == "customer_demo"
    assert [(c.person, c.what) for c in event.contributions.all()] == [(org["dev2"], "presented")]
    bad = client.post(edit, post_data([], title="Emptied"))
    assert bad.status_code == 400 and "contributor" in form_error(bad)
    event.refresh_from_db()
    assert event.title == "Demo day, take two" and event.contributions.count() == 1  # nothing lost
    assert client.post(reverse("growth:spotlight-delete", args=[event.pk])).status_code == 302
    assert not SpotlightEvent.objects.exists() and not SpotlightContribution.objects.exists()


def test_a_member_changes_only_events_that_credit_only_them(client, org):
    shared = _event(org)
    own = _event(org, [(org["dev"], "solo talk")])
    login(client, org["dev"])
    page = client.get(url(org)).content.decode()
    assert "Demo day" in page  # both credit them: they see both
    assert reverse("growth:spotlight-edit", args=[own.pk]) in page
    assert reverse("growth:spotlight-edit", args=[shared.pk]) not in page
    assert client.post(reverse("growth:spotlight-delete", args=[shared.pk])).status_code == 403
    edit = client.post(
        reverse("growth:spotlight-edit", args=[shared.pk]), post_data([(org["dev"].pk, "all me")])
    )
    assert edit.status_code == 403 and shared.contributions.count() == 2
    assert client.post(reverse("growth:spotlight-delete", args=[own.pk])).status_code == 302
    assert not SpotlightEvent.objects.filter(pk=own.pk).exists()
    client.logout()
    # dev2 is credited on the shared one but sees nothing of dev's own events, and changes nothing.
    login(client, org["dev2"])
    assert client.get(reverse("growth:spotlight-edit", args=[shared.pk])).status_code == 403


def test_other_teams_events_are_404_or_403(client, org):
    event = _event(org)
    edit = reverse("growth:spotlight-edit", args=[event.pk])
    assert login(client, org["stranger"]).post(edit, post_data([(org["dev"].pk, "")])).status_code == 404
    client.logout()
    assert (
        login(client, org["lead2"]).post(reverse("growth:spotlight-delete", args=[event.pk])).status_code
        == 403
    )
    assert SpotlightEvent.objects.filter(pk=event.pk).exists()


def test_someone_who_moved_stays_on_their_old_event(client, org):
    event = _event(org)
    moved = org["dev2"]
    moved.manager = org["lead2"]
    moved.save(update_fields=["manager"])
    edit = reverse("growth:spotlight-edit", args=[event.pk])
    data = post_data([(org["dev"].pk, "wrote"), (moved.pk, "reviewed")], title="Renamed")
    response = login(client, org["lead"]).post(edit, data)
    assert response.status_code == 302, form_error(response)
    event.refresh_from_db()
    assert event.title == "Renamed" and event.contributions.count() == 2
    # ... but cannot be credited on a new one.
    response = client.post(url(org), post_data([(moved.pk, "")]))
    assert response.status_code == 400 and SpotlightEvent.objects.count() == 1


def test_new_team_member_can_be_credited(client, org):
    newcomer = make_person(org["org"], "Nia New", manager=org["lead"])
    response = login(client, org["lead"]).post(url(org), post_data([(newcomer.pk, "first demo")]))
    assert response.status_code == 302 and SpotlightEvent.objects.get().contributions.get().person == newcomer
