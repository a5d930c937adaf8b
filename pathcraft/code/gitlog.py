"""Stream `git log --name-status --find-renames` one commit at a time (the history is never held in memory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pathcraft.code.gitrepo import Repo, decode_path, stream_git
from pathcraft.errors import InputError

# \x01 starts a commit header (never the first byte of a status letter or of a -z path record we read as status);
# \x1f separates its fields. %an/%ae are the raw identity: .mailmap is applied later (identities.py), so a changed
# .mailmap needs no re-read of the history. %ad with --date=raw keeps the author's own UTC offset.
LOG_FORMAT = "%x01%H%x1f%P%x1f%an%x1f%ae%x1f%ad%x1f%ct"
HEADER_FIELDS = 6
READ_SIZE = 1 << 16


@dataclass(slots=True)
class Change:
    """One name-status record: A, M, D, T or R (old path set for renames)."""

    status: str
    path: str
    old_path: str | None = None


@dataclass(slots=True)
class Commit:
    """One commit as git log prints it; merges carry no changes (git shows no diff for them by default)."""

    sha: str
    parents: int
    name: str
    email: str
    author_time: int
    author_offset_minutes: int
    commit_time: int
    changes: list[Change] = field(default_factory=list)
    # The fields of an extra format a caller asked for (`iter_commits(extra_format=…)`), raw; else empty.
    extra: list[bytes] = field(default_factory=list)


def log_command(
    repo: Repo, revisions: list[str], rename_limit: int, since: int | None = None, extra_format: str = ""
) -> list[str]:
    """The git log invocation whose output `parse_log` reads; EXTRA_FORMAT (fields each led by %x1f) is appended
    to every header, so another engine can read what it needs in the same pass (e.g. review trailers)."""
    args = [
        "-c",
        f"diff.renameLimit={rename_limit}",
        "-c",
        "log.showSignature=false",
        "log",
        "-z",
        "--name-status",
        "--find-renames",
        "--date=raw",
        f"--format={LOG_FORMAT}{extra_format}",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
    ]
    if since is not None:
        args.append(f"--since={since}")
    return repo.git(*args, *revisions, "--")


def _parse_offset(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if len(digits) != 4 or not digits.isdigit():
        return 0
    return sign * (int(digits[:2]) * 60 + int(digits[2:]))


def _header(token: bytes) -> Commit:
    fields = token[1:].split(b"\x1f")
    if len(fields) < HEADER_FIELDS:
        raise InputError(f"unexpected git log output near {token[:60]!r}")
    sha, parents, name, email, author_date, ctime = fields[:HEADER_FIELDS]
    stamp, _, offset = author_date.decode("ascii", "replace").partition(" ")
    return Commit(
        sha=sha.decode("ascii"),
        parents=len(parents.split()),
        name=name.decode("utf-8", "replace").strip(),
        email=email.decode("utf-8", "replace").strip(),
        author_time=int(stamp or 0),
        author_offset_minutes=_parse_offset(offset),
        commit_time=int(ctime or 0),
        extra=fields[HEADER_FIELDS:],
    )


def parse_log(stream) -> Iterator[Commit]:
    """Commits from the bytes of `git log -z --name-status` in LOG_FORMAT, read in chunks."""
    current: Commit | None = None
    need = 0  # paths still to read for the current record
    status = ""
    first_path: str | None = None
    rest = b""
    while True:
        chunk = stream.read(READ_SIZE)
        if not chunk:
            break
        tokens = (rest + chunk).split(b"\0")
        rest = tokens.pop()
        for token in tokens:
            if need:
                if need == 2:
                    first_path = decode_path(token)
                    need = 1
                    continue
                path = decode_path(token)
                if current is not None:
                    if first_path is not None:
                        current.changes.append(Change(status, path, first_path))
                    else:
                        current.changes.append(Change(status, path))
                need = 0
                first_path = None
                continue
            if token.startswith(b"\n"):
                token = token[1:]
            if not token:
                continue
            if token[0] == 1:  # \x01: a new commit header
                if current is not None:
                    yield current
                current = _header(token)
                continue
            letter = chr(token[0])
            status = letter
            # Renames and copies name two paths (old, new); every other record names one.
            need = 2 if letter in "RC" else 1
    if rest:
        if rest.startswith(b"\n"):
            rest = rest[1:]
        if rest and rest[0] == 1:
            if current is not None:
                yield current
            current = _header(rest)
    if current is not None:
        yield current


def iter_commits(
    repo: Repo, revisions: list[str], rename_limit: int, since: int | None = None, extra_format: str = ""
) -> Iterator[Commit]:
    """Stream the commits of REVISIONS (e.g. [sha] or [old..new]) newest first."""
    return stream_git(log_command(repo, revisions, rename_limit, since, extra_format), parse_log)
