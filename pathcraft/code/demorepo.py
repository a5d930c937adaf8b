"""A small generated git repository for the demo team, written in one `git fast-import` run (pure: no Django).

The story it tells: one specialist authors almost all of the core alone (and is the one who visibly works late and
at weekends), a Go agent is known by one person only, an API and a web front end are shared, the manager still owns
the deploy scripts nobody else has touched, and a former contributor (not in the organisation) wrote the tools
nobody has touched since. A newcomer commits from a personal address under their own name (an identity the app can
only propose to match), and dependency bots bump manifests and an image tag: their commits count for nobody. Every
commit carries its author's own UTC offset (daylight saving included), as git stores it. Fixed dates and a private
seeded Random make it byte-for-byte the same on every load.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import subprocess
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from pathcraft.code.defaults import load_defaults
from pathcraft.errors import InputError

# Eighteen months of history that ends the Friday before the demo's "today" (2026-11-23): it crosses three
# daylight-saving changes, and the former contributor's last commit is well over a year old.
START = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)  # a Monday
END = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # a Friday
SEED = 7
# Share of an author's commits outside their working hours. The specialist works late and at weekends (the figure
# the "when people commit" view should show); everyone else does so now and then.
SPECIALIST_ODD_SHARE = 0.25
ODD_SHARE = 0.05
WEEKEND_HOURS = (10, 18)  # local hours of a weekend commit
EVENING_HOURS = (19, 22)  # an ordinary late commit: after work, before the night starts
LATE_HOURS = (22, 25)  # the specialist's late commits: 22:00 to 00:59, at night

WORK, EVENING, LATE, WEEKEND = "work", "evening", "late", "weekend"


@dataclass(frozen=True)
class Author:
    """A committer and their working week: local hours [start_hour, end_hour) on work_days (Monday = 0)."""

    name: str
    email: str
    timezone: str = "UTC"
    start_hour: int = 9
    end_hour: int = 17
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)

    def __post_init__(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InputError(f"{self.name}: {self.timezone!r} is not an IANA time zone") from None
        if not 0 <= self.start_hour < self.end_hour <= 24:
            raise InputError(
                f"{self.name}: working hours must be a daytime range, not {self.start_hour}–{self.end_hour}"
            )
        if not self.work_days or not set(self.work_days) <= set(range(7)) or len(self.work_days) == 7:
            raise InputError(f"{self.name}: work days must be some of Monday (0) to Sunday (6), not all")


FORMER = Author("Priya Lindqvist", "priya@lindqvist.example", "Europe/Stockholm")  # not in the organisation
CORE = [f"core/{name}.py" for name in (
    "scheduler", "queue", "storage", "replication", "locks", "config", "metrics", "retry", "cache", "codec",
)]  # fmt: skip
AGENT = [f"agent/{name}.go" for name in ("main", "collector", "transport", "buffer")]
API = [f"api/{name}.py" for name in ("routes", "auth", "schemas", "errors", "pagination", "health")]
WEB = [f"web/src/{name}.ts" for name in ("app", "table", "filters", "client")]
TOOLS = ["tools/release.sh", "tools/bump_version.py"]
DEPLOY = [
    "deploy/rollout.py",
    "deploy/rollback.py",
]  # the manager's: written as tech lead, still theirs alone
MANAGER_STEPS = (37, 88, 131, 176)  # where the manager touches them again (no draw from the seeded Random)
# The newcomer's own file, and where they commit (the last third of the history; no draw from the seeded Random).
NEWCOMER_FILE = "web/src/charts.ts"
NEWCOMER_STEPS = (150, 156, 162, 168, 174, 181, 188, 195)
# Dependency manifests (data, so the analysis leaves them out) and the renderings the bots bump.
MANIFESTS = {
    "requirements.txt": "requests==2.32.{n}\npyyaml==6.0.{n}\n",
    "go.mod": "module example.test/platform-core/agent\n\ngo 1.22\n\nrequire golang.org/x/net v0.{n}.0\n",
    "web/package.json": '{{\n  "name": "platform-web",\n  "private": true,\n  "dependencies": {{"htmx.org": "2.0.{n}"}}\n}}\n',
}
OTHER = {
    "README.md": "# platform-core\n\nThe platform's scheduler, storage and agent.\n",
    "vendor/left-pad/index.js": "module.exports = (s, n) => String(s).padStart(n);\n",
    **{rel: text.format(n=0) for rel, text in MANIFESTS.items()},
}
# GitHub's bot accounts as they appear in real histories. Their commits sit between the people's (after the plan's
# commit at these indices, half-way to the next), so adding them moves no person's commit.
DEPENDABOT = Author("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
RENOVATE = Author("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com")
BOT_COMMITS = [  # (after plan index, bot, path); deploy/rollout.py only when there is a manager
    (30, DEPENDABOT, "requirements.txt"),
    (55, RENOVATE, "go.mod"),
    (80, DEPENDABOT, "web/package.json"),
    (105, RENOVATE, "deploy/rollout.py"),
    (130, DEPENDABOT, "requirements.txt"),
    (160, RENOVATE, "go.mod"),
    (190, DEPENDABOT, "web/package.json"),
    (215, RENOVATE, "deploy/rollout.py"),
]
HEADER = {".py": "# {path}\n", ".go": "package main\n\n// {path}\n", ".ts": "// {path}\nexport {{}};\n",
          ".sh": "#!/bin/sh\n# {path}\n"}  # fmt: skip

Plan = list[tuple[Author, list[str]]]


def _plan(
    specialist: Author,
    gopher: Author,
    shared: list[Author],
    manager: Author | None,
    rng: random.Random,
    newcomer: Author | None = None,
) -> Plan:
    """The people's commits, oldest first: (author, paths they add or change)."""
    commits: Plan = []
    commits.append((FORMER, [*TOOLS, *OTHER]))
    commits.append((specialist, CORE[:5]))
    commits.append((specialist, CORE[5:]))
    commits.append((gopher, AGENT))
    commits.append((shared[0], API[:3]))
    commits.append((shared[1], API[3:]))
    commits.append((shared[2], WEB))
    if manager is not None:
        commits.append((manager, list(DEPLOY)))
    for _ in range(4):
        commits.append((FORMER, [rng.choice(TOOLS)]))
    for n, rel in enumerate(CORE):  # everyone has touched the core once: each file has successors
        commits.append((shared[n % len(shared)], [rel]))
    for step in range(200):
        if manager is not None and step in MANAGER_STEPS:
            commits.append((manager, [DEPLOY[step % len(DEPLOY)]]))
        if newcomer is not None and step in NEWCOMER_STEPS:
            commits.append(
                (newcomer, [NEWCOMER_FILE] if step % 2 == 0 else [NEWCOMER_FILE, WEB[step % len(WEB)]])
            )
        roll = rng.random()
        if roll < 0.40:
            commits.append((specialist, rng.sample(CORE, 2)))
        elif roll < 0.52:
            commits.append((gopher, [rng.choice(AGENT)]))
        elif roll < 0.80:
            commits.append((rng.choice(shared), rng.sample(API, 2)))
        elif roll < 0.95:
            commits.append((rng.choice(shared), [rng.choice(WEB)]))
        else:  # others touch the core now and then: they become its successors, not its authors
            commits.append((rng.choice(shared), [rng.choice(CORE)]))
    return commits


