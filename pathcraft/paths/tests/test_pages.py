"""Career pages: who may open them (Kind.CAREER with consent), and the flows a person goes through."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pathcraft.paths import actions
from pathcraft.paths.models import CheckIn, CraftingPlan, Experiment, ProfileSnapshot, SelfAssessment
from pathcraft.paths.tests.career_fixtures import PROFILE, career_org, login, share
from pathcraft.people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PERSON_PAGES = ["paths:results", "paths:position", "paths:plan", "paths:experiments", "paths:history"]


@pytest.fixture
def org():
    return career_org()


def _get(client, name, person):
    return client.get(reverse(name, args=[person.pk]))


@pytest.mark.parametrize("url_name", PERSON_PAGES)
@pytest.mark.parametrize(
    "viewer,shared,status",
    [
        ("dev", None, 200),  # self
        ("dev2", None, 403),  # peer
        ("dev2", "manager", 403),  # sharing with the manager opens nothing to a peer
        ("lead", None, 403),  # manager without consent
        ("lead", "manager", 200),  # manager with consent
        ("boss", "manager", 403),  # skip-level: sharing with the manager is not sharing with theirs
        ("boss", "skip", 200),  # skip-level with consent
        ("stranger", "manager", 404),  # another organisation cannot learn the person exists
    ],
)
def test_person_pages_follow_the_career_policy(client, org, url_name, viewer, shared, status):
    if shared:
        share(org["dev"], shared)
    response = _get(login(client, org[viewer]), url_name, org["dev"])
    assert response.status_code == status
    if status != 200:
        assert "Software engineer" not in response.content.decode()  # no fit results leak into errors


@pytest.mark.parametrize("url_name", PERSON_PAGES)
def test_admin_without_a_person_sees_no_career_data(client, org, url_name):
    share(org["dev"], "manager")
    assert client.login(username="root", password=PASSWORD)
    assert _get(client, url_name, org["dev"]).status_code == 403


def test_anonymous_is_sent_to_login(client, org):
    response = _get(client, "paths:results", org["dev"])
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get(f"/api/paths/people/{org['dev'].pk}/fit").status_code == 401


def test_unknown_person_is_404(client, org):
    assert login(client, org["dev"]).get(reverse("paths:results", args=[999999])).status_code == 404


def test_manager_with_consent_reads_but_cannot_change(client, org):
    share(org["dev"], "manager")
    login(client, org["lead"])
    assert _get(client, "paths:profile", org["dev"]).status_code == 403
    post = client.post(reverse("paths:profile", args=[org["dev"].pk]), {"hours-coding": "1"})
    assert post.status_code == 403
    assert client.post(reverse("paths:plan", args=[org["dev"].pk])).status_code == 403
    start = client.post(reverse("paths:experiments", args=[org["dev"].pk]),
                        {"template": "mentor", "start": "2026-01-05"})  # fmt: skip
    assert start.status_code == 403 and not Experiment.objects.exists()
    html = _get(client, "paths:results", org["dev"]).content.decode()
    assert "shared with you, read-only" in html and "Change your answers" not in html


def test_index_sends_a_new_person_to_the_questionnaire_and_others_to_results(client, org):
    assert login(client, org["dev2"]).get(reverse("paths:index"))["Location"] == reverse(
        "paths:profile", args=[org["dev2"].pk]
    )
    client.logout()
    assert login(client, org["dev"]).get(reverse("paths:index"))["Location"] == reverse(
        "paths:results", args=[org["dev"].pk]
    )


def test_questionnaire_is_one_form_with_every_activity(client, org):
    html = _get(login(client, org["dev"]), "paths:profile", org["dev"]).content.decode()
    assert html.count('type="number"') == 20
    assert html.count('name="skill-') == 20 and html.count('name="energy-') == 20
    assert 'value="20"' in html  # prefilled from the last snapshot (coding hours)


def test_questionnaire_saves_a_snapshot_and_shows_ranked_roles(client, org):
    login(client, org["dev2"])
    data = {"hours-teaching": "8", "skill-teaching": "5", "energy-teaching": "2",
            "hours-presenting": "4", "skill-presenting": "4", "energy-presenting": "2",
            "hours-coding": "10", "skill-coding": "3", "energy-coding": "-2"}  # fmt: skip
    response = client.post(reverse("paths:profile", args=[org["dev2"].pk]), data, follow=True)
    assert response.status_code == 200
    snapshot = ProfileSnapshot.objects.get(person=org["dev2"])
    assert snapshot.profile.answer("teaching").energy == 2 and snapshot.profile.total_hours == 22
    html = response.content.decode()
    ranked = html[html.index('id="ranked-roles"') :]
    assert ranked.index("Educator / trainer") < ranked.index("Software engineer")
    assert "which you rate as draining" in html or "energise you" in html
    assert "<svg" in html and "Strengths map" in html


def test_questionnaire_errors_are_shown_in_words(client, org):
    login(client, org["dev2"])
    response = client.post(reverse("paths:profile", args=[org["dev2"].pk]), {"hours-coding": "500"})
    assert response.status_code == 200 and not ProfileSnapshot.objects.filter(person=org["dev2"]).exists()
    assert "coding.hours must be a number from 0 to 100, got 500" in response.content.decode()
    empty = client.post(reverse("paths:profile", args=[org["dev2"].pk]), {})
    assert "Fill in at least one activity" in empty.content.decode()


def test_saving_twice_the_same_day_replaces_and_another_day_adds(org):
    dev = org["dev"]
    before = ProfileSnapshot.objects.filter(person=dev).count()
    actions.save_profile(dev, PROFILE, taken_on=dt.date(2026, 2, 1))
    actions.save_profile(dev, PROFILE, taken_on=dt.date(2026, 2, 1))
    assert ProfileSnapshot.objects.filter(person=dev).count() == before + 1


def test_compare_two_roles_with_htmx(client, org):
    login(client, org["dev"])
    url = reverse("paths:compare", args=[org["dev"].pk])
    fragment = client.get(url, {"a": "engineering_manager", "b": "staff_engineer"}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert "Engineering manager" in body and "Staff / principal engineer" in body and "<svg" in body
    assert "What tips the balance" in body and "Towards a staff or principal engineer:" in body
    bad = client.get(url, {"a": "engineering_manger", "b": "sre"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "did you mean &#x27;engineering_manager&#x27;" in bad.content.decode()


def test_position_assessment_and_readiness_flow(client, org):
    dev = org["dev"]
    login(client, dev)
    url = reverse("paths:position", args=[dev.pk])
    response = client.post(url, {"form": "position", "framework": "pathcraft-default",
                                 "current": "ic/senior", "target": "management/manager"}, follow=True)  # fmt: skip
    html = response.content.decode()
    assert "Not yet ready for Engineering manager" in html and "not assessed yet" in html
    framework = actions.active_framework(dev.organisation)
    criteria = framework.data.level(dev.career_position.target_position).criteria()
    data = {"form": "assessment"}
    for c in criteria:
        data[f"rating-{c.id}"] = "met"
        data[f"evidence-{c.id}"] = "an example"
    html = client.post(url, data, follow=True).content.decode()
    assert "Ready for Engineering manager" in html
    assert SelfAssessment.objects.get(person=dev).ratings[criteria[0].id]["evidence"] == "an example"
    assert "Software engineer — Senior engineer → Engineering manager — Engineering manager" in html  # bridge
    bad = client.post(url, {"form": "position", "framework": "pathcraft-default", "target": "ic/wizard"})
    assert "no level &#x27;wizard&#x27; in track &#x27;ic&#x27;" in bad.content.decode()


def test_crafting_plan_can_be_accepted_in_part(client, org):
    dev = org["dev"]
    login(client, dev)
    url = reverse("paths:plan", args=[dev.pk])
    html = client.get(url).content.decode()
    assert "Move" in html and "Meetings for coordination" in html
    client.post(url, {"shift": ["0"], "note": "try for a month"})
    plan = CraftingPlan.objects.get(person=dev)
    assert len(plan.shifts) == 1 and plan.shifts[0]["from"] == "meetings" and plan.note == "try for a month"
    assert plan.cognitive  # draining work that stays gets a framing


def test_experiment_from_template_with_checkins_and_outcome(client, org):
    dev = org["dev"]
    login(client, dev)
    response = client.post(reverse("paths:experiments", args=[dev.pk]),
                           {"template": "shadow_manager", "start": "2026-02-02"})  # fmt: skip
    experiment = Experiment.objects.get(person=dev)
    assert response["Location"] == reverse("paths:experiment", args=[experiment.pk])
    assert experiment.end == dt.date(2026, 3, 16) and len(experiment.checkin_dates) == 6
    url = reverse("paths:experiment", args=[experiment.pk])
    client.post(url, {"form": "checkin", "on": "2026-02-09", "note": "Shadowed two 1:1s"})
    assert CheckIn.objects.get(experiment=experiment).note == "Shadowed two 1:1s"
    empty = client.post(url, {"form": "checkin", "on": "2026-02-10", "note": " "})
    assert "a check-in needs a note" in empty.content.decode()
    before = ProfileSnapshot.objects.filter(person=dev).count()
    client.post(url, {"form": "outcome", "ended_on": "2026-03-16", "energy-people_management": "1",
                      "skill-people_management": "3", "decision": "adopt", "notes": "Better than feared"})  # fmt: skip
    experiment.refresh_from_db()
    assert experiment.status == "done" and experiment.decision == "adopt"
    assert ProfileSnapshot.objects.filter(person=dev).count() == before + 1
    latest = ProfileSnapshot.objects.filter(person=dev).first()
    assert latest.source == "experiment" and latest.profile.answer("people_management").energy == 1
    assert latest.profile.answer("coding").hours == 20  # hours stay: the week changes through crafting
    history = client.get(reverse("paths:history", args=[dev.pk])).content.decode()
    assert "1:1s and people management: energy -2 → +1" in history


def test_framework_browser_and_route_fragment(client, org):
    login(client, org["dev"])
    html = client.get(reverse("paths:frameworks")).content.decode()
    assert "pathcraft multi-track engineering framework" in html
    url = reverse("paths:framework", args=["pathcraft-default"])
    page = client.get(url, {"level": "ic/staff"}).content.decode()
    assert "Staff engineer" in page and "Bridge to" in page
    fragment = client.get(url, {"part": "route", "from": "ic/junior", "to": "director/director"},
                          HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert "<html" not in fragment and "moves from" in fragment and "bridge" in fragment
    assert client.get(reverse("paths:framework", args=["nope"])).status_code == 404


def test_framework_of_another_organisation_is_404(client, org):
    from pathcraft.people.models import Organisation

    actions.active_framework(Organisation.objects.get(slug="globex"))
    login(client, org["dev"])
    assert client.get(reverse("paths:framework", args=["pathcraft-default"])).status_code == 404
    actions.active_framework(org["org"])
    assert client.get(reverse("paths:framework", args=["pathcraft-default"])).status_code == 200


def test_manager_team_page_links_only_what_is_shared(client, org):
    share(org["dev"], "manager")
    html = login(client, org["lead"]).get(reverse("paths:team")).content.decode()
    assert reverse("paths:results", args=[org["dev"].pk]) in html
    assert reverse("paths:results", args=[org["dev2"].pk]) not in html and "not shared" in html


def test_navigation_has_a_career_entry(client, org):
    html = login(client, org["dev"]).get(reverse("home")).content.decode()
    assert f'href="{reverse("paths:index")}"' in html and ">Career<" in html


def test_admin_site_holds_no_career_data_about_people():
    from django.contrib import admin

    from pathcraft.paths import models

    registered = set(admin.site._registry)
    assert models.Framework in registered
    personal = {models.ProfileSnapshot, models.CareerPosition, models.SelfAssessment, models.CraftingPlan,
                models.Experiment, models.CheckIn}  # fmt: skip
    assert not personal & registered


def test_only_an_admin_changes_the_active_framework(client, org):
    from pathcraft.paths.models import Framework

    first = actions.active_framework(org["org"])
    second, _ = actions.import_framework_file(
        org["org"],
        actions.__file__.replace("actions.py", "frameworks/library/financial_times/engineering.yml"),
    )
    url = reverse("paths:framework-activate", args=[second.key])
    assert login(client, org["boss"]).post(url).status_code == 403
    assert Framework.objects.get(pk=first.pk).is_active


def test_results_show_the_band_and_the_ties_of_a_sparsely_rated_profile(client, org):
    # the fixture profile rates 4 of 20 activities: most roles' weeks are largely unrated
    html = _get(login(client, org["dev"]), "paths:results", org["dev"]).content.decode()
    assert "with what is unrated)" in html
    assert "Effectively tied with" in html and "to see what tips the balance" in html


def test_a_skip_level_sees_branches_rolled_up_and_opens_one(client, org):
    """boss sees their two leads as rows and, below them, one row of counts per lead; `?under=` opens a lead's
    reports the same way; someone not below boss is a 404."""
    share(org["dev"], "skip")  # dev has a profile (career_org), shared with managers above the direct one
    html = login(client, org["boss"]).get(reverse("paths:team")).content.decode()
    assert 'id="team-branches"' in html and "Dee Dev" not in html  # dev is inside lead's row, not listed
    row = html.split(f'?under={org["lead"].pk}"', 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("<")[0] for cell in row.split("<td>")[1:]]
    assert cells == ["2", "1", "1"]  # people, sharing with boss, of them with a profile
    opened = client.get(reverse("paths:team") + f"?under={org['lead'].pk}").content.decode()
    assert "Reporting to Lee Lead" in opened and reverse("paths:results", args=[org["dev"].pk]) in opened
    assert "through a manager" in opened
    for outside in (org["stranger"].pk, org["boss"].pk + 10_000, "x"):
        assert client.get(reverse("paths:team") + f"?under={outside}").status_code == 404
    sideways = login(client, org["lead"]).get(reverse("paths:team") + f"?under={org['lead2'].pk}")
    assert sideways.status_code == 404
