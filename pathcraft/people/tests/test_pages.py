"""Pages: login, home, team, org chart, privacy; every object through the permission core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathcraft.people.actions import create_invitation
from pathcraft.people.models import Share
from pathcraft.people.tests.factories import PASSWORD, make_person, small_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return small_org()


def _login(client, person):
    assert client.login(username=person.email, password=PASSWORD)
    return client


def test_pages_need_login(client, org):
    for url in [reverse("home"), reverse("person-detail", args=[org["dev"].pk]), reverse("org-chart")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_manager_home_lists_their_team(client, org):
    response = _login(client, org["lead"]).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200 and "Dee Dev" in html and "Dan Dev" in html and "Oli Other" not in html


@pytest.mark.parametrize(
    "viewer,subject,url_name,status",
    [
        ("dev2", "dev", "person-detail", 200),  # the directory is open to the organisation
        ("stranger", "dev", "person-detail", 404),  # another organisation cannot even learn the id exists
        ("dev2", "dev", "person-privacy", 403),  # a peer cannot see someone else's sharing settings
        ("lead", "dev", "person-privacy", 403),  # nor can their manager
        ("dev", "dev", "person-privacy", 200),
    ],
)
def test_object_rights(client, org, viewer, subject, url_name, status):
    response = _login(client, org[viewer]).get(reverse(url_name, args=[org[subject].pk]))
    assert response.status_code == status


def test_unknown_person_is_404(client, org):
    assert _login(client, org["dev"]).get(reverse("person-detail", args=[999999])).status_code == 404


def test_org_chart_browses_down_the_chain_with_htmx(client, org):
    _login(client, org["boss"])
    html = client.get(reverse("org-chart")).content.decode()
    assert "Lee Lead" in html and "Lou Lead" in html and "Dee Dev" not in html  # one level at a time
    fragment = client.get(reverse("org-children", args=[org["lead"].pk]), HTTP_HX_REQUEST="true")
    assert "Dee Dev" in fragment.content.decode() and "<html" not in fragment.content.decode()


@pytest.mark.parametrize(
    "query,names",
    [("dee", ["Dee Dev"]), ("DEV", ["Dan Dev", "Dee Dev"]), ("stranger", []), ("zzz", [])],
    ids=["one", "case-insensitive", "other-organisation-hidden", "nobody"],
)
def test_org_chart_finds_a_person_by_name(client, org, query, names):
    html = _login(client, org["boss"]).get(reverse("org-chart"), {"q": query}).content.decode()
    found = html.split('id="org-found"', 1)[1].split("</section>", 1)[0]
    assert [n for n in ("Dan Dev", "Dee Dev", "Sta Stranger") if n in found] == names
    if names:
        assert f'?root={org["dev"].pk}"' in found or query != "dee"
    else:
        assert "Nobody you may see" in found


def test_org_chart_search_lists_a_screenful(client, org, django_assert_max_num_queries):
    from pathcraft.people import views

    for i in range(views.SEARCH_RESULTS + 5):
        make_person(org["org"], f"Many Name {i:02d}", manager=org["lead"], account=False)
    _login(client, org["boss"])
    client.get(reverse("org-chart"), {"q": "many"})
    with django_assert_max_num_queries(12):
        html = client.get(reverse("org-chart"), {"q": "many"}).content.decode()
    assert html.count("in the chart</a>") == views.SEARCH_RESULTS and "type more of the name" in html


def test_team_page_shows_members(client, org):
    html = _login(client, org["dev"]).get(reverse("team-detail", args=["core"])).content.decode()
    assert "Lee Lead" in html and "Dee Dev" in html and "Bo Boss" not in html


def test_only_the_person_can_change_their_sharing(client, org):
    url = reverse("person-share", args=[org["dev"].pk])
    data = {"kind": "career", "relation": "manager", "on": "1"}
    assert _login(client, org["lead"]).post(url, data).status_code == 403
    assert not Share.objects.exists()
    client.logout()
    response = _login(client, org["dev"]).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "stop sharing" in response.content.decode()
    assert Share.objects.filter(person=org["dev"], kind="career", relation="manager").exists()
    bad = client.post(url, {"kind": "burnout", "relation": "manager", "on": "1"})
    assert bad.status_code == 403 and Share.objects.count() == 1


def test_invitation_link_works_once(client, org):
    newcomer = make_person(org["org"], "New Comer", account=False)
    invitation = create_invitation(newcomer)
    url = reverse("invitation-accept", args=[invitation.token])
    response = client.post(url, {"password": "a-long-passphrase-42", "confirm": "a-long-passphrase-42"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user is not None and newcomer.user.check_password("a-long-passphrase-42")
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("invitation-accept", args=["not-a-token"])).status_code == 404


def _team_list_queries(client, url="/teams/"):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_team_list_runs_the_same_queries_for_3_or_300_teams_and_pages_them(client, org):
    from pathcraft.people.models import Team
    from pathcraft.people.tests.factories import make_team

    _login(client, org["dev"])
    for i in range(2):
        make_person(org["org"], f"Member {i}", team=make_team(org["org"], f"extra-{i}", f"Extra {i}"))
    few, html = _team_list_queries(client)
    assert "3 teams" in html and ">1<" in html  # member counts come from the annotation
    Team.objects.bulk_create(
        Team(organisation=org["org"], slug=f"bulk-{i}", name=f"Bulk {i:03}") for i in range(297)
    )
    many, html = _team_list_queries(client)
    assert many == few
    assert "300 teams" in html and "page 1 of 6" in html and html.count('<tr><td><a href="/teams/') == 50
    _, page6 = _team_list_queries(client, "/teams/?page=6")
    assert (
        "page 6 of 6" in page6 and "Extra 1" in page6 and "Extra 1" not in html
    )  # by name: Bulk…, Core, Extra…


def test_team_list_search_finds_by_name_and_keeps_the_query_in_the_links(client, org):
    from pathcraft.people.models import Team

    _login(client, org["dev"])
    Team.objects.bulk_create(
        Team(organisation=org["org"], slug=f"pay-{i}", name=f"Payments {i:03}") for i in range(60)
    )
    _, html = _team_list_queries(client, "/teams/?q=payments")
    assert "60 teams matching “payments”" in html and "page 1 of 2" in html
    assert 'href="?page=2&amp;q=payments"' in html
    _, none = _team_list_queries(client, "/teams/?q=nothing-like-it")
    assert "0 teams matching" in none
