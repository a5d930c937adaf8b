"""The demo repository: realistic commit hours in each author's own time zone, and the story it must keep telling.

Shares are computed as the app does: the history engine's per-identity local-hour histogram (the author's stored
UTC offset) through timing.commit_timing, against each person's working hours."""

from __future__ import annotations

import subprocess
import zoneinfo
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.code.defaults import load_defaults
from pathcraft.code.demo import author_of
from pathcraft.code.demorepo import (
    DEPENDABOT,
    DEPLOY,
    END,
    FORMER,
    NEWCOMER_FILE,
    RENOVATE,
    START,
    Author,
    build_demo_repository,
    git_offset,
)
from pathcraft.code.report import analysis_to_dict
from pathcraft.code.timing import WorkingHours, commit_timing
from pathcraft.errors import InputError

SPECIALIST = Author("Sven Wong", "sven@demo.test", "Europe/London")
GOPHER = Author("Rosa Mensah", "rosa@demo.test", "America/New_York", 8, 16)
SHARED = [
    Author("Jae Abebe", "jae@demo.test", "Europe/London"),
    Author(
        "Felix Jensen", "felix@demo.test", "Australia/Sydney"
    ),  # daylight saving in the other half of the year
    Author("Jonas Ueda", "jonas@demo.test", "Asia/Kolkata", 10, 19),  # +05:30, no daylight saving
]
MANAGER = Author("Sam Rivera", "sam@demo.test", "Europe/London")
NEWCOMER = Author("Mateo Castillo", "mateo@mailbox.test", "Europe/London")  # his personal address
EVERYONE = [SPECIALIST, GOPHER, *SHARED, MANAGER, NEWCOMER, FORMER]
BOTS = {DEPENDABOT.email: DEPENDABOT, RENOVATE.email: RENOVATE}


def _build(path, **extra):
    return build_demo_repository(
        path, SPECIALIST, GOPHER, SHARED, manager=MANAGER, newcomer=NEWCOMER, **extra
    )


def _report(path) -> dict:
    hours = {a.email: WorkingHours(a.start_hour, a.end_hour, a.work_days) for a in EVERYONE}
    options = AnalysisOptions(working_hours=hours, reference_time=int(END.timestamp()))
    return analysis_to_dict(analyze_repository(str(path), options))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "platform-core"
    head = _build(path)
    hours = {a.email: WorkingHours(a.start_hour, a.end_hour, a.work_days) for a in EVERYONE}
    analysis = analyze_repository(
        str(path), AnalysisOptions(working_hours=hours, reference_time=int(END.timestamp()))
    )
    return {"path": path, "head": head, "analysis": analysis, "report": analysis_to_dict(analysis)}


