"""A small generated git repository for the demo team, written in one `git fast-import` run (pure: no Django).

The story it tells: one specialist authors almost all of the core alone, a Go agent is known by one person only,
an API and a web front end are shared, and a former contributor (not in the organisation) wrote the tools nobody
has touched since. Fixed dates and a private seeded Random make it byte-for-byte the same on every load.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pathcraft.errors import InputError

START = int(datetime(2025, 1, 6, 9, 0, tzinfo=UTC).timestamp())  # a Monday, 09:00 UTC
SEED = 7


@dataclass(frozen=True)
class Author:
    name: str
    email: str


FORMER = Author("Priya Lindqvist", "priya@lindqvist.example")  # left before the organisation was loaded
CORE = [f"core/{name}.py" for name in (
    "scheduler", "queue", "storage", "replication", "locks", "config", "metrics", "retry", "cache", "codec",
)]  # fmt: skip
AGENT = [f"agent/{name}.go" for name in ("main", "collector", "transport", "buffer")]
API = [f"api/{name}.py" for name in ("routes", "auth", "schemas", "errors", "pagination", "health")]
WEB = [f"web/src/{name}.ts" for name in ("app", "table", "filters", "client")]
TOOLS = ["tools/release.sh", "tools/bump_version.py"]
OTHER = {
    "README.md": "# platform-core\n\nThe platform's scheduler, storage and agent.\n",
    "vendor/left-pad/index.js": "module.exports = (s, n) => String(s).padStart(n);\n",
    "go.mod": "module example.test/platform-core/agent\n\ngo 1.22\n",
}
HEADER = {".py": "# {path}\n", ".go": "package main\n\n// {path}\n", ".ts": "// {path}\nexport {{}};\n",
          ".sh": "#!/bin/sh\n# {path}\n"}  # fmt: skip


def _plan(specialist: Author, gopher: Author, shared: list[Author], rng: random.Random):
    """The commits, oldest first: (author, {path: line to append}, weekend/night shift)."""
    commits: list[tuple[Author, list[str], bool]] = []
    commits.append((FORMER, [*TOOLS, *OTHER], False))
    commits.append((specialist, CORE[:5], False))
    commits.append((specialist, CORE[5:], False))
    commits.append((gopher, AGENT, False))
    commits.append((shared[0], API[:3], False))
    commits.append((shared[1], API[3:], False))
    commits.append((shared[2], WEB, False))
    for _ in range(4):
        commits.append((FORMER, [rng.choice(TOOLS)], False))
    for n, rel in enumerate(CORE):  # everyone has touched the core once: each file has successors
        commits.append((shared[n % len(shared)], [rel], False))
    for step in range(200):
        roll = rng.random()
        if roll < 0.40:  # the specialist, sometimes late or at the weekend
            commits.append((specialist, rng.sample(CORE, 2), step % 5 == 0))
        elif roll < 0.52:
            commits.append((gopher, [rng.choice(AGENT)], False))
        elif roll < 0.80:
            commits.append((rng.choice(shared), rng.sample(API, 2), False))
        elif roll < 0.95:
            commits.append((rng.choice(shared), [rng.choice(WEB)], False))
        else:  # others touch the core now and then: they become its successors, not its authors
            commits.append((rng.choice(shared), [rng.choice(CORE)], False))
    return commits


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


def build_demo_repository(
    path: Path, specialist: Author, gopher: Author, shared: list[Author], seed: int = SEED
) -> str:
    """Create a bare repository at PATH (replacing a previous demo one) and return its head commit."""
    if len(shared) < 3:
        raise InputError("the demo repository needs at least three people who share the API and web code")
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    rng = random.Random(seed)
    contents: dict[str, str] = {}
    stream = bytearray()
    when = START
    for mark, (author, paths, odd_hours) in enumerate(_plan(specialist, gopher, shared, rng), start=1):
        when += rng.randint(2, 5) * 3600 * 24 // 3 + rng.randint(0, 3600)
        stamp = when + (15 * 3600 if odd_hours else 0)  # 09:00 + 15 h: past midnight
        stream += b"commit refs/heads/main\nmark :%d\n" % mark
        who = f"{author.name} <{author.email}> {stamp} +0000\n".encode()
        stream += b"author " + who + b"committer " + who
        stream += _data(f"Work on {', '.join(sorted(paths))}")
        if mark > 1:
            stream += b"from :%d\n" % (mark - 1)
        for rel in paths:
            if rel not in contents:
                contents[rel] = OTHER.get(rel) or HEADER[Path(rel).suffix].format(path=rel)
            else:
                comment = "#" if rel.endswith((".py", ".sh")) else "//"
                contents[rel] += f"{comment} change {mark} by {author.name}\n"
            stream += f"M 100644 inline {rel}\n".encode() + _data(contents[rel])
        stream += b"\n"
    done = subprocess.run(["git", "fast-import", "--quiet", "--done"], input=bytes(stream) + b"done\n",
                          cwd=path, env=env, capture_output=True)  # fmt: skip
    if done.returncode != 0:
        raise InputError(
            f"could not build the demo repository: {done.stderr.decode(errors='replace').strip()}"
        )
    head = subprocess.run(["git", "rev-parse", "main"], cwd=path, env=env, capture_output=True, check=True)
    return head.stdout.decode().strip()
