"""Reviews read in the code analysis's own pass equal the review engine's own read, full and incremental."""

from __future__ import annotations

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.reviews.codepass import CodePassReviews
from pathcraft.reviews.tests.test_trailers import BOB, CAROL, DAVE, ERIN, build
from pathcraft.reviews.trailers import read_git_reviews


def rows(events):
    return sorted((e.kind, e.change_id, e.reviewer.email, e.author.email, e.at, e.paths) for e in events)


def test_the_code_pass_finds_the_same_reviews(tmp_path):
    repo, _ = build(tmp_path / "r")
    hook = CodePassReviews()
    analysis = analyze_repository(str(repo.path), AnalysisOptions(commit_hook=hook, reference_time=0))
    found = hook.finish(analysis)
    alone = read_git_reviews(str(repo.path), paths=True)
    assert rows(found.events) == rows(alone.events) and len(found.events) == 12
    assert (found.head, found.commits, found.incremental) == (alone.head, alone.commits, False)
    assert analysis.truck.truck_factor == analyze_repository(str(repo.path)).truck.truck_factor


def test_an_incremental_code_run_gives_the_new_reviews_only(tmp_path):
    repo, _ = build(tmp_path / "r")
    first = analyze_repository(str(repo.path), AnalysisOptions(reference_time=0))
    old = first.commit
    repo.git("checkout", "-q", "-b", "later")
    repo.commit(DAVE, f"More\n\nReviewed-by: {CAROL}\n", {"lib/h.py": "h\n"})
    repo.git("checkout", "-q", "main")
    repo.commit(BOB, f"Even more\n\nAcked-by: {ERIN}\n", {"z.py": "z\n"})
    repo.merge("later", BOB, "Merge pull request #9 from dave/later\n")
    hook = CodePassReviews()
    analysis = analyze_repository(
        str(repo.path), AnalysisOptions(commit_hook=hook, reference_time=0), state=first.state
    )
    found = hook.finish(analysis)
    assert found.incremental and found.commits == 3
    assert rows(found.events) == rows(read_git_reviews(str(repo.path), last_seen=old, paths=True).events)
