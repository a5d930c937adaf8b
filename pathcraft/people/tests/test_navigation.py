"""The main navigation offers each account only what it may open: an administrator who is not a person in the
organisation gets no person-only links (they answer 403) and no team aggregates; every link shown opens (200)."""

from __future__ import annotations

import re

import pytest

from pathcraft.people.context import ADMIN, ANYONE, AUDIENCES, MANAGER, PERSON, audiences_of, declared_items
from pathcraft.people.tests.factories import PASSWORD, make_admin, small_org

pytestmark = pytest.mark.django_db

ALWAYS = ["Home", "Code", "API", "Reviews"]  # Reviews: a person's teams; an administrator's, all
PERSON_LINKS = ["Career", "Feedback", "Workload", "1:1s", "Org chart", "Teams"]


@pytest.fixture
def org():
    found = small_org()
    # An administrator who is also a person with reports (a CTO who runs the installation).
    found["lead"].user.is_superuser = True
    found["lead"].user.save(update_fields=["is_superuser"])
    return found


def _nav_links(html: str) -> list[tuple[str, str]]:
    main = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return [(label.strip(), href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', main)]


def _login(client, org, who):
    user = org["admin"] if who == "admin" else org[who].user
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "admin",
            [*ALWAYS, "1:1s", "Admin", "Leavers"],
        ),  # not a person: no one's own pages, no team aggregates; 1:1s
        # has the manager-change process for administrators
        ("dev", [*ALWAYS, *PERSON_LINKS]),  # no reports: no team health
        ("boss", [*ALWAYS, *PERSON_LINKS, "Team health", "Leavers"]),
        (
            "lead",
            [*ALWAYS, *PERSON_LINKS, "Team health", "Admin", "Leavers"],
        ),  # a manager who is also an administrator
    ],
)
def test_each_account_is_offered_its_audiences_links(client, org, who, expected):
    links = _nav_links(_login(client, org, who).get("/").content.decode())
    assert sorted(label for label, _ in links) == sorted(expected)


@pytest.mark.parametrize("who", ["admin", "dev", "boss", "lead"])
def test_every_link_an_account_is_offered_opens(client, org, who):
    _login(client, org, who)
    links = _nav_links(client.get("/").content.decode())
    assert links
    for label, href in links:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (label, href, response.status_code)


def test_the_person_only_pages_really_refuse_an_administrator_who_is_not_a_person(client, org):
    """Why the admin is not offered them: each answers 403 (so the audience test above is not vacuous)."""
    from django.urls import reverse

    _login(client, org, "admin")
    person_only = [url for _key, _label, url, audiences in declared_items() if audiences <= {PERSON, MANAGER}]
    assert len(person_only) == len(
        PERSON_LINKS
    )  # Team health in, 1:1s out (administrators have a page there)
    for url_name in person_only:
        assert client.get(reverse(url_name)).status_code == 403, url_name


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {ANYONE, ADMIN}),
        ("dev", {ANYONE, PERSON}),
        ("boss", {ANYONE, PERSON, MANAGER}),
        ("lead", {ANYONE, PERSON, MANAGER, ADMIN}),
    ],
)
def test_audiences_of_each_kind_of_account(org, who, expected):
    user = org["admin"] if who == "admin" else org[who].user
    person = None if who == "admin" else org[who]
    assert audiences_of(user, person) == expected


def test_every_declared_item_names_a_known_audience():
    assert set().union(*(audiences for *_rest, audiences in declared_items())) <= set(AUDIENCES)


def test_an_unknown_audience_is_one_clear_error(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("code")
    monkeypatch.setattr(config, "nav_items", [("code", "Code", "code:index", "everyone")], raising=False)
    with pytest.raises(ValueError, match="pathcraft.code: nav item 'code' has unknown audience 'everyone'"):
        declared_items()


def test_a_new_admin_without_person_sees_no_person_links(client):
    make_admin("ops")
    assert client.login(username="ops", password=PASSWORD)
    labels = {label for label, _ in _nav_links(client.get("/").content.decode())}
    assert labels.isdisjoint({*PERSON_LINKS, "Team health"} - {"1:1s"})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["admin", "dev"])
def test_in_chromium_every_link_the_account_sees_opens(page, live_server, who):
    """Through a real browser: sign in, follow each link of the main navigation; each page answers 200."""
    from pathcraft.testing.browser import login

    org = small_org()
    user = org["admin"] if who == "admin" else org[who].user
    login(page, live_server, user.username, PASSWORD)
    navigation = page.get_by_role("navigation", name="Main").get_by_role("link")
    hrefs = [navigation.nth(i).get_attribute("href") for i in range(navigation.count())]
    assert len(hrefs) >= 4
    for href in hrefs:
        response = page.goto(f"{live_server.url}{href}")
        assert response.status == 200, href