def _log(path) -> list[tuple[str, int, str]]:
    out = subprocess.run(["git", "log", "--format=%ae%x09%at%x09%ad", "--date=raw"], cwd=path, check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    rows = []
    for line in out.splitlines():
        email, stamp, raw = line.split("\t")
        rows.append((email, int(stamp), raw.split()[1]))
    return rows


def _timing(built, author: Author, known_hours: bool = True):
    """Night, weekend and outside-hours counts of AUTHOR from the engine's histogram (timing.py over history)."""
    analysis = built["analysis"]
    dev = analysis.knowledge.developers[analysis.identities.find(author.email)]
    hours = WorkingHours(author.start_hour, author.end_hour, author.work_days) if known_hours else None
    return commit_timing(dev.hours, load_defaults(), hours)


def test_every_commit_carries_its_authors_own_offset_with_daylight_saving(built):
    zones = {a.email: zoneinfo.ZoneInfo(a.timezone) for a in [*EVERYONE, *BOTS.values()]}
    seen: dict[str, set[str]] = {}
    for email, stamp, offset in _log(built["path"]):
        moment = datetime.fromtimestamp(stamp, UTC)
        expected = moment.astimezone(zones[email]).utcoffset()
        assert offset == git_offset(int(expected.total_seconds()) // 60), (email, moment)
        seen.setdefault(email, set()).add(offset)
    assert seen["sven@demo.test"] == {"+0000", "+0100"}  # London, winter and summer
    assert seen["rosa@demo.test"] == {"-0500", "-0400"}
    assert seen["felix@demo.test"] == {"+1000", "+1100"}
    assert seen["jonas@demo.test"] == {"+0530"}
    assert seen[FORMER.email] == {"+0200"}  # Stockholm in June: she left before the autumn
    assert seen[DEPENDABOT.email] == seen[RENOVATE.email] == {"+0000"}  # GitHub's bots commit in UTC


def test_history_is_in_order_and_spans_the_fixed_window(built):
    stamps = [stamp for _email, stamp, _offset in reversed(_log(built["path"]))]
    assert stamps == sorted(stamps)
    assert START.timestamp() <= stamps[0] and stamps[-1] <= END.timestamp() + 86400
    assert (stamps[-1] - stamps[0]) / 86400 > 500  # about eighteen months, three daylight-saving changes


def test_the_specialist_works_late_and_at_weekends_and_nobody_else_much(built):
    sven = _timing(built, SPECIALIST)
    assert sven.commits > 60
    assert 0.20 <= sven.outside_hours / sven.commits <= 0.30
    assert sven.night / sven.commits >= 0.08 and sven.weekend / sven.commits >= 0.08
    for author in [GOPHER, *SHARED, MANAGER, NEWCOMER, FORMER]:
        t = _timing(built, author)
        assert t.commits > 0
        assert t.outside_hours / t.commits < 0.10, author.name
        assert (t.night + t.weekend) / t.commits < 0.10, author.name
        assert t.night == 0, author.name  # their rare late commits are evenings, not nights


def test_shares_hold_with_the_default_office_hours_too(built):
    """The app does not pass people's hours yet: working-hours commits sit inside both windows."""
    sven = _timing(built, SPECIALIST, known_hours=False)
    assert 0.20 <= sven.outside_hours / sven.commits <= 0.30
    for author in [SHARED[0], MANAGER]:  # London, 9-17 like the default 10-18 overlap
        t = _timing(built, author, known_hours=False)
        assert t.outside_hours / t.commits < 0.10


def test_the_team_aggregate_is_dominated_by_one_person(built):
    team = built["report"]["timing"]["team"]
    sven = next(d for d in built["report"]["developers"] if d["key"].startswith("sven"))["timing"]
    assert team["weekend"] - sven["weekend"] <= 3
    assert team["night_share"] < sven["night_share"]


def test_the_story_is_kept(built):
    report = built["report"]
    modules = {m["module"]: m for m in report["modules"]}
    languages = {lang["language"]: lang for lang in report["languages"]}
    assert [a["name"] for a in modules["core"]["authors"]] == ["Sven Wong"] and modules["core"]["files"] == 10
    assert [a["name"] for a in languages["Go"]["authors"]] == ["Rosa Mensah"]
    assert [a["name"] for a in modules["tools"]["authors"]] == [FORMER.name]
    assert [a["name"] for a in modules["deploy"]["authors"]] == ["Sam Rivera"] and modules["deploy"][
        "files"
    ] == 2
    deploy = [f for f in report["files"] if f["path"] in DEPLOY]
    assert len(deploy) == 2 and all([a["name"] for a in f["authors"]] == ["Sam Rivera"] for f in deploy)
    assert report["truck_factor"] == 3
    assert report["truck_factor_developers"][0]["name"] == "Sven Wong"
    former = next(d for d in report["developers"] if d["name"] == FORMER.name)
    assert former["idle_days"] > 365  # long gone by the demo's today
    impact = built["analysis"].leave({built["analysis"].identities.find(SPECIALIST.email)})
    assert len(impact.orphaned) == 10 and all(o.successors for o in impact.orphaned)


def test_the_same_seed_builds_the_same_repository(built, tmp_path):
    assert _build(tmp_path / "again") == built["head"]
    assert _build(tmp_path / "other", seed=8) != built["head"]


def test_the_bots_commit_now_and_then_and_change_no_figure(built, tmp_path):
    by_email: dict[str, int] = {}
    for email, _stamp, _offset in _log(built["path"]):
        by_email[email] = by_email.get(email, 0) + 1
    assert by_email[DEPENDABOT.email] == 4 and by_email[RENOVATE.email] == 4
    touched = subprocess.run(["git", "log", "--fixed-strings", f"--author={RENOVATE.email}", "--name-only",
                              "--format="],
                             cwd=built["path"], check=True, capture_output=True, text=True).stdout.split()  # fmt: skip
    assert "deploy/rollout.py" in touched  # an image-tag bump in Sam's script: he stays its only author
    report = built["report"]
    assert sorted(key.split("\t")[1] for key in report["bots"]) == ["dependabot[bot]", "renovate[bot]"]
    assert not [d for d in report["developers"] if "[bot]" in d["name"]]
    _build(tmp_path / "no-bots", bots=False)
    without = _report(tmp_path / "no-bots")
    # The time taken differs, or now and then happens to be equal to the millisecond: it is left out.
    differ = {key for key in report.keys() | without.keys() if report.get(key) != without.get(key)} - {
        "seconds"
    }
    # Only what names the run: the path, the head commit, the commits read, and the bots themselves.
    assert differ == {"repository", "commit", "commits_analysed", "bots"}
    assert report["commits_analysed"] - without["commits_analysed"] == 8


def test_the_newcomer_commits_from_a_personal_address_under_his_own_name(built):
    report = built["report"]
    mateo = [d for d in report["developers"] if d["name"] == NEWCOMER.name]
    assert len(mateo) == 1 and mateo[0]["emails"] == [NEWCOMER.email] and mateo[0]["commits"] == 8
    charts = next(f for f in report["files"] if f["path"] == NEWCOMER_FILE)
    assert [a["name"] for a in charts["authors"]] == [NEWCOMER.name]  # he wrote it and only he changed it
    web = next(m for m in report["modules"] if m["module"] == "web")
    assert len(web["authors"]) >= 2 and not web["single_author"]  # no new single point of failure
    first = min(stamp for email, stamp, _ in _log(built["path"]) if email == NEWCOMER.email)
    assert datetime.fromtimestamp(first, UTC).year == 2026  # he joined late


def test_without_a_manager_there_is_no_deploy_module(tmp_path):
    build_demo_repository(tmp_path / "r", SPECIALIST, GOPHER, SHARED)
    report = analysis_to_dict(analyze_repository(str(tmp_path / "r")))
    assert "deploy" not in {m["module"] for m in report["modules"]}
    assert {m["module"] for m in report["modules"]} == {"agent", "api", "core", "tools", "web"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"start_hour": 17, "end_hour": 9}, "working hours must be a daytime range"),
        ({"work_days": (0, 1, 2, 3, 4, 5, 6)}, "work days must be some of"),
        ({"work_days": (7,)}, "work days must be some of"),
    ],
)
def test_bad_authors_are_one_line_errors(fields, message, tmp_path):
    with pytest.raises(InputError, match=message):
        Author("X", "x@demo.test", **fields)


