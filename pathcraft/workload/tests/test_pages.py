"""Workload pages: upload (all or nothing), who sees what (figures, titles, burnout), team health, organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathcraft.people.models import Person
from pathcraft.people.permissions import set_share
from pathcraft.people.policy import Kind, Relation
from pathcraft.people.tests.factories import PASSWORD, make_person, make_team, small_org
from pathcraft.workload import actions
from pathcraft.workload.models import BurnoutResponse, CalendarImport
from pathcraft.workload.tests.workload_factories import answer, answers_at, busy_ics

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return small_org()


def _login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


def _upload(client, data: bytes, name="cal.ics"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("workload:upload"), {"calendar": SimpleUploadedFile(name, data, "text/calendar")}
    )


def test_upload_keeps_the_weekly_figures_and_shows_them(client, org):
    response = _upload(_login(client, org["dev"]), busy_ics(org["dev"].email))
    assert response.status_code == 302
    row = CalendarImport.objects.get(person=org["dev"])
    assert len(row.weeks) == 4 and row.weeks[0]["meeting_hours"] > 10
    html = client.get(reverse("workload:index")).content.decode()
    assert (
        'id="weekly-table"' in html and "<svg" in html and "Weekly status update" in html
    )  # own titles: yes
    assert "Regular work outside working hours" in html  # 7.5 h of late calls a week, with its reason
    assert "5 h/week outside working hours" in html


@pytest.mark.parametrize(
    "data,message",
    [
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "ends inside BEGIN:VCALENDAR"),
        (b"hello, this is not a calendar", "not an iCalendar file"),
    ],
)
def test_broken_upload_shows_one_line_and_stores_nothing(client, org, data, message):
    response = _upload(_login(client, org["dev"]), data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and 'role="alert"' in html
    assert "Traceback" not in html
    assert not CalendarImport.objects.exists()


def test_upload_without_a_file_is_refused(client, org):
    response = _login(client, org["dev"]).post(reverse("workload:upload"))
    assert response.status_code == 400 and "Choose an .ics file" in response.content.decode()


@pytest.mark.parametrize(
    "viewer,status",
    [("lead", 200), ("boss", 403), ("dev2", 403), ("other", 403), ("stranger", 404)],
)
def test_a_persons_workload_page_follows_the_policy(client, org, viewer, status):
    actions.import_calendar(org["dev"], busy_ics(org["dev"].email))
    response = _login(client, org[viewer]).get(reverse("workload:person", args=[org["dev"].pk]))
    assert response.status_code == status
    if status != 200:
        assert "Pairing" not in response.content.decode()


def test_admin_and_anonymous_cannot_open_a_persons_workload(client, org):
    url = reverse("workload:person", args=[org["dev"].pk])
    assert client.get(url).status_code == 302  # to the login page
    assert client.login(username="root", password=PASSWORD)
    assert client.get(url).status_code == 403


def test_manager_sees_figures_not_titles_unless_shared(client, org):
    actions.import_calendar(org["dev"], busy_ics(org["dev"].email, title="Secret acquisition status"))
    url = reverse("workload:person", args=[org["dev"].pk])
    html = _login(client, org["lead"]).get(url).content.decode()
    assert 'id="weekly-table"' in html and "title private" in html
    assert "Secret acquisition" not in html and "p1@x.test" not in html
    set_share(org["dev"], Kind.CALENDAR, Relation.MANAGER, True)
    assert "Secret acquisition status" in client.get(url).content.decode()


def test_manager_never_sees_a_reports_burnout_signals(client, org):
    answer([org["dev"]], 90)
    html = _login(client, org["lead"]).get(reverse("workload:person", args=[org["dev"].pk])).content.decode()
    assert "Work-related burnout" not in html and "moderate or higher" not in html
    client.logout()
    html = _login(client, org["dev"]).get(reverse("workload:index")).content.decode()
    assert "Work-related burnout: moderate or higher" in html


def test_survey_has_19_questions_and_scores_only_for_self(client, org):
    _login(client, org["dev"])
    html = client.get(reverse("workload:survey")).content.decode()
    assert html.count("<fieldset") == 19 and "the people you serve at work" in html
    response = client.post(reverse("workload:survey"), answers_at(75))
    assert response.status_code == 302
    row = BurnoutResponse.objects.get(person=org["dev"])
    assert row.work is not None and row.work >= 50
    html = client.get(reverse("workload:burnout")).content.decode()
    assert 'id="my-scores"' in html and "cut-points are debatable" in html


def test_survey_refuses_too_few_answers_with_a_message(client, org):
    response = _login(client, org["dev"]).post(reverse("workload:survey"), {"pb1": "often"})
    assert response.status_code == 400 and "too few answers" in response.content.decode()
    assert not BurnoutResponse.objects.exists()


def test_team_page_shows_reports_signals_without_titles(client, org):
    actions.import_calendar(org["dev"], busy_ics(org["dev"].email, title="Secret acquisition status"))
    html = _login(client, org["lead"]).get(reverse("workload:team")).content.decode()
    assert "Dee Dev" in html and "Dan Dev" in html and "Oli Other" not in html
    assert "Regular work outside working hours" in html and "Secret acquisition" not in html
    assert "2 direct reports: below the 6-8 range" in html


def test_team_page_for_someone_without_reports(client, org):
    html = _login(client, org["dev"]).get(reverse("workload:team")).content.decode()
    assert "no direct reports" in html


def _team_of(org, n, team=None):
    return [
        make_person(org["org"], f"Rep {i}", manager=org["lead"], team=team, account=False) for i in range(n)
    ]


@pytest.mark.parametrize("answers,shown", [(4, False), (5, True)])
def test_team_burnout_aggregate_only_from_k_answers(client, org, answers, shown):
    reps = _team_of(org, 5)
    answer(reps[:answers], 80)
    html = _login(client, org["lead"]).get(reverse("workload:team")).content.decode()
    assert ("over 5 answers" in html or '<td class="num">5</td>' in html) is shown
    assert ("not shown" in html.lower()) is not shown


def test_team_aggregate_hidden_when_the_org_total_would_isolate_a_few(client, org):
    """Team of 5 answered, plus 2 people elsewhere: the org total minus the team reveals those 2."""
    reps = _team_of(org, 5)
    answer(reps, 80)
    answer([org["other"], org["lead2"]], 10)
    html = _login(client, org["lead"]).get(reverse("workload:team")).content.decode()
    assert "Not shown" in html and "80" not in html.split("team-burnout")[1].split("</section>")[0]


def test_org_page_team_breakdown_respects_k_and_differences(client, org):
    alpha = make_team(org["org"], "alpha")
    reps = _team_of(org, 5, team=alpha)
    answer(reps, 70)
    _login(client, org["dev"])
    html = client.get(reverse("workload:org")).content.decode()
    assert "Alpha" in html and "(n=5)" in html and "Team breakdown hidden" not in html
    answer([org["other"]], 10)  # one respondent outside any shown team: total minus Alpha would be them
    html = client.get(reverse("workload:org")).content.decode()
    assert "(n=6)" in html and "Team breakdown hidden" in html and "(n=5)" not in html


def test_org_page_never_shows_a_team_of_fewer_than_k_calendars(client, org):
    for person in (org["dev"], org["dev2"]):
        actions.import_calendar(person, busy_ics(person.email))
    html = _login(client, org["dev"]).get(reverse("workload:org")).content.decode()
    assert "fewer than 5 calendars" in html


def test_pages_need_a_person(client, org):
    assert client.login(username="root", password=PASSWORD)
    assert client.get(reverse("workload:index")).status_code == 403
    assert Person.objects.filter(user__username="root").count() == 0