def _kinds(plan: Plan, specialist: Author, rng: random.Random) -> list[str]:
    """When each commit happens: WORK, or outside working hours at a steady share per author.

    The share is spread evenly (an error-diffusion count with a random phase per author, under one half so that a
    handful of commits has none), so a person with 30 commits and a 5% share has one or two odd ones, never five."""
    phase: dict[str, float] = {}
    count: dict[str, int] = {}
    odd_seen: dict[str, int] = {}
    kinds = []
    for author, _paths in plan:
        share = SPECIALIST_ODD_SHARE if author == specialist else ODD_SHARE
        n = count.get(author.email, 0)
        start = phase.setdefault(author.email, rng.random() / 2)
        count[author.email] = n + 1
        if math.floor((n + 1) * share + start) > math.floor(n * share + start):
            odd = odd_seen.get(author.email, 0)
            odd_seen[author.email] = odd + 1
            late = LATE if author == specialist else EVENING
            kinds.append(WEEKEND if odd % 2 else late)
        else:
            kinds.append(WORK)
    return kinds


def _window(author: Author, kind: str) -> tuple[int, int]:
    """Local hours [from, to) of a commit of this kind (to may pass midnight: 25 is 01:00 the next day)."""
    if kind == WORK:
        # Inside both the person's hours and the default office hours the app assumes when it does not know them,
        # so a working-hours commit never counts as "outside working hours" either way.
        defaults = load_defaults()
        start, end = (
            max(author.start_hour, defaults.work_start_hour),
            min(author.end_hour, defaults.work_end_hour),
        )
        return (start, end) if start < end else (author.start_hour, author.end_hour)
    if kind == EVENING:
        if author.end_hour + 1 < EVENING_HOURS[1]:
            return max(EVENING_HOURS[0], author.end_hour + 1), EVENING_HOURS[1]
        return max(6, author.start_hour - 2), author.start_hour  # a day that ends late: early, before work
    return LATE_HOURS if kind == LATE else WEEKEND_HOURS


