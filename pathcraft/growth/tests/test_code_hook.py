"""Files only the manager knows (from the code capability's analysed repositories) count as single-owner duties
before a leave: the hook, the readiness check, and the handover page that lists them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pathcraft.code import actions as code_actions
from pathcraft.code.models import IdentityMatch
from pathcraft.code.tests.gitfactory import RepoBuilder
from pathcraft.growth import actions, sources
from pathcraft.growth.handover import board_context, handover_context
from pathcraft.growth.tests.db import login
from pathcraft.people.tests.factories import make_org, make_person, make_team

MIA = "Mia Manager <mia@acme.test>"
REX = "Rex Report <rex@acme.test>"
MIA_AT_HOME = "M. Manager <mia@home.example>"  # another name too: only the alias table makes it Mia's


@pytest.fixture
def team(db, tmp_path):
    org = make_org()
    platform = make_team(org, "platform", "Platform")
    boss = make_person(org, "Bo Boss")
    mia = make_person(org, "Mia Manager", manager=boss, team=platform, email="mia@acme.test")
    platform.lead = mia
    platform.save()
    rex = make_person(org, "Rex Report", manager=mia, team=platform, email="rex@acme.test")
    git = RepoBuilder(tmp_path / "platform-core")
    git.commit(MIA, {"ops/deploy.py": "deploy\n", "core/a.py": "a\n"})
    git.commit(REX, {"core/a.py": "a\nb\n", "api/routes.py": "r\n"})  # Rex co-authors core/a.py (0.83 > 0.75)
    git.commit(MIA_AT_HOME, {"ops/backup.py": "backup\n"})
    IdentityMatch.objects.create(organisation=org, email="mia@home.example", person=mia,
                                 method=IdentityMatch.Method.MANUAL, confirmed=True)  # fmt: skip
    repo = code_actions.register_repository(platform, "platform-core", str(git.path))
    code_actions.run_analysis(repo.pk)
    first = timezone.localdate() + dt.timedelta(days=10)
    leave = actions.record_leave(mia, first, first + dt.timedelta(days=7), acting_lead=rex)
    return {"org": org, "team": platform, "boss": boss, "mia": mia, "rex": rex, "git": git, "repo": repo,
            "leave": leave}  # fmt: skip


def test_the_hook_lists_files_only_the_person_authors_under_every_email(team):
    assert sources.files_only_known_by(team["mia"]) == [
        "platform-core: ops/backup.py",
        "platform-core: ops/deploy.py",
    ]
    assert sources.files_only_known_by(team["rex"]) == ["platform-core: api/routes.py"]
    assert sources.manager_only_files(team["mia"]) == sources.files_only_known_by(team["mia"])


def test_without_the_alias_the_other_email_is_somebody_else(team):
    IdentityMatch.objects.filter(email="mia@home.example").delete()
    code_actions.run_analysis(team["repo"].pk, full=True)
    assert sources.files_only_known_by(team["mia"]) == ["platform-core: ops/deploy.py"]


def test_nothing_analysed_or_another_organisations_repository_counts_for_nothing(team, tmp_path):
    lonely = make_person(team["org"], "Lo Nely", team=team["team"], email="lo@acme.test")
    assert sources.files_only_known_by(lonely) == []
    elsewhere = make_team(make_org("globex"), "web", "Web")
    theirs = RepoBuilder(tmp_path / "theirs")
    theirs.commit(MIA, {"secret/plan.py": "x\n"})  # Mia's email, but in another organisation's repository
    code_actions.run_analysis(code_actions.register_repository(elsewhere, "theirs", str(theirs.path)).pk)
    new = RepoBuilder(tmp_path / "new")
    new.commit(MIA, {"tools/x.py": "x\n"})
    code_actions.register_repository(
        team["team"], "not-analysed", str(new.path)
    )  # registered, never analysed
    assert sources.files_only_known_by(team["mia"]) == [
        "platform-core: ops/backup.py",
        "platform-core: ops/deploy.py",
    ]


def test_two_teams_with_a_repository_of_the_same_name_are_told_apart_by_team(team, tmp_path):
    infra = make_team(team["org"], "infra", "Infra")
    twin = RepoBuilder(tmp_path / "twin")
    twin.commit(MIA, {"ops/deploy.py": "their deploy\n"})  # same repository name and path, another team
    code_actions.run_analysis(code_actions.register_repository(infra, "platform-core", str(twin.path)).pk)
    assert sources.files_only_known_by(team["mia"]) == [
        "Infra / platform-core: ops/deploy.py",
        "Platform / platform-core: ops/backup.py",
        "Platform / platform-core: ops/deploy.py",
    ]
    # A name used once keeps the short label, whatever the other repositories are called.
    tools = RepoBuilder(tmp_path / "tools")
    tools.commit(MIA, {"bin/release.py": "release\n"})
    code_actions.run_analysis(code_actions.register_repository(infra, "tools", str(tools.path)).pk)
    assert "tools: bin/release.py" in sources.files_only_known_by(team["mia"])


def test_the_handover_reads_the_code_reports_once(team, monkeypatch):
    calls = []
    hook = sources.files_only_known_by
    monkeypatch.setattr(sources, "files_only_known_by", lambda person: calls.append(person) or hook(person))
    context = handover_context(team["leave"], viewer=team["mia"])
    assert calls == [team["mia"]]
    assert [g.duty.name for g in context["readiness"].manager_only] == [
        "knows platform-core: ops/backup.py",
        "knows platform-core: ops/deploy.py",
    ]
    assert "knows platform-core: ops/deploy.py" in context["markdown"]


def test_the_readiness_check_counts_them_as_critical_manager_only_duties(team):
    checks = board_context(team["mia"])["checks"]
    assert len(checks) == 1 and not checks[0][1].ready
    assert [g.duty.name for g in checks[0][1].manager_only] == [
        "knows platform-core: ops/backup.py",
        "knows platform-core: ops/deploy.py",
    ]


def test_a_successor_who_learns_the_file_takes_it_off_the_list(team):
    team["git"].commit(REX, {"ops/deploy.py": "deploy\nrex\n"})  # one change: Rex is a co-author now
    code_actions.run_analysis(team["repo"].pk)
    assert sources.files_only_known_by(team["mia"]) == ["platform-core: ops/backup.py"]


@pytest.mark.parametrize("viewer", ["mia", "rex", "boss"])
def test_the_handover_page_lists_the_files(team, client, viewer):
    login(client, team[viewer])
    response = client.get(reverse("growth:handover", args=[team["leave"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    uncovered = html[html.index('id="uncovered"') : html.index("</section>", html.index('id="uncovered"'))]
    assert "<li>knows platform-core: ops/deploy.py</li>" in uncovered
    assert "<li>knows platform-core: ops/backup.py</li>" in uncovered
    assert "core/a.py" not in html and "api/routes.py" not in html  # shared, or not Mia's
    assert "Critical and only Mia Manager can do it" in uncovered


def test_a_stranger_sees_no_handover(team, client):
    stranger = make_person(make_org("globex"), "Sta Stranger")
    login(client, stranger)
    assert client.get(reverse("growth:handover", args=[team["leave"].pk])).status_code == 404


def test_the_demo_handover_lists_the_deploy_scripts_only_sam_knows(db, settings, tmp_path, client):
    settings.DATA_DIR = tmp_path  # the demo repository is generated here, not in ./data
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD
    from pathcraft.growth.models import Leave
    from pathcraft.people.models import Person

    logins = load_demo()
    sam = Person.objects.get(email=logins["manager"])
    assert sources.files_only_known_by(sam) == [
        "platform-core: deploy/rollback.py",
        "platform-core: deploy/rollout.py",
    ]
    leave = Leave.objects.filter(person=sam, acting_lead__isnull=False).order_by("-first_day").first()
    assert client.login(username=sam.email, password=DEMO_PASSWORD)
    html = client.get(reverse("growth:handover", args=[leave.pk])).content.decode()
    assert "<li>knows platform-core: deploy/rollout.py</li>" in html
    assert "<li>knows platform-core: deploy/rollback.py</li>" in html
    assert "<li>Approve production access</li>" in html  # the board's own manager-only duty is still there
