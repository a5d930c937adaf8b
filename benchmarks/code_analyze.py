"""Time and peak memory of `pathcraft code analyze` against its floor and its peers, on real repositories.

    .venv/bin/python benchmarks/code_analyze.py [SMALL_REPO LARGE_REPO] [--peer-timeout 300]

Without paths, the repositories come from PATHCRAFT_GIT_MIRRORS (janl+mustache.js and git+git, as the fetch tool
lays them out). Each repository is first cloned with --shared into a temporary folder (cheap: objects are borrowed)
so every tool gets a work tree. Measured in the same run, one process at a time:

* floor: `git -c diff.renameLimit=999999 log --name-status --find-renames` (what the analysis must read anyway);
* `pathcraft code analyze --json` (full run);
* `pathcraft code analyze --state` after 100 new commits (incremental: state saved 100 commits back), the best of
  --repeat runs, each from the same saved state; then, of that run, the engine alone (the `seconds` of its JSON:
  history, file selection, authorship, truck factor) and the whole incremental work in one warm process (reading
  the state, analysing, building the report, writing the state: no interpreter start, no command imports, no printing
  of the JSON), and the command's fixed cost (`pathcraft code --help`: interpreter and command imports); then the
  incremental run again after writing a commit-graph file in the throwaway clone (fetched mirrors have none; a
  repository that ran `git gc` or `git maintenance` has one, and git then walks no history for OLD..NEW);
* peers installed in the venv: `git-fame` (blame-based) and `truckfactor` (numstat-based), with a time limit.

Peak memory is the maximum resident set of the measured process or of any child it waited for (os.wait4).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
# Runs the pathcraft CLI and records the peak RSS of the Python process alone (git children excluded).
SELF_RSS = (
    "import os, resource, sys\n"
    "from pathcraft.cli.main import cli\n"
    "try:\n"
    "    cli.main(args=sys.argv[1:], prog_name='pathcraft', standalone_mode=False)\n"
    "finally:\n"
    "    with open(os.environ['PATHCRAFT_BENCH_RSS'], 'w') as out:\n"
    "        out.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
)


def measure(
    cmd: list[str], cwd: str | None = None, timeout: float | None = None, stdout: str | None = None
) -> tuple[float, float, bool]:
    """(seconds, peak MiB, finished) of one command; output discarded or written to the file STDOUT."""
    start = time.perf_counter()
    sink = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115 - closed once the process ends
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=sink, stderr=subprocess.DEVNULL)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.perf_counter() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return time.perf_counter() - start, usage.ru_maxrss / 1024, False
        time.sleep(0.02)
    if stdout:
        sink.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024, True


def pathcraft(args: list[str], tmp: str) -> tuple[float, float, float, dict]:
    """(seconds, peak MiB of the whole tree, peak MiB of Python alone, JSON result) of one pathcraft run."""
    rss_file, out_file = os.path.join(tmp, "rss"), os.path.join(tmp, "out.json")
    os.environ["PATHCRAFT_BENCH_RSS"] = rss_file
    seconds, tree_mib, _ = measure([sys.executable, "-c", SELF_RSS, *args], stdout=out_file)
    with open(rss_file) as rss, open(out_file, "rb") as out:
        return seconds, tree_mib, int(rss.read()) / 1024, json.loads(out.read())


# The incremental work in a warm process: argv = repository, state file, runs; prints the best seconds.
IN_PROCESS = (
    "import json, sys, time\n"
    "from pathcraft.code.analysis import AnalysisOptions, analyze_repository\n"
    "from pathcraft.code.history import HistoryState\n"
    "from pathcraft.code.report import analysis_to_dict\n"
    "repo, state, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])\n"
    "text = open(state, encoding='utf-8').read()\n"
    "best = None\n"
    "for _ in range(runs):\n"
    "    start = time.perf_counter()\n"
    "    saved = HistoryState.from_dict(json.loads(text))\n"
    "    analysis = analyze_repository(repo, AnalysisOptions(), state=saved)\n"
    "    analysis_to_dict(analysis)\n"
    "    json.dumps(analysis.state.to_dict())\n"
    "    took = time.perf_counter() - start\n"
    "    assert analysis.incremental\n"
    "    best = took if best is None else min(best, took)\n"
    "print(best)\n"
)


def count_commits(repo: str, rev: str = "HEAD") -> int:
    return int(
        subprocess.run(["git", "-C", repo, "rev-list", "--count", rev], capture_output=True, text=True).stdout
    )


def row(label: str, seconds: float, mib: float, floor: float | None, finished: bool = True) -> None:
    ratio = f"{seconds / floor:6.2f}x floor" if floor else ""
    mark = "" if finished else f"  (stopped after {seconds:.0f} s: slower than that)"
    print(f"  {label:<34} {seconds:9.2f} s {mib:9.1f} MiB  {ratio}{mark}")


def bench(source: str, peer_timeout: float | None, repeat: int = 1) -> None:
    with tempfile.TemporaryDirectory(prefix="pathcraft-bench-") as tmp:
        work = os.path.join(tmp, "work")
        subprocess.run(["git", "clone", "-q", "--shared", source, work], check=True)
        commits = count_commits(work)
        files = len(subprocess.run(["git", "-C", work, "ls-files"], capture_output=True).stdout.splitlines())
        print(f"\n{source}: {commits:,} commits, {files:,} files at HEAD")
        floor_s, floor_m, _ = measure(
            [
                "git",
                "-C",
                work,
                "-c",
                "diff.renameLimit=999999",
                "log",
                "--name-status",
                "--find-renames",
                "HEAD",
            ]
        )
        row("floor: git log --name-status -M", floor_s, floor_m, None)
        full_s, full_m, py_m, data = pathcraft(["code", "analyze", work, "--json"], tmp)
        row("pathcraft code analyze (full)", full_s, full_m, floor_s)
        print(
            f"  {'  of which the Python process':<34} {'':>11} {py_m:9.1f} MiB  (truck factor {data['truck_factor']})"
        )
        base = subprocess.run(
            ["git", "-C", work, "rev-list", "--skip=100", "-1", "HEAD"], capture_output=True, text=True
        )
        base_sha = base.stdout.strip()
        if base_sha:
            state = os.path.join(tmp, "state.json")
            base_state = os.path.join(tmp, "base-state.json")
            pathcraft(["code", "analyze", work, "--ref", base_sha, "--state", base_state, "--json"], tmp)
            new = count_commits(work, f"{base_sha}..HEAD")
            best = None
            for _ in range(max(1, repeat)):  # every run starts from the state saved at the base commit
                shutil.copyfile(base_state, state)
                measured = pathcraft(["code", "analyze", work, "--state", state, "--json"], tmp)
                best = measured if best is None or measured[0] < best[0] else best
            inc_s, inc_m, inc_py, inc = best  # type: ignore[misc]
            mode = "incremental" if inc["incremental"] else "FULL run"
            row(f"{mode} (+{new} commits)", inc_s, inc_m, floor_s)
            print(f"  {'  of which the Python process':<34} {'':>11} {inc_py:9.1f} MiB")
            print(f"  {'  of which the engine (its seconds)':<34} {inc['seconds']:9.2f} s")
            warm = subprocess.run(
                [sys.executable, "-c", IN_PROCESS, work, base_state, str(max(1, repeat))],
                capture_output=True,
                text=True,
                check=True,
            )
            print(
                f"  {'  whole work, warm process':<34} {float(warm.stdout):9.2f} s  (state in .. state out)"
            )
            start_s, _, _ = measure([str(VENV_BIN / "pathcraft"), "code", "--help"])
            print(f"  {'  command start (code --help)':<34} {start_s:9.2f} s  (interpreter and imports)")
            volatile = ("seconds", "incremental", "method")  # run time, run mode, and "now"
            for result in (data, inc):  # idle days count from "now", which moved between the two runs
                for dev in result["developers"]:
                    dev.pop("idle_days")
            differing = sorted(k for k in data if k not in volatile and data[k] != inc.get(k))
            print(f"  {'  same result as the full run':<34} {not differing} {' '.join(differing)}")
            print(f"  {'state file':<34} {os.path.getsize(state) / 2**20:9.2f} MiB")
            # Fetched mirrors have no commit-graph file, so git walks history for OLD..NEW and the ancestry check;
            # a repository that ran `git gc` or `git maintenance` has one. Written in the throwaway clone only.
            subprocess.run(["git", "-C", work, "commit-graph", "write", "--reachable"], check=True,
                           capture_output=True)  # fmt: skip
            best = None
            for _ in range(max(1, repeat)):
                shutil.copyfile(base_state, state)
                measured = pathcraft(["code", "analyze", work, "--state", state, "--json"], tmp)
                best = measured if best is None or measured[0] < best[0] else best
            graph_s, graph_m, _, graph = best  # type: ignore[misc]
            assert graph["incremental"]
            row("  with a commit-graph file", graph_s, graph_m, floor_s)
        peers = (
            ()
            if peer_timeout is None
            else (
                ("git-fame (peer)", [str(VENV_BIN / "git-fame"), "--format=json", "."], work),
                ("truckfactor (peer)", [str(VENV_BIN / "truckfactor"), work], tmp),
            )
        )
        for label, cmd, cwd in peers:
            if not Path(cmd[0]).exists():
                print(f"  {label:<34} not installed")
                continue
            seconds, mib, finished = measure(cmd, cwd=cwd, timeout=peer_timeout)
            row(label, seconds, mib, floor_s, finished)
            if finished:
                print(f"  {'':<34} pathcraft is {seconds / full_s:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "repos", nargs="*", help="small and large repository (default: from PATHCRAFT_GIT_MIRRORS)"
    )
    parser.add_argument("--peer-timeout", type=float, default=300.0, help="seconds before a peer is stopped")
    parser.add_argument("--no-peers", action="store_true", help="measure pathcraft and the floor only")
    parser.add_argument(
        "--repeat", type=int, default=1, help="incremental runs to take the best of (a busy machine is noisy)"
    )
    args = parser.parse_args()
    repos = args.repos
    if not repos:
        root = os.environ.get("PATHCRAFT_GIT_MIRRORS")
        if not root:
            raise SystemExit("give repository paths or set PATHCRAFT_GIT_MIRRORS")
        repos = [str(Path(root) / name / "repo") for name in ("janl+mustache.js", "git+git")]
    if shutil.which("git") is None:
        raise SystemExit("git is not installed")
    for repo in repos:
        bench(repo, None if args.no_peers else args.peer_timeout, args.repeat)


if __name__ == "__main__":
    main()
