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

Identities stay raw in `read_git_reviews` (as committed); .mailmap, aliases and bots are applied when counting
(`resolve_reviewers`, through the code engine's identities), so a changed .mailmap needs no re-read. The app, which
stores events and matches them to people later, reads through `read_stored_reviews`: the same read with each identity
as .mailmap shows it and bots' reviews left out.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, timezone

from pathcraft.code.defaults import load_defaults as code_defaults
from pathcraft.code.gitrepo import Repo, _env, open_repo, read_mailmap, resolve_commit, stream_git
from pathcraft.code.identities import compile_bots, parse_mailmap
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
# The committer date (raw: seconds and the committer's own UTC offset) dates a trailer: when the review was recorded.
LOG_FIELDS = ("%H", "%P", "%an", "%ae", "%cn", "%ce", "%cd", "%s")
FIELDS = len(LOG_FIELDS) + 1
READ_SIZE = 1 << 20
GIT_SPACE = " \t\n\r"  # git's isspace(): split_ident_line trims these
EMPTY_TRAILERS = b"\x1f\0"
PULL_REQUEST_HINT = b"\x1fMerge pull request #"
GITLAB_HINT = b"' into '"
FEW_MERGES = 32  # up to this many counted merges, git lists each one's range (no pass over the whole graph)


def log_format(keys: Iterable[str]) -> str:
    trailer_keys = ",".join(f"key={k}" for k in keys)
    return "%x01" + "%x1f".join(LOG_FIELDS) + f"%x1f%(trailers:{trailer_keys},unfold,separator=%x1e)"


def parse_ident(value: str) -> Identity:
    """NAME <EMAIL> split as git's split_ident_line does: the name before the first '<' (trailing space trimmed),
    the email up to the next '>'; anything else is a name alone."""
    lt = value.find("<")
    if lt >= 0:
        gt = value.find(">", lt + 1)
        if gt >= 0:
            return Identity(name=value[:lt].rstrip(GIT_SPACE), email=value[lt + 1 : gt])
    return Identity(name=value)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _person(name: bytes, email: bytes) -> Identity:
    return Identity(_text(name).strip(), _text(email).strip())


def _offset(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if len(digits) != 4 or not digits.isdigit():
        return 0
    return sign * (int(digits[:2]) * 60 + int(digits[2:]))


_zones: dict[int, timezone] = {}


def moment(timestamp: int, offset_minutes: int) -> datetime:
    """A timezone-aware datetime at the given UTC offset (the committer's own, so local hours stay known)."""
    zone = _zones.get(offset_minutes)
    if zone is None:
        zone = _zones[offset_minutes] = (
            UTC if not offset_minutes else timezone(timedelta(minutes=offset_minutes))
        )
    return datetime.fromtimestamp(timestamp, zone)


def _moment(raw_date: bytes) -> datetime:
    stamp, _, offset = _text(raw_date).partition(" ")
    return moment(int(stamp or 0), _offset(offset))


def record_chunks(stream) -> Iterator[bytes]:
    """The output of `git log -z --format=log_format(…)` in chunks that each end at a commit's start (\\x01)."""
    rest = b""
    while True:
        chunk = stream.read(READ_SIZE)
        if not chunk:
            break
        buffer = rest + chunk
        cut = buffer.rfind(b"\x01")
        if cut <= 0:
            rest = buffer
            continue
        rest = buffer[cut:]
        yield buffer[:cut]
    if rest:
        yield rest


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


def iter_chunks(
    repo: Repo,
    revisions: list[str],
    keys: Iterable[str] = tuple(TRAILER_KINDS),
    paths: bool = False,
    since: int | None = None,
) -> Iterator[bytes]:
    """Stream the log of REVISIONS newest first (trailers of KEYS; changed paths if PATHS) in whole commits."""
    return stream_git(log_command(repo, revisions, keys, paths, since), record_chunks)


def merger_of(author: Identity, committer: Identity) -> Identity:
    """Who merged: the committer, unless a forge's web page committed the merge (then its author clicked)."""
    if committer.email.lower() in FORGE_COMMITTERS:
        return author
    return committer


class ReviewCollector:
    """Folds chunks of git log output (newest first) into review events; `finish` adds the merges.

    Most commits carry no review trailer and are no merge. A chunk is split into commits by one bytes.split, and
    only commits with trailers are decoded; the merge pass reads the rest only when a merge may count (for
    pull-request merges: when a chunk holds a pull-request merge subject at all)."""

    def __init__(self, merges: str = "pull-requests", co_authors: bool = False, paths: bool = False):
        if merges not in MERGE_POLICIES:
            raise InputError(f"merges must be one of {', '.join(MERGE_POLICIES)}, not {merges!r}")
        self.merges = merges
        self.co_authors_wanted = co_authors
        self.paths = paths
        self.events: list[ReviewEvent] = []
        self.co_authors: list[tuple[str, Identity]] = []  # (commit sha, co-author) from Co-authored-by
        self.commits = 0
        self.head: str | None = None
        # For the merge pass: sha -> the commit's raw record, parsed only if a merge needs it.
        self._graph: dict[bytes, bytes] = {}
        self._sha_length = 0

    def feed(self, chunk: bytes) -> int:
        """Fold one chunk of whole commits in; returns how many commits it held."""
        parts = chunk.split(b"\x01")
        if parts and not parts[0]:
            del parts[0]
        if not parts:
            return 0
        self.commits += len(parts)
        if self.head is None:
            self._sha_length = parts[0].index(b"\x1f")
            self.head = parts[0][: self._sha_length].decode()
        if self.merges != "none":
            n = self._sha_length
            self._graph.update({record[:n]: record for record in parts})
        # A commit without trailers ends with its empty last field: only the others are decoded.
        busy = parts if self.paths else [p for p in parts if not p.endswith(EMPTY_TRAILERS)]
        for record in busy:
            fields, paths = _split(record)
            if fields[8]:
                self._trailers(fields, paths)
        return len(parts)

    def add_commit(
        self, sha: bytes, parents: bytes, name: str, email: str, paths: tuple[str, ...], record: bytes | None
    ) -> None:
        """Fold one commit handed over by another pass (the code engine's): its graph entry is kept as decoded
        values, and its RECORD (as a chunk holds it) is made only for a merge or a commit with trailers."""
        self.commits += 1
        if self.head is None:
            self._sha_length = len(sha)
            self.head = sha.decode()
        if self.merges != "none":
            self._graph[sha] = record if record is not None else (parents, name, email, paths)  # type: ignore[assignment]
        if record is not None and not record.partition(b"\0")[0].endswith(b"\x1f"):
            fields, record_paths = _split(record)
            self._trailers(fields, record_paths)

    def _parents(self, sha: bytes) -> list[bytes]:
        record = self._graph[sha]
        if type(record) is tuple:
            return record[0].split()
        start = self._sha_length + 1
        return record[start : record.index(b"\x1f", start)].split()

    def _commit(self, sha: bytes) -> tuple[list[bytes], str, str, tuple[str, ...]]:
        """(parents, author name, author email, paths) of a commit read."""
        record = self._graph[sha]
        if type(record) is tuple:
            return record[0].split(), record[1], record[2], record[3]
        fields, paths = _split(record)
        return fields[1].split(), _text(fields[2]), _text(fields[3]), paths

    def _trailers(self, fields: list[bytes], paths: tuple[str, ...]) -> None:
        sha, author, cd, trailers = (
            fields[0].decode(),
            _person(fields[2], fields[3]),
            fields[6],
            _text(fields[8]),
        )
        at = None
        seen = set()
        for line in trailers.split("\x1e"):
            key, sep, value = line.partition(":")
            if not sep:
                continue
            key = key.strip().lower()
            value = value.strip()
            kind = TRAILER_KINDS.get(key)
            if kind is None:
                if key == CO_AUTHORED_BY and self.co_authors_wanted:
                    self.co_authors.append((sha, parse_ident(value)))
                continue
            reviewer = parse_ident(value)
            # The same trailer twice in one commit is one review (git shortlog counts it once too).
            mark = (kind, reviewer.name, reviewer.email.lower())
            if mark in seen:
                continue
            seen.add(mark)
            if at is None:
                at = _moment(cd)
            self.events.append(ReviewEvent(reviewer, author, at, kind, sha, paths))

    def finish(self, repo: Repo | None = None) -> list[ReviewEvent]:
        """Add the merge events (the branch each mainline merge brought in is known only once all is read)."""
        if self.merges == "none" or self.head is None:
            return self.events
        graph = self._graph
        parents_of = self._parents
        mainline = []
        sha: bytes | None = self.head.encode()
        while sha is not None and sha in graph:
            mainline.append(sha)
            parents = parents_of(sha)
            sha = parents[0] if parents else None
        merges = {}
        every = self.merges == "all"
        for sha in mainline:
            record = graph[sha]
            # Cheap tests first: only a merge whose subject may count is split into fields.
            if type(record) is tuple:  # handed over by the code pass: a merge would have come as a record
                continue
            if (every or PULL_REQUEST_HINT in record or GITLAB_HINT in record) and len(parents_of(sha)) > 1:
                merges[sha] = _split(record)[0]
        self._merges = merges
        counted = self._counted(list(merges), repo)
        if not counted:
            return self.events
        for sha, branch in self._branches(mainline, counted, repo):
            fields = merges[sha]
            _, _, an, ae, cn, ce, cd, _, _ = fields
            merger = merger_of(_person(an, ae), _person(cn, ce))
            authors: dict[tuple[str, str], tuple[Identity, set[str]]] = {}
            for commit_sha in reversed(branch):  # oldest first: an author as first spelled
                parents, name, email, paths = self._commit(commit_sha)
                if len(parents) > 1:  # a merge inside the branch carries no authored change of its own
                    continue
                entry = authors.get((name, email.lower()))
                if entry is None:
                    entry = authors[(name, email.lower())] = (Identity(name.strip(), email.strip()), set())
                entry[1].update(paths)
            at = _moment(cd)
            for author, paths in authors.values():
                self.events.append(
                    ReviewEvent(merger, author, at, "merged", sha.decode(), tuple(sorted(paths)))
                )
        return self.events

    def _branches(self, mainline: list[bytes], counted: set[bytes], repo: Repo | None):
        """(merge, the commits it brought in: `git log P1..P2`) for each counted merge, oldest first.

        A few merges: git lists each range. Many: one pass over the commits read — the mainline merges, oldest
        first, each claim what their other parents reach that is neither mainline nor claimed by an earlier merge,
        which is exactly P1..P2 for every mainline merge."""
        graph = self._graph
        ordered = [sha for sha in reversed(mainline) if sha in counted]
        if repo is not None and len(ordered) <= FEW_MERGES:
            for sha in ordered:
                first, *others = self._parents(sha)
                listed = subprocess.run(
                    repo.git("rev-list", *(o.decode() for o in others), f"^{first.decode()}", "--"),
                    capture_output=True, env=_env(), check=True,
                ).stdout.split()  # fmt: skip
                yield sha, [c for c in listed if c in graph]
            return
        parents_of = self._parents
        claimed = set(mainline)
        for sha in reversed(mainline):
            if len(parents_of(sha)) < 2:
                continue
            branch: list[bytes] = []
            todo = [p for p in parents_of(sha)[1:] if p in graph and p not in claimed]
            claimed.update(todo)
            while todo:
                current = todo.pop()
                branch.append(current)
                for parent in parents_of(current):
                    if parent in graph and parent not in claimed:
                        claimed.add(parent)
                        todo.append(parent)
            if sha in counted:
                yield sha, branch

    def _counted(self, merges: list[bytes], repo: Repo | None) -> set[bytes]:
        """The mainline merges that count as reviews under the policy."""
        if self.merges == "all":
            return set(merges)
        counted = {s for s in merges if GITHUB_MERGE.match(_text(self._merges[s][7]))}
        gitlab = [s for s in merges if GITLAB_SUBJECT.match(_text(self._merges[s][7]))]
        if gitlab and repo is not None:
            bodies = _bodies(repo, [s.decode() for s in gitlab])
            counted.update(s for s in gitlab if GITLAB_BODY.search(bodies.get(s.decode(), "")))
        return counted


def _split(record: bytes) -> tuple[list[bytes], tuple[str, ...]]:
    """A commit's fields and (with --name-only) its paths."""
    head, _, tail = record.partition(b"\0")
    fields = head.split(b"\x1f")
    if len(fields) != FIELDS:
        raise InputError(f"unexpected git log output near {record[:60]!r}")
    paths: tuple[str, ...] = ()
    if tail.strip(b"\n\0"):
        paths = tuple(_text(p) for p in tail.lstrip(b"\n").split(b"\0") if p)
    return fields, paths


def _bodies(repo: Repo, shas: list[str]) -> dict[str, str]:
    """Bodies of these commits (GitLab puts the merge request's number only in the body)."""
    done = subprocess.run(
        repo.git("log", "--no-walk=unsorted", "--stdin", "-z", "--format=%H%x1f%b"),
        input="\n".join(shas).encode(),
        capture_output=True,
        env=_env(),
        check=False,
    )
    bodies = {}
    for record in done.stdout.split(b"\0"):
        sha, _, body = record.decode("utf-8", "replace").partition("\x1f")
        if sha.strip():
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
    collector = ReviewCollector(merges, co_authors, paths)
    incremental = False
    if last_seen and last_seen != head:
        incremental = _read_incremental(repo, head, last_seen, keys, paths, stamp, collector, progress)
        if not incremental:
            collector = ReviewCollector(merges, co_authors, paths)
    if last_seen == head:
        incremental = True
    elif not incremental:
        _fold(collector, iter_chunks(repo, [head], keys, paths, stamp), progress)
    events = collector.finish(repo)
    return GitReviews(
        head=head,
        events=events,
        commits=collector.commits,
        incremental=incremental,
        mailmap=read_mailmap(repo, head),
        co_authors=collector.co_authors,
    )


def _fold(collector: ReviewCollector, chunks: Iterable[bytes], progress) -> None:
    count = 0
    reported = 0
    for chunk in chunks:
        count += collector.feed(chunk)
        if progress is not None and count - reported >= 1000:
            progress(count)
            reported = count
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
        commits = list(iter_chunks(repo, [f"{last_seen}..{head}"], keys, paths, stamp))
    except InputError:
        check.wait()
        return False  # e.g. LAST_SEEN no longer exists after a force-push and gc
    if check.wait() != 0:
        return False
    _fold(collector, commits, progress)
    return True


def mailmapped_events(
    events: Iterable[ReviewEvent], mailmap: str, bot_patterns: Iterable[str] | None = None
) -> list[ReviewEvent]:
    """EVENTS with reviewer and author as MAILMAP (the .mailmap text) shows them, as git's %aN/%aE would; reviews by
    a bot (the code engine's patterns, on the identity as committed or as mapped) are left out, as they count for
    nobody. A bot's change reviewed by a person stays: the person did the review."""
    mapping = parse_mailmap(mailmap)
    bots = compile_bots(code_defaults().bot_patterns if bot_patterns is None else bot_patterns)
    mapped: dict[Identity, Identity] = {}

    def proper(who: Identity) -> Identity:
        found = mapped.get(who)
        if found is None:
            name, email = mapping.map(who.name, who.email) if who.email else (who.name, who.email)
            found = mapped[who] = (
                Identity(name, email, who.login) if (name, email) != (who.name, who.email) else who
            )
        return found

    def is_bot(who: Identity) -> bool:
        return any(bots.search(text) for text in (who.name, who.email, who.login) if text)

    kept = []
    for event in events:
        reviewer = proper(event.reviewer)
        if is_bot(event.reviewer) or is_bot(reviewer):
            continue
        author = proper(event.author)
        if reviewer is not event.reviewer or author is not event.author:
            event = replace(event, reviewer=reviewer, author=author)
        kept.append(event)
    return kept


def read_stored_reviews(
    path: str,
    ref: str | None = None,
    last_seen: str | None = None,
    merges: str = "pull-requests",
    bot_patterns: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> GitReviews:
    """`read_git_reviews(path, ref, last_seen, paths=True)` in the form a store keeps: identities through the .mailmap
    at the head read, bots' reviews out. Mapped identities are stored, so when .mailmap changed since LAST_SEEN the
    whole history is read again (incremental False) and the stored events are replaced with ones mapped the new way."""
    found = read_git_reviews(path, ref, last_seen, paths=True, merges=merges, progress=progress)
    if found.incremental and last_seen and last_seen != found.head:
        if read_mailmap(open_repo(path), last_seen) != found.mailmap:
            found = read_git_reviews(path, found.head, None, paths=True, merges=merges, progress=progress)
    found.events = mailmapped_events(found.events, found.mailmap, bot_patterns)
    return found
