"""A person's "what I know" page and API: files, modules and languages they author, single points of failure, and
commit timing in their own local time, shown only to themself and their direct manager."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pathcraft.code import actions
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.code.tests.scenarios import analysed, login, org_with_lead, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(tmp_path):
    """Dee (working hours 09-17 Mon-Fri, the factory's default) commits at +0200: Monday 10:00 (inside her hours),
    Tuesday 23:30 and Wednesday 02:15 (night: 22-06 local, though 21:30 and 00:15 UTC) and Saturday 11:00.
    Night 2 of 4, weekend 1 of 4, outside her hours 3 of 4. She alone writes core/ and the Go agent; Dan shares web/.
    """
    o = org_with_lead()
    git = RepoBuilder(tmp_path / "repo")
    dee, dan = f"Dee Dev <{o['dev'].email}>", f"Dan Dev <{o['dev2'].email}>"
    git.commit(dee, {"core/a.py": "a\n", "core/b.py": "b\n"}, when=utc(2020, 9, 14, 8, 0), offset="+0200")
    git.commit(dee, {"agent/main.go": "package main\n"}, when=utc(2020, 9, 15, 21, 30), offset="+0200")
    git.commit(dee, {"web/x.py": "x\n"}, when=utc(2020, 9, 16, 0, 15), offset="+0200")
    git.commit(dee, {"core/a.py": "a\n1\n"}, when=utc(2020, 9, 19, 9, 0), offset="+0200")
    git.commit(dan, {"web/y.py": "y\n"}, when=utc(2020, 9, 21, 9, 0))
    git.commit(dan, {"web/x.py": "x\n2\n"}, when=utc(2020, 9, 22, 9, 0))
    o["repo"] = analysed(o["team"], git)
    return o


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(html)).split())


def person_page(client, o, who, subject="dev"):
    return login(client, o[who]).get(f"/code/people/{o[subject].pk}/")


def test_a_colleague_sees_what_dee_knows_but_not_when_she_commits(client, o):
    response = person_page(client, o, "dev2")
    assert response.status_code == 200
    page = text(response.content.decode())
    assert "What Dee Dev knows in the code" in page
    assert "Author of 4 files in 1 repository (4 of 5 in svc)" in page
    assert "The only author of 3 of them, of 2 modules and of 1 language" in page
    assert "Module core : the only author (2 of 2 files)" in page
    assert "Language Go : the only one who can work in it (1 of 1 files)" in page
    assert "web/x.py" in page  # co-authored with Dan: authored, not sole
    assert "When Dee Dev commits" not in page and 'id="timing"' not in response.content.decode()


@pytest.mark.parametrize("who", ["dev", "lead"])
def test_she_and_her_manager_see_her_commit_times_in_her_local_time(client, o, who):
    page = text(person_page(client, o, who).content.decode())
    assert "At night (22:00–06:00) 2 of 4 50%" in page
    assert "At weekends 1 of 4 25%" in page
    assert "Outside working hours (09:00–17:00, Mon, Tue, Wed, Thu, Fri) 3 of 4 75%" in page
    assert ("What I know in the code" in page) is (who == "dev")


@pytest.mark.parametrize(("who", "status", "timing"),
                         [("dev", 200, True), ("lead", 200, True), ("boss", 200, False), ("dev2", 200, False),
                          ("other", 200, False), ("stranger", 404, None)])  # fmt: skip
def test_the_api_follows_the_policy(client, o, who, status, timing):
    response = login(client, o[who]).get(f"/api/code/people/{o['dev'].pk}/knowledge")
    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert (data["files"], data["sole_files"], data["sole_modules"], data["sole_languages"]) == (
            4,
            3,
            2,
            1,
        )
        assert (data["timing"] is not None) is timing
        if timing:
            assert data["timing"]["night"] == {"count": 2, "of": 4, "pct": 50}
        repo = data["repositories"][0]
        assert {f["path"] for f in repo["sole_files"]} == {"core/a.py", "core/b.py", "agent/main.go"}


def test_a_stranger_gets_404_and_anonymous_goes_to_login(client, o):
    assert person_page(client, o, "stranger").status_code == 404
    client.logout()
    assert client.get(f"/code/people/{o['dev'].pk}/").status_code == 302


def test_someone_without_commits_gets_a_plain_sentence(client, o):
    page = text(person_page(client, o, "dev", subject="boss").content.decode())
    assert "No commits by Bo Boss in the analysed repositories you can see" in page


def test_the_knowledge_map_links_people_to_their_page(client, o):
    html = login(client, o["dev2"]).get(f"/code/repositories/{o['repo'].pk}/").content.decode()
    assert f'<a href="/code/people/{o["dev"].pk}/">Dee Dev</a>' in html


def test_the_growth_handover_reads_the_files_only_a_person_knows(o):
    from pathcraft.code.matching import files_only_known_by

    assert sorted(files_only_known_by(o["dev"])) == ["svc: agent/main.go", "svc: core/a.py", "svc: core/b.py"]
    assert files_only_known_by(o["boss"]) == []


def test_an_alias_brings_commits_under_another_email_to_the_person(client, o, tmp_path):
    git = RepoBuilder(tmp_path / "second")
    git.commit("Dee at home <dee@home.example>", {"lib/z.py": "z\n"})
    second = analysed(o["team"], git, "second")
    page = text(person_page(client, o, "dev2").content.decode())
    assert "second" not in page.split("In short")[1].split("When")[0]
    actions.add_alias(o["dev"], "dee@home.example", current=second)
    page = text(person_page(client, o, "dev2").content.decode())
    assert "Author of 5 files in 2 repositories" in page