def _on_day(author: Author, day: date, kind: str, rng: random.Random, after: datetime) -> datetime | None:
    """A time on DAY (the author's local date) for a commit of KIND later than AFTER, or None if there is none."""
    workday = day.weekday() in author.work_days
    if workday != (kind != WEEKEND):
        return None
    zone = zoneinfo.ZoneInfo(author.timezone)
    first, last = _window(author, kind)
    opens = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=first)
    closes = datetime.combine(day, time(0), tzinfo=zone) + timedelta(hours=last)
    # Wall-clock hours on that day, turned into instants with that day's offset (daylight saving included).
    opens, closes = opens.astimezone(UTC), closes.astimezone(UTC)
    if closes <= after:
        return None
    opens = max(opens, after + timedelta(minutes=5))
    span = int((closes - opens).total_seconds())
    if span <= 0:
        return None
    return opens + timedelta(seconds=rng.randrange(span))


def commit_times(plan: Plan, kinds: list[str], rng: random.Random) -> list[tuple[int, int]]:
    """(UTC timestamp, author's UTC offset in minutes) per commit: spread evenly from START to END, each one in a
    slot of its kind in its author's own time zone, and never earlier than the commit before it."""
    times: list[tuple[int, int]] = []
    previous = START - timedelta(minutes=5)
    step = (END - START) / max(1, len(plan) - 1)
    for index, ((author, _paths), kind) in enumerate(zip(plan, kinds, strict=True)):
        zone = zoneinfo.ZoneInfo(author.timezone)
        target = max(START + step * index, previous)
        day = target.astimezone(zone).date()
        when = None
        for _ in range(21):
            when = _on_day(author, day, kind, rng, max(previous, target - timedelta(hours=12)))
            if when is not None:
                break
            day += timedelta(days=1)
        if when is None:  # pragma: no cover - a working week always has a slot within three weeks
            raise InputError(f"no time for a commit by {author.name}")
        offset = when.astimezone(zone).utcoffset() or timedelta(0)
        times.append((int(when.timestamp()), int(offset.total_seconds()) // 60))
        previous = when
    return times


def git_offset(minutes: int) -> str:
    """A UTC offset as git writes it: +0100, -0430."""
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{mins:02d}"


def _data(text: str) -> bytes:
    raw = text.encode()
    return b"data %d\n" % len(raw) + raw + b"\n"


Entry = tuple[Author, str, list[tuple[str, str]], int, int]  # author, message, (path, content), stamp, offset


def _people_entries(plan: Plan, times: list[tuple[int, int]]) -> list[Entry]:
    """The people's commits with each changed file's content: its header, then one line per change."""
    contents: dict[str, str] = {}
    entries: list[Entry] = []
    for mark, ((author, paths), (stamp, offset)) in enumerate(zip(plan, times, strict=True), start=1):
        changes = []
        for rel in paths:
            if rel not in contents:
                contents[rel] = OTHER.get(rel) or HEADER[Path(rel).suffix].format(path=rel)
            else:
                comment = "#" if rel.endswith((".py", ".sh")) else "//"
                contents[rel] += f"{comment} change {mark} by {author.name}\n"
            changes.append((rel, contents[rel]))
        entries.append((author, f"Work on {', '.join(sorted(paths))}", changes, stamp, offset))
    return entries


# Who reviews (Reviewed-by trailers, when reviewers are given): the specialist reviews most changes of others, the
# Go specialist most of the specialist's own; everyone else now and then. Drawn from a Random of their own, so adding
# trailers moves no commit, file or time.
REVIEW_SEED_OFFSET = 1000
SPECIALIST_REVIEWS_OTHERS = 0.7  # share of the others' changes the specialist reviews
SECOND_REVIEWS_OTHERS = 0.15  # share of the others' changes the second reviewer reviews
SECOND_REVIEWS_SPECIALIST = 0.5  # share of the specialist's changes the second reviewer reviews


def _with_trailers(entries: list[Entry], reviewers: list[Author], seed: int) -> list[Entry]:
    """Each person's commit (not the former contributor's) with one Reviewed-by trailer: REVIEWERS[0] (the most
    loaded reviewer) and REVIEWERS[1] as the shares above say, the rest evenly; never the author themself."""
    if len(reviewers) < 3:
        raise InputError("the demo's reviews need at least three reviewers")
    rng = random.Random(seed + REVIEW_SEED_OFFSET)
    first, second, rest = reviewers[0], reviewers[1], reviewers[2:]
    result: list[Entry] = []
    for author, message, changes, stamp, offset in entries:
        if author == FORMER:
            result.append((author, message, changes, stamp, offset))
            continue
        roll = rng.random()
        others = [r for r in rest if r.email != author.email]
        if author.email == first.email:
            reviewer = second if roll < SECOND_REVIEWS_SPECIALIST else rng.choice(others)
        elif roll < SPECIALIST_REVIEWS_OTHERS:
            reviewer = first
        elif roll < SPECIALIST_REVIEWS_OTHERS + SECOND_REVIEWS_OTHERS and author.email != second.email:
            reviewer = second
        else:
            reviewer = rng.choice(others)
        message = f"{message}\n\nReviewed-by: {reviewer.name} <{reviewer.email}>\n"
        result.append((author, message, changes, stamp, offset))
    return result


def _with_bots(entries: list[Entry], has_deploy: bool) -> list[Entry]:
    """ENTRIES with the bots' commits slotted in. A bot rewrites a manifest with the next version, or appends an image
    tag to the deploy script; it starts from the file as the people left it, and the people's next change to that
    file builds on theirs (a bot line is never lost, and nobody's lines or times change)."""
    version: dict[str, int] = {}
    bot_after = {index: (bot, rel) for index, bot, rel in BOT_COMMITS if has_deploy or rel not in DEPLOY}
    latest: dict[str, str] = {}  # path -> content as the last commit (person or bot) left it
    extra: dict[str, str] = {}  # path -> lines the bots appended, kept under the people's later changes
    result: list[Entry] = []
    for index, (author, message, changes, stamp, offset) in enumerate(entries):
        changes = [(rel, text + extra.get(rel, "")) for rel, text in changes]
        result.append((author, message, changes, stamp, offset))
        latest.update(changes)
        if index not in bot_after or index + 1 >= len(entries):
            continue
        bot, rel = bot_after[index]
        n = version[rel] = version.get(rel, 0) + 1
        if rel in MANIFESTS:
            text, what = MANIFESTS[rel].format(n=n), f"bump dependencies in {rel} (version {n})"
        else:
            line = f"# image tag 1.{n}.0 (updated by {bot.name})\n"
            extra[rel] = extra.get(rel, "") + line
            text, what = latest[rel] + line, f"update image tag to 1.{n}.0 in {rel}"
        latest[rel] = text
        stamp = (stamp + entries[index + 1][3]) // 2
        result.append((bot, f"chore(deps): {what}", [(rel, text)], stamp, 0))
    return result


def build_demo_repository(
    path: Path,
    specialist: Author,
    gopher: Author,
    shared: list[Author],
    seed: int = SEED,
    manager: Author | None = None,
    newcomer: Author | None = None,
    bots: bool = True,
    reviewers: list[Author] | None = None,
) -> str:
    """Create a bare repository at PATH (replacing a previous demo one) and return its head commit.

    MANAGER, when given, owns the deploy scripts alone (the single-owner duty a manager's leave must hand over).
    NEWCOMER, when given, writes and keeps one web file late in the history (give them a personal email: the
    identity the app proposes to match by name). BOTS adds dependabot/renovate commits, which count for nobody.
    REVIEWERS, when given, adds a Reviewed-by trailer to each person's commit (the first reviewer the most loaded)."""
    if len(shared) < 3:
        raise InputError("the demo repository needs at least three people who share the API and web code")
    rng = random.Random(seed)
    plan = _plan(specialist, gopher, shared, manager, rng, newcomer)
    times = commit_times(plan, _kinds(plan, specialist, rng), rng)
    entries = _people_entries(plan, times)
    if reviewers:
        entries = _with_trailers(entries, reviewers, seed)
    if bots:
        entries = _with_bots(entries, has_deploy=manager is not None)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    stream = bytearray()
    for mark, (author, message, changes, stamp, offset) in enumerate(entries, start=1):
        stream += b"commit refs/heads/main\nmark :%d\n" % mark
        who = f"{author.name} <{author.email}> {stamp} {git_offset(offset)}\n".encode()
        stream += b"author " + who + b"committer " + who
        stream += _data(message)
        if mark > 1:
            stream += b"from :%d\n" % (mark - 1)
        for rel, text in changes:
            stream += f"M 100644 inline {rel}\n".encode() + _data(text)
        stream += b"\n"
    done = subprocess.run(["git", "fast-import", "--quiet", "--done"], input=bytes(stream) + b"done\n",
                          cwd=path, env=env, capture_output=True)  # fmt: skip
    if done.returncode != 0:
        raise InputError(
            f"could not build the demo repository: {done.stderr.decode(errors='replace').strip()}"
        )
    head = subprocess.run(["git", "rev-parse", "main"], cwd=path, env=env, capture_output=True, check=True)
    return head.stdout.decode().strip()
