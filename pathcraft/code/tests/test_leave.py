"""What if someone leaves, people long gone, time decay, and when people commit."""

from __future__ import annotations

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.code.defaults import load_defaults
from pathcraft.code.report import analysis_to_dict, leave_to_dict
from pathcraft.code.tests.gitfactory import BASE_TIME, RepoBuilder
from pathcraft.code.timing import WorkingHours, commit_timing

ALICE = "Alice <alice@example.com>"
BOB = "Bob <bob@example.com>"
CAROL = "Carol <carol@example.com>"
DAY = 86400


def team_repo(path) -> RepoBuilder:
    """Alice (the specialist) writes the core alone; Bob the web part; Carol helps a little on one core file."""
    repo = RepoBuilder(path)
    repo.commit(ALICE, {"core/a.py": "a = 1\n", "core/b.py": "b = 1\n", "core/c.py": "c = 1\n"})
    repo.commit(BOB, {"web/app.js": "var a = 1;\n", "web/ui.js": "var b = 1;\n"})
    repo.touch(CAROL, "core/c.py", 2)
    return repo


def test_leave_orphans_the_specialists_files_and_names_successors(tmp_path):
    team_repo(tmp_path)
    analysis = analyze_repository(str(tmp_path), AnalysisOptions())
    alice = analysis.identities.find("alice@example.com")
    data = leave_to_dict(analysis, analysis.leave([alice]))
    orphaned = {f["path"]: f for f in data["orphaned_files"]}
    # core/c.py: Alice 4.391 - 0.321 ln 3 = 4.038; Carol 3.293 + 0.328 = 3.621, normalized 0.897: both authors.
    assert sorted(orphaned) == ["core/a.py", "core/b.py"]
    assert data["coverage_before"] == 1.0
    assert data["coverage_after"] == pytest.approx(3 / 5)
    assert data["truck_factor_before"] == 2 and data["truck_factor_after"] == 1
    assert all(f["successors"] == [] for f in orphaned.values())  # nobody else ever touched them
    core = next(m for m in data["modules"] if m["module"] == "core")
    assert (core["orphaned"], core["coverage_after"]) == (2, pytest.approx(1 / 3))


def test_successors_are_ranked_by_doa(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"x.py": "x = 1\n"})
    repo.touch(ALICE, "x.py", 30)
    repo.touch(BOB, "x.py", 2)
    repo.touch(CAROL, "x.py", 1)
    analysis = analyze_repository(str(tmp_path), AnalysisOptions())
    data = leave_to_dict(analysis, analysis.leave([analysis.identities.find("Alice")]))
    successors = data["orphaned_files"][0]["successors"]
    assert [s["key"] for s in successors] == ["bob@example.com", "carol@example.com"]
    assert successors[0]["doa"] > successors[1]["doa"]


def test_unknown_person_is_a_clear_error(tmp_path):
    team_repo(tmp_path)
    analysis = analyze_repository(str(tmp_path), AnalysisOptions())
    with pytest.raises(Exception, match="no developer 'zed@example.com'"):
        analysis.identities.find("zed@example.com")


def test_idle_developers_count_as_gone(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"old.py": "o = 1\n", "old2.py": "o = 2\n"}, when=BASE_TIME)
    repo.commit(BOB, {"new.py": "n = 1\n"}, when=BASE_TIME + 400 * DAY)
    now = BASE_TIME + 401 * DAY
    plain = analysis_to_dict(analyze_repository(str(tmp_path), AnalysisOptions(reference_time=now)))
    idle = analysis_to_dict(
        analyze_repository(str(tmp_path), AnalysisOptions(reference_time=now, idle_days=365))
    )
    assert plain["truck_factor"] == 1 and plain["coverage_before"] == 1.0
    lost = idle["knowledge_already_lost"]
    assert [d["key"] for d in lost["leavers"]] == ["alice@example.com"]
    assert sorted(f["path"] for f in lost["orphaned_files"]) == ["old.py", "old2.py"]
    # With Alice gone only 1 of 3 files keeps an author: below 50% before anyone is removed.
    assert idle["truck_factor"] == 0
    assert idle["coverage_before"] == pytest.approx(1 / 3)
    assert {d["key"]: d["gone"] for d in idle["developers"]} == {
        "alice@example.com": True,
        "bob@example.com": False,
    }


def test_decay_forgets_old_work(tmp_path):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"a.py": "a = 1\n"}, when=BASE_TIME)
    repo.commit(BOB, {"a.py": "a = 2\n", "b.py": "b = 1\n"}, when=BASE_TIME + 600 * DAY)
    now = BASE_TIME + 600 * DAY
    plain = analysis_to_dict(analyze_repository(str(tmp_path), AnalysisOptions(reference_time=now)))
    decayed = analysis_to_dict(
        analyze_repository(str(tmp_path), AnalysisOptions(reference_time=now, decay=True))
    )
    a_plain = {x["key"] for f in plain["files"] if f["path"] == "a.py" for x in f["authors"]}
    a_decay = {x["key"]: x for f in decayed["files"] if f["path"] == "a.py" for x in f["authors"]}
    assert a_plain == {"alice@example.com", "bob@example.com"}
    assert set(a_decay) == {"bob@example.com"}  # Alice's creation is 600 days old: outside the 547-day window
    assert a_decay["bob@example.com"]["doa"] == pytest.approx(3.293 + 0.164)  # weight exp(0) = 1 today


@pytest.mark.parametrize(
    ("offset", "when", "night", "weekend"),
    [
        ("+0000", BASE_TIME, 0, 1),  # Sunday 12:26 UTC, local the same
        ("+1100", BASE_TIME, 1, 1),  # Sunday 23:26 local
        ("-0500", BASE_TIME + 2 * DAY, 0, 0),  # Tuesday 12:26 UTC = 07:26 local
        ("+0200", BASE_TIME + DAY - 11 * 3600, 1, 0),  # Monday 01:26 UTC = 03:26 local
    ],
)
def test_night_and_weekend_in_the_authors_local_time(tmp_path, offset, when, night, weekend):
    repo = RepoBuilder(tmp_path)
    repo.commit(ALICE, {"a.py": "a = 1\n"}, when=when, offset=offset)
    data = analysis_to_dict(analyze_repository(str(tmp_path), AnalysisOptions()))
    timing = data["developers"][0]["timing"]
    assert (timing["night"], timing["weekend"]) == (night, weekend)
    assert data["timing"]["team"]["commits"] == 1


def test_working_hours_of_a_known_person():
    defaults = load_defaults()
    hours = [0] * 168
    hours[0 * 24 + 7] = 3  # Monday 07:00
    hours[0 * 24 + 12] = 1  # Monday 12:00
    office = commit_timing(hours, defaults)
    early_bird = commit_timing(hours, defaults, WorkingHours(7, 15))
    assert (office.outside_hours, office.hours_known) == (3, False)  # default office hours 10-18
    assert (early_bird.outside_hours, early_bird.hours_known) == (0, True)
    assert office.to_dict()["outside_working_hours_share"] == 0.75