def test_too_few_sharers_is_an_error_and_writes_nothing(tmp_path):
    with pytest.raises(InputError, match="at least three people"):
        build_demo_repository(tmp_path / "r", SPECIALIST, GOPHER, SHARED[:2])
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("work_days", "start", "end", "expected"),
    [
        ("12345", (9, 0), (17, 0), (9, 17, (0, 1, 2, 3, 4))),
        ("1234", (8, 30), (16, 0), (8, 16, (0, 1, 2, 3))),
        ("12345", (14, 0), (0, 0), (14, 24, (0, 1, 2, 3, 4))),  # a day that ends at midnight
        ("", (9, 0), (17, 0), (9, 17, (0, 1, 2, 3, 4))),
    ],
)
def test_a_person_becomes_a_demo_author(work_days, start, end, expected):
    from datetime import time

    person = SimpleNamespace(name="P", email="p@x.test", timezone="Europe/Berlin", work_days=work_days,
                             work_start=time(*start), work_end=time(*end))  # fmt: skip
    author = author_of(person)
    assert (author.start_hour, author.end_hour, author.work_days) == expected
    assert author.timezone == "Europe/Berlin"


def test_a_day_that_ends_at_midnight_moves_odd_commits_before_work(tmp_path):
    owl = Author("Nia Owl", "nia@demo.test", "Asia/Tokyo", 14, 24)
    build_demo_repository(tmp_path / "r", SPECIALIST, GOPHER, [owl, *SHARED[1:]])
    hours = {owl.email: WorkingHours(14, 24)}
    analysis = analyze_repository(str(tmp_path / "r"), AnalysisOptions(working_hours=hours))
    dev = analysis.knowledge.developers[analysis.identities.find(owl.email)]
    local_hours = {slot % 24 for slot, count in enumerate(dev.hours) if count}
    assert local_hours <= set(range(14, 24)) | {12, 13}  # work, or the early commit before it
    t = commit_timing(dev.hours, load_defaults(), WorkingHours(14, 24))
    assert t.commits > 20 and 0 < t.outside_hours / t.commits < 0.10
