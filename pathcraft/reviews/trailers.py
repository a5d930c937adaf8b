"""Review events from git history: trailers (Reviewed-by, Acked-by, Helped-by, Tested-by) and merges, in one
streaming pass over `git log`.

Trailers are parsed by git itself (`%(trailers:key=…,unfold)`, the parser `git interpret-trailers` and
`git shortlog --group=trailer:…` use), so what counts as a trailer, key case, folded lines and odd spacing before
the colon are git's rules, not ours. A value is split into name and email as git's `split_ident_line` does
(`shortlog` counts the same way); a value without `<…>` is a name alone.

Merges: the person who merged reviewed the merged branch (`git log P1..P2` of the merge). The branch's commits are
found in the same pass: the first-parent chain of the analysed commit is the mainline, and each mainline merge,
oldest first, claims the commits reachable from its other parents that are neither mainline nor claimed by an
earlier merge — exactly P1..P2 for every mainline merge, in O(commits). By default only pull-request merges count
(GitHub's "Merge pull request #N from …", GitLab's "See merge request group/project!N"); `merges="all"` counts every
mainline merge (git.git's own workflow: the maintainer merges every topic).

Identities stay raw here (as committed); .mailmap, aliases and bots are applied when counting
(`resolve_reviewers`, through the code engine's identities), so a changed .mailmap needs no re-read.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from pathcraft.code.gitrepo import Repo, _env, decode_path, open_repo, read_mailmap, resolve_commit
from pathcraft.errors import InputError
from pathcraft.reviews.events import Identity, ReviewEvent

# Trailer key (lower case, as git matches keys case-insensitively) -> review kind.
TRAILER_KINDS = {
    "reviewed-by": "reviewed-by",
    "acked-by": "acked-by",
    "helped-by": "helped-by",
    "tested-by": "tested-by",
}
CO_AUTHORED_BY = "co-authored-by"
MERGE_POLICIES = ("pull-requests", "all", "none")

GITHUB_MERGE = re.compile(r"^Merge pull request #(\d+) from \S")
# GitLab's default merge commit: "Merge branch 'x' into 'y'" … "See merge request group/project!N".
GITLAB_SUBJECT = re.compile(r"^Merge branch '.*' into '.*'")
GITLAB_BODY = re.compile(r"^See merge request (\S+)!(\d+)\s*$", re.MULTILINE)
# Merges made in a forge's web page are committed by the forge: the merge's author is the person who merged.
FORGE_COMMITTERS = frozenset({"noreply@github.com", "noreply@gitlab.com"})

# \x01 starts a commit; \x1f separates fields; \x1e separates trailers (none of them occurs in names or values).
FIELDS = 10
READ_SIZE = 1 << 16
GIT_SPACE = " \t\n\r"  # git's isspace(): split_ident_line trims these


def log_format(keys: Iterable[str]) -> str:
    trailer_keys = ",".join(f"key={k}" for k in keys)
    return (
        "%x01%H%x1f%P%x1f%an%x1f%ae%x1f%ad%x1f%cn%x1f%ce%x1f%cd%x1f%s%x1f"
        f"%(trailers:{trailer_keys},unfold,separator=%x1e)"
    )


def parse_ident(value: str) -> Identity:
    """NAME <EMAIL> split as git's split_ident_line does: the name before the first '<' (trailing space trimmed),
    the email up to the next '>'; anything else is a name alone."""
    lt = value.find("<")
    if lt >= 0:
        gt = value.find(">", lt + 1)
        if gt >= 0:
            return Identity(name=value[:lt].rstrip(GIT_SPACE), email=value[lt + 1 : gt])
    return Identity(name=value)


@dataclass(slots=True)
class GitCommit:
    """One commit as the review engine reads it; TRAILERS are (lower-case key, value) in the commit's order."""

    sha: str
    parents: tuple[str, ...]
    author: Identity
    author_time: int
    author_offset: int
    committer: Identity
    commit_time: int
    commit_offset: int
    subject: str
    trailers: list[tuple[str, str]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


def _offset(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if len(digits) != 4 or not digits.isdigit():
        return 0
    return sign * (int(digits[:2]) * 60 + int(digits[2:]))


def _raw_date(text: str) -> tuple[int, int]:
    stamp, _, offset = text.partition(" ")
    return int(stamp or 0), _offset(offset)


def _header(token: bytes) -> GitCommit:
    fields = token[1:].decode("utf-8", "surrogateescape").split("\x1f")
    if len(fields) != FIELDS:
        raise InputError(f"unexpected git log output near {token[:60]!r}")
    sha, parents, an, ae, ad, cn, ce, cd, subject, trailers = fields
    author_time, author_offset = _raw_date(ad)
    commit_time, commit_offset = _raw_date(cd)
    pairs = []
    if trailers:
        for line in trailers.split("\x1e"):
            key, sep, value = line.partition(":")
            if sep:
                pairs.append((key.strip().lower(), value.strip()))
    return GitCommit(
        sha=sha,
        parents=tuple(parents.split()),
        author=Identity(an.strip(), ae.strip()),
        author_time=author_time,
        author_offset=author_offset,
        committer=Identity(cn.strip(), ce.strip()),
        commit_time=commit_time,
        commit_offset=commit_offset,
        subject=subject,
        trailers=pairs,
    )


def parse_commits(stream) -> Iterator[GitCommit]:
    """Commits from the bytes of `git log -z [--name-only] --format=log_format(…)`, read in chunks."""
    current: GitCommit | None = None
    rest = b""
    while True:
        chunk = stream.read(READ_SIZE)
        if not chunk:
            break
        tokens = (rest + chunk).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if token[:1] == b"\n":
                token = token[1:]
            if not token:
                continue
            if token[0] == 1:
                if current is not None:
                    yield current
                current = _header(token)
            elif current is not None:
                current.paths.append(decode_path(token))
    if rest.startswith(b"\n"):
        rest = rest[1:]
    if rest:
        if rest[0] == 1:
            if current is not None:
                yield current
            current = _header(rest)
        elif current is not None:
            current.paths.append(decode_path(rest))
    if current is not None:
        yield current


def log_command(
    repo: Repo, revisions: list[str], keys: Iterable[str], paths: bool, since: int | None = None
) -> list[str]:
    args = ["-c", "log.showSignature=false", "log", "-z", "--date=raw", f"--format={log_format(keys)}"]
    args += ["--no-color", "--no-ext-diff", "--no-textconv"]
    if paths:
        args.append("--name-only")
    if since is not None:
        args.append(f"--since={since}")
    return repo.git(*args, *revisions, "--")


def iter_git_commits(
    repo: Repo,
    revisions: list[str],
    keys: Iterable[str] = tuple(TRAILER_KINDS),
    paths: bool = False,
    since: int | None = None,
) -> Iterator[GitCommit]:
    """Stream the commits of REVISIONS newest first, with the trailers of KEYS (and changed paths if PATHS)."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            log_command(repo, revisions, keys, paths, since),
            stdout=subprocess.PIPE,
            stderr=errors,
            env=_env(),
        )
        assert proc.stdout is not None
        try:
            yield from parse_commits(proc.stdout)
        finally:
            proc.stdout.close()
            code = proc.wait()
        errors.seek(0)
        err = errors.read()
    if code != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git log failed: {message[-1] if message else f'exit status {code}'}")


_zones: dict[int, timezone] = {}


def moment(timestamp: int, offset_minutes: int) -> datetime:
    """A timezone-aware datetime at the committer's own UTC offset (so local hours stay known)."""
    zone = _zones.get(offset_minutes)
    if zone is None:
        zone = _zones[offset_minutes] = (
            UTC if not offset_minutes else timezone(timedelta(minutes=offset_minutes))
        )
    return datetime.fromtimestamp(timestamp, zone)


def merger_of(commit: GitCommit) -> Identity:
    """Who merged: the committer, unless a forge's web page committed the merge (then its author clicked)."""
    if commit.committer.email.lower() in FORGE_COMMITTERS:
        return commit.author
    return commit.committer


class ReviewCollector:
    """Folds commits (newest first, as git log gives them) into review events; `finish` adds the merges."""

    def __init__(self, merges: str = "pull-requests", co_authors: bool = False):
        if merges not in MERGE_POLICIES:
            raise InputError(f"merges must be one of {', '.join(MERGE_POLICIES)}, not {merges!r}")
        self.merges = merges
        self.co_authors_wanted = co_authors
        self.events: list[ReviewEvent] = []
        self.co_authors: list[tuple[str, Identity]] = []  # (commit sha, co-author) from Co-authored-by
        self.commits = 0
        self.head: str | None = None
        # For the merge pass: sha -> (parents, author, paths) of every commit read.
        self._graph: dict[str, tuple[tuple[str, ...], Identity, list[str]]] = {}
        self._merges: dict[str, GitCommit] = {}

    def add(self, commit: GitCommit) -> None:
        self.commits += 1
        if self.head is None:
            self.head = commit.sha
        if commit.trailers:
            at = None
            seen = set()
            for key, value in commit.trailers:
                kind = TRAILER_KINDS.get(key)
                if kind is None:
                    if key == CO_AUTHORED_BY and self.co_authors_wanted:
                        self.co_authors.append((commit.sha, parse_ident(value)))
                    continue
                reviewer = parse_ident(value)
                # The same trailer twice in one commit is one review (git shortlog counts it once too).
                mark = (kind, reviewer.name, reviewer.email.lower())
                if mark in seen:
                    continue
                seen.add(mark)
                if at is None:
                    at = moment(commit.commit_time, commit.commit_offset)
                self.events.append(
                    ReviewEvent(reviewer, commit.author, at, kind, commit.sha, tuple(commit.paths))
                )
        if self.merges != "none":
            self._graph[commit.sha] = (commit.parents, commit.author, commit.paths)
            if len(commit.parents) > 1:
                self._merges[commit.sha] = commit

    def finish(self, repo: Repo | None = None) -> list[ReviewEvent]:
        """Add the merge events (the branch each mainline merge brought in is known only once all is read)."""
        if self.merges == "none" or self.head is None:
            return self.events
        graph = self._graph
        mainline = []
        sha: str | None = self.head
        while sha is not None and sha in graph:
            mainline.append(sha)
            parents = graph[sha][0]
            sha = parents[0] if parents else None
        claimed = set(mainline)
        gitlab_bodies = self._gitlab_bodies(repo, [s for s in mainline if s in self._merges])
        for sha in reversed(mainline):
            merge = self._merges.get(sha)
            if merge is None:
                continue
            branch: list[str] = []
            todo = [p for p in merge.parents[1:] if p in graph and p not in claimed]
            claimed.update(todo)
            while todo:
                current = todo.pop()
                branch.append(current)
                for parent in graph[current][0]:
                    if parent in graph and parent not in claimed:
                        claimed.add(parent)
                        todo.append(parent)
            if not self._counts(merge, gitlab_bodies):
                continue
            merger = merger_of(merge)
            authors: dict[tuple[str, str], tuple[Identity, set[str]]] = {}
            for commit_sha in branch:
                parents, author, paths = graph[commit_sha]
                if len(parents) > 1:  # a merge inside the branch carries no authored change of its own
                    continue
                entry = authors.setdefault((author.name, author.email.lower()), (author, set()))
                entry[1].update(paths)
            at = moment(merge.commit_time, merge.commit_offset)
            for author, paths in authors.values():
                self.events.append(ReviewEvent(merger, author, at, "merged", merge.sha, tuple(sorted(paths))))
        return self.events

    def _counts(self, merge: GitCommit, gitlab_bodies: dict[str, str]) -> bool:
        if self.merges == "all":
            return True
        if GITHUB_MERGE.match(merge.subject):
            return True
        return merge.sha in gitlab_bodies and GITLAB_BODY.search(gitlab_bodies[merge.sha]) is not None

    def _gitlab_bodies(self, repo: Repo | None, shas: list[str]) -> dict[str, str]:
        """Bodies of the merges whose subject is GitLab's (the merge request's number is only in the body)."""
        if self.merges != "pull-requests" or repo is None:
            return {}
        wanted = [s for s in shas if GITLAB_SUBJECT.match(self._merges[s].subject)]
        if not wanted:
            return {}
        done = subprocess.run(
            repo.git("log", "--no-walk=unsorted", "--stdin", "-z", "--format=%H%x1f%b"),
            input="\n".join(wanted).encode(),
            capture_output=True,
            env=_env(),
            check=False,
        )
        bodies = {}
        for record in done.stdout.split(b"\0"):
            sha, _, body = record.decode("utf-8", "replace").partition("\x1f")
            if sha:
                bodies[sha.strip()] = body
        return bodies


@dataclass
class GitReviews:
    """What one read of a repository found: events since SINCE (all when not incremental), up to HEAD."""

    head: str
    events: list[ReviewEvent]
    commits: int
    incremental: bool
    mailmap: str  # the .mailmap text at HEAD ('' when none): counting maps identities through it
    co_authors: list[tuple[str, Identity]] = field(default_factory=list)


def read_git_reviews(
    path: str,
    ref: str | None = None,
    last_seen: str | None = None,
    paths: bool = False,
    merges: str = "pull-requests",
    co_authors: bool = False,
    since: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> GitReviews:
    """Review events of the repository at PATH up to REF (default HEAD).

    LAST_SEEN: the head of a previous read; when it is an ancestor of REF only `LAST_SEEN..REF` is read (the caller
    adds the events to what it stored), otherwise — a force-push — everything is read again (incremental False).
    PATHS: also read which files each commit changed (module knowledge; costs a diff per commit).
    CO_AUTHORS: also collect Co-authored-by (for degree-of-authorship, an option that is off by default)."""
    repo = open_repo(path)
    head = resolve_commit(repo, ref)
    keys = [*TRAILER_KINDS, *([CO_AUTHORED_BY] if co_authors else [])]
    stamp = int(since.timestamp()) if since is not None else None
    collector = ReviewCollector(merges, co_authors)
    incremental = False
    if last_seen and last_seen != head:
        incremental = _read_incremental(repo, head, last_seen, keys, paths, stamp, collector, progress)
        if not incremental:
            collector = ReviewCollector(merges, co_authors)
    if last_seen == head:
        incremental = True
    elif not incremental:
        _fold(collector, iter_git_commits(repo, [head], keys, paths, stamp), progress)
    events = collector.finish(repo)
    return GitReviews(
        head=head,
        events=events,
        commits=collector.commits,
        incremental=incremental,
        mailmap=read_mailmap(repo, head),
        co_authors=collector.co_authors,
    )


def _fold(collector: ReviewCollector, commits: Iterable[GitCommit], progress) -> None:
    count = 0
    add = collector.add
    for commit in commits:
        add(commit)
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(count)
    if progress is not None:
        progress(count)


def _read_incremental(repo, head, last_seen, keys, paths, stamp, collector, progress) -> bool:
    """Read LAST_SEEN..HEAD while git checks that LAST_SEEN is an ancestor of HEAD (both at once: the check walks
    history when there is no commit-graph). Nothing is kept when it is not."""
    check = subprocess.Popen(
        repo.git("merge-base", "--is-ancestor", last_seen, head),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    try:
        commits = list(iter_git_commits(repo, [f"{last_seen}..{head}"], keys, paths, stamp))
    except InputError:
        check.wait()
        return False  # e.g. LAST_SEEN no longer exists after a force-push and gc
    if check.wait() != 0:
        return False
    _fold(collector, commits, progress)
    return True
