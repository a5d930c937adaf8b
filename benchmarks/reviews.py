"""Review engine speed on git/git: trailers and merges against the floor `git log --format=%(trailers)`, an
incremental read after 100 new commits, and the code analysis alone, with the reviews read in its own pass
(CodePassReviews) and with a second review read beside it.

    python benchmarks/reviews.py [REPO] [--runs N]

Without REPO the mirror of git/git is found as the tests find it (PATHCRAFT_GIT_MIRRORS, else /work/.mirror).
Each figure is the median of N runs; engine and floor run in turn (A B A B …) and the ratio is taken pair by pair,
so a machine whose speed drifts still gives a fair ratio. The floor's output is read through a pipe by this process,
as the engine reads its own git log. Goals (issue 17): ratio <= 1.2; incremental well under 1 s; the code analysis
not more than 10% slower with reviews read in the same run.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pathcraft.code.gitrepo import _env  # noqa: E402
from pathcraft.reviews.trailers import read_git_reviews  # noqa: E402
from pathcraft.testing.mirrors import find_mirror, where_looked  # noqa: E402

PINNED = "1a3e64c6c4a623626ff0687008732a8e007e2a1c"  # git/git master, 2026-08-20 (as in the agreement test)


def cpu() -> float:
    """CPU seconds of this process and its finished children (git): a shared machine's wall clock drifts."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def floor(repo: str, commit: str) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["git", "--git-dir", repo, "log", "--format=%(trailers)", commit], stdout=subprocess.PIPE, env=_env()
    )
    assert proc.stdout is not None
    while proc.stdout.read(1 << 20):
        pass
    proc.wait()
    return time.perf_counter() - started


def engine(repo: str, commit: str, **options) -> tuple[float, int]:
    started = time.perf_counter()
    found = read_git_reviews(repo, ref=commit, **options)
    return time.perf_counter() - started, len(found.events)


def hundred_back(repo: str, commit: str) -> str:
    """The first-parent ancestor X of COMMIT with X..COMMIT holding at least 100 commits."""
    chain = subprocess.run(
        ["git", "--git-dir", repo, "rev-list", "--first-parent", "--max-count=200", commit],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for candidate in chain[1:]:
        count = subprocess.run(
            ["git", "--git-dir", repo, "rev-list", "--count", f"{candidate}..{commit}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        if int(count) >= 100:
            return candidate
    raise SystemExit("fewer than 100 commits in reach")


def code_analysis(repo: str, commit: str, how: str) -> tuple[float, float]:
    """One code analysis of COMMIT: alone, with the review read beside it (a second git log), or with the reviews
    read in the code engine's own pass (CodePassReviews)."""
    from pathcraft.code.analysis import AnalysisOptions, analyze_repository
    from pathcraft.reviews.codepass import CodePassReviews

    started, used = time.perf_counter(), cpu()
    side = None
    hook = CodePassReviews() if how == "same pass" else None
    if how == "beside":
        side = threading.Thread(target=lambda: read_git_reviews(repo, ref=commit))
        side.start()
    analysis = analyze_repository(repo, AnalysisOptions(ref=commit, reference_time=0, commit_hook=hook))
    if side is not None:
        side.join()
    if hook is not None:
        hook.finish(analysis)
    return time.perf_counter() - started, cpu() - used


def median(values) -> float:
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repo", nargs="?", help="a clone or mirror of git/git (default: the mirror)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-code", action="store_true", help="skip the (long) code-analysis comparison")
    args = parser.parse_args()
    repo = args.repo or (str(find_mirror("git/git")) if find_mirror("git/git") else None)
    if repo is None:
        raise SystemExit(f"no git/git mirror ({where_looked()}); give its path")
    commit = PINNED
    engine(repo, commit)  # warm the page cache and the imports
    floors, engines, ratios, cpu_ratios = [], [], [], []
    events = 0
    for _ in range(args.runs):
        before = cpu()
        f = floor(repo, commit)
        middle = cpu()
        e, events = engine(repo, commit)
        floors.append(f)
        engines.append(e)
        ratios.append(e / f)
        cpu_ratios.append((cpu() - middle) / (middle - before))
    print(f"git/git at {commit[:12]}: {events:,} review events (trailers and pull-request merges)")
    print(f"floor  git log --format=%(trailers)   median {median(floors):.3f} s  (min {min(floors):.3f})")
    print(f"engine read_git_reviews               median {median(engines):.3f} s  (min {min(engines):.3f})")
    print(
        f"ratio engine/floor, pair by pair      median {median(ratios):.2f}  min {min(ratios):.2f}  goal <= 1.2"
    )
    print(f"CPU ratio engine/floor (git and us)   median {median(cpu_ratios):.2f}  (pair by pair)")

    every = [engine(repo, commit, merges="all")[0] for _ in range(args.runs)]
    print(f"engine, every mainline merge counted  median {median(every):.3f} s")

    old = hundred_back(repo, commit)
    count = subprocess.run(
        ["git", "--git-dir", repo, "rev-list", "--count", f"{old}..{commit}"], capture_output=True, text=True
    ).stdout.strip()
    incremental = []
    for _ in range(args.runs):
        started = time.perf_counter()
        found = read_git_reviews(repo, ref=commit, last_seen=old)
        incremental.append(time.perf_counter() - started)
        assert found.incremental
    print(f"incremental after {count} new commits    median {median(incremental):.3f} s  goal well under 1 s")

    if args.no_code:
        return
    code_analysis(repo, commit, "alone")
    times: dict[str, list[tuple[float, float]]] = {"alone": [], "same pass": [], "beside": []}
    for _ in range(max(1, args.runs // 2)):
        for how in times:
            times[how].append(code_analysis(repo, commit, how))
    wall = {how: median([w for w, _ in runs]) for how, runs in times.items()}
    used = {how: median([c for _, c in runs]) for how, runs in times.items()}
    print(
        f"code analysis alone                   median {wall['alone']:.2f} s wall, {used['alone']:.2f} s CPU"
    )
    for how in ("same pass", "beside"):
        print(
            f"code analysis + reviews, {how:<12} median {wall[how]:.2f} s wall ({100 * (wall[how] / wall['alone'] - 1):+.1f}%), "
            f"{used[how]:.2f} s CPU ({100 * (used[how] / used['alone'] - 1):+.1f}%); goal <= +10%"
        )


if __name__ == "__main__":
    main()
