"""Git identities matched to people: proposals, confirm / reject / re-assign, the alias table, bots, and what each
decision changes on the knowledge pages (the report is rebuilt with the alias table)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from pathcraft.code import actions
from pathcraft.code.models import IdentityMatch, NameAlias, Repository
from pathcraft.code.tests.scenarios import analysed, identities_repo, login, org_with_lead
from pathcraft.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def o(tmp_path):
    o = org_with_lead()
    o["git"] = identities_repo(tmp_path / "repo", o)
    o["repo"] = analysed(o["team"], o["git"])
    return o


def text(html: str) -> str:
    """What a reader sees: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace(" (", " (")


def developer(repo: Repository, email: str) -> dict:
    return next(d for d in repo.report["developers"] if email in d["emails"])


def page(client, o, who="lead") -> str:
    response = login(client, o[who]).get(f"/code/repositories/{o['repo'].pk}/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def identities_page(client, o, who="lead"):
    return login(client, o[who]).get(f"/code/repositories/{o['repo'].pk}/identities/")


def decide(client, o, key, decision, person=None, who="lead"):
    data = {"developer": key, "decision": decision}
    if person is not None:
        data["person"] = person
    return login(client, o[who]).post(f"/code/repositories/{o['repo'].pk}/identities/decide/", data)


def row_of(html: str, key: str) -> str:
    return html.split(f'data-identity="{key}"')[1].split("</tr>")[0]


def test_the_identities_page_lists_matches_proposals_former_contributors_and_bots(client, o):
    html = identities_page(client, o).content.decode()
    assert (
        "4 identities" in html
        and "<strong>1</strong> matched" in html
        and "<strong>1</strong> waiting" in html
    )
    assert "<strong>2</strong> former contributors" in html
    dee = row_of(html, o["dev"].email)
    assert 'data-how="email"' in dee
    assert "same email as the person" in dee and f"/code/people/{o['dev'].pk}/" in dee
    dan = row_of(html, "dan@laptop.example")
    assert "proposed" in dan and "Dan Dev?" in dan and "Confirm" in dan
    assert "Former contributor" in row_of(html, "dee@home.example")
    bots = html.split('id="bots"')[1].split("</table>")[0]
    assert "dependabot[bot]" in bots and '<td class="num">1</td>' in bots


def test_an_unconfirmed_proposal_is_not_counted_as_the_person_until_confirmed(client, o):
    html = page(client, o)
    assert "unconfirmed match" in html
    assert f"/code/people/{o['dev2'].pk}/" not in html  # Dan is not linked while the match waits
    leave_form = html.split('id="leave-h"')[1].split("</fieldset>")[0]
    assert "Dan Dev" not in leave_form

    response = decide(client, o, "dan@laptop.example", "confirm")
    assert response.status_code == 302
    row = IdentityMatch.objects.get(email="dan@laptop.example")
    assert (row.person, row.confirmed, row.rejected, row.decided_by) == (
        o["dev2"],
        True,
        False,
        o["lead"].user,
    )
    html = page(client, o)
    assert "unconfirmed match" not in html
    assert f'<a href="/code/people/{o["dev2"].pk}/">Dan Dev</a>' in html
    assert "Dan Dev" in html.split('id="leave-h"')[1].split("</fieldset>")[0]
    knowledge = login(client, o["dev2"]).get(f"/code/people/{o['dev2'].pk}/").content.decode()
    assert "web/x.py" in knowledge and "What I know in the code" in knowledge


def test_assigning_a_former_identity_merges_it_and_changes_the_truck_factor(client, o):
    assert o["repo"].report["truck_factor"] == 2
    assert "Module side" in page(client, o).split('id="spof"')[1].split("</section>")[0]
    assert "D. Dev (former contributor)" in text(page(client, o))

    response = decide(client, o, "dee@home.example", "assign", o["dev"].pk)
    assert response.status_code == 302
    repo = Repository.objects.get(pk=o["repo"].pk)
    dee = developer(repo, o["dev"].email)
    assert set(dee["emails"]) == {o["dev"].email, "dee@home.example"} and dee["files_authored"] == 4
    assert repo.report["truck_factor"] == 1  # Dee authors 4 of 6 files: removing her leaves 2 of 6
    html = page(client, o)
    assert "D. Dev" not in html
    spof = html.split('id="spof"')[1].split("</section>")[0]
    assert (
        "Module side" in spof and f'/code/people/{o["dev"].pk}/">Dee Dev</a>' in spof.split("Module side")[1]
    )
    # It sticks: a later analysis (the background job) keeps the merge.
    o["git"].commit("D. Dev <dee@home.example>", {"side/u.py": "u\n"})
    repo = actions.run_analysis(repo.pk)
    assert developer(repo, "dee@home.example")["files_authored"] == 5


def test_rejecting_a_proposal_leaves_a_former_contributor_that_is_not_proposed_again(client, o):
    assert decide(client, o, "dan@laptop.example", "reject").status_code == 302
    row = IdentityMatch.objects.get(email="dan@laptop.example")
    assert row.rejected and not row.confirmed and row.person == o["dev2"]
    actions.run_analysis(o["repo"].pk)
    html = identities_page(client, o).content.decode()
    dan = row_of(html, "dan@laptop.example")
    assert "Former contributor" in dan and "not Dan Dev (rejected)" in dan and "Confirm" not in dan
    assert "Dan Dev (former contributor)" in text(page(client, o))


def test_rejecting_an_email_match_stops_counting_the_identity_as_that_person(client, o):
    assert decide(client, o, o["dev"].email, "reject").status_code == 302
    html = page(client, o)
    assert f"/code/people/{o['dev'].pk}/" not in html and "Dee Dev (former contributor)" in text(html)
    # ... and assigning it back undoes it.
    assert decide(client, o, o["dev"].email, "assign", o["dev"].pk).status_code == 302
    assert f"/code/people/{o['dev'].pk}/" in page(client, o)


def test_a_name_in_the_alias_table_merges_and_removing_it_splits_again(client, o):
    c = login(client, o["lead"])
    url = f"/code/repositories/{o['repo'].pk}/aliases/"
    assert c.post(url, {"person": o["dev"].pk, "handle": "D. Dev"}).status_code == 302
    alias = NameAlias.objects.get()
    assert (alias.person, alias.normalized) == (o["dev"], "d. dev")
    repo = Repository.objects.get(pk=o["repo"].pk)
    assert developer(repo, "dee@home.example")["key"] == o["dev"].email and repo.report["truck_factor"] == 1
    table = identities_page(client, o).content.decode().split('id="aliases"')[1].split("</table>")[0]
    assert "Dee Dev" in table and "“D. Dev”" in table

    assert c.post(f"{url}name/{alias.pk}/remove/").status_code == 302
    repo = Repository.objects.get(pk=o["repo"].pk)
    assert (
        developer(repo, "dee@home.example")["key"] == "dee@home.example" and repo.report["truck_factor"] == 2
    )


def test_an_email_alias_feeds_every_repository_of_the_organisation(client, o, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    other = identities_repo(tmp_path / "other", o)
    second = analysed(o["team2"], other, "other")
    c = login(client, o["lead"])
    response = c.post(f"/code/repositories/{o['repo'].pk}/aliases/", {"person": o["dev"].pk,
                                                                       "handle": "DEE@home.example"})  # fmt: skip
    assert response.status_code == 302
    assert IdentityMatch.objects.get(email="dee@home.example").method == IdentityMatch.Method.MANUAL
    for repo in (o["repo"], second):  # this one rebuilt at once, the other re-analysed by the job
        repo.refresh_from_db()
        assert repo.status == Repository.Status.DONE
        assert developer(repo, "dee@home.example")["key"] == o["dev"].email


@pytest.mark.parametrize(
    ("data", "message"),
    [({"developer": "dan@laptop.example", "decision": "assign", "person": "stranger"},
      "choose a person of the organisation"),
     ({"developer": "dan@laptop.example", "decision": "assign", "person": "nonsense"},
      "choose a person of the organisation"),
     ({"developer": "nobody@x.example", "decision": "confirm"}, "no such git identity"),
     ({"developer": "gone@old.example", "decision": "confirm"}, "nothing to confirm"),
     ({"developer": "gone@old.example", "decision": "reject"}, "nothing to reject"),
     ({"developer": "gone@old.example", "decision": "shrug"}, "decision must be")],
)  # fmt: skip
def test_bad_decisions_get_one_line_and_change_nothing(client, o, data, message):
    if data.get("person") == "stranger":
        data = {**data, "person": o["stranger"].pk}
    before = list(IdentityMatch.objects.values_list("email", "person_id", "confirmed", "rejected"))
    report = Repository.objects.get(pk=o["repo"].pk).report
    response = login(client, o["lead"]).post(f"/code/repositories/{o['repo'].pk}/identities/decide/", data)
    assert response.status_code == 400
    error = response.content.decode().split('id="identity-error">')[1].split("</p>")[0]
    assert message in error and "\n" not in error
    assert list(IdentityMatch.objects.values_list("email", "person_id", "confirmed", "rejected")) == before
    assert Repository.objects.get(pk=o["repo"].pk).report == report


@pytest.mark.parametrize(
    ("handle", "message"),
    [("", "give an email or a name"), ("dan.dev@acme.test", "is Dan Dev's own email"),
     ("dee.dev@acme.test", "already Dee Dev's own email"), ("not an@ email", "is not an email address"),
     ("Dee Dev", "is already Dee Dev's name"), ("dan  DEV", "is Dan Dev's name")],
)  # fmt: skip
def test_bad_aliases_are_refused(client, o, handle, message):
    response = login(client, o["lead"]).post(
        f"/code/repositories/{o['repo'].pk}/aliases/", {"person": o["dev"].pk, "handle": handle}
    )
    assert response.status_code == 400 and message in unescape(response.content.decode())
    assert not NameAlias.objects.exists()
    assert not IdentityMatch.objects.filter(method=IdentityMatch.Method.MANUAL).exists()


def test_an_alias_taken_by_someone_else_is_refused(client, o):
    actions.add_alias(o["dev2"], "shared@box.example")
    response = login(client, o["lead"]).post(
        f"/code/repositories/{o['repo'].pk}/aliases/", {"person": o["dev"].pk, "handle": "shared@box.example"}
    )
    assert response.status_code == 400 and "already one of Dan Dev's aliases" in unescape(
        response.content.decode()
    )
    assert IdentityMatch.objects.get(email="shared@box.example").person == o["dev2"]


@pytest.mark.parametrize("who", ["dev", "dev2", "other", "boss"])
def test_only_the_team_lead_or_an_admin_may_see_or_change_identities(client, o, who):
    pk = o["repo"].pk
    assert identities_page(client, o, who).status_code == 403
    assert decide(client, o, "dan@laptop.example", "confirm", who=who).status_code == 403
    c = login(client, o[who])
    assert (
        c.post(
            f"/code/repositories/{pk}/aliases/", {"person": o["dev"].pk, "handle": "x@y.example"}
        ).status_code
        == 403
    )
    assert not IdentityMatch.objects.filter(
        email__in=["dan@laptop.example", "x@y.example"], confirmed=True
    ).exists()


def test_a_stranger_gets_404_and_an_admin_may_decide(client, o):
    assert identities_page(client, o, "stranger").status_code == 404
    assert decide(client, o, "dan@laptop.example", "confirm", who="stranger").status_code == 404
    c = login(client, "root")
    assert c.get(f"/code/repositories/{o['repo'].pk}/identities/").status_code == 200
    response = c.post(f"/code/repositories/{o['repo'].pk}/identities/decide/",
                      {"developer": "dan@laptop.example", "decision": "confirm"})  # fmt: skip
    assert response.status_code == 302 and IdentityMatch.objects.get(email="dan@laptop.example").confirmed


def test_a_person_added_after_the_analysis_is_proposed_by_name(client, o):
    make_person(o["org"], "Gone Person", email="g.person@acme.test")
    html = identities_page(client, o).content.decode()
    assert "Gone Person?" in row_of(html, "gone@old.example")
