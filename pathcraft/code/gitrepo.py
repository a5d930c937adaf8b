"""Thin access to a local git repository (bare or not) through the git command: refs, trees, blobs."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import IO, NamedTuple, TypeVar

from pathcraft.errors import InputError

T = TypeVar("T")

SUBMODULE_MODE = "160000"
SYMLINK_MODE = "120000"
# git's environment: no pager, no prompts, no locale-dependent messages; the user's config is still honoured.
GIT_ENV = {"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


def decode_path(raw: bytes) -> str:
    """Paths are bytes in git; keep undecodable bytes (surrogateescape) so each path stays distinct."""
    return raw.decode("utf-8", "surrogateescape")


def display_path(path: str) -> str:
    """A printable form of a path that may hold undecodable bytes (shown as U+FFFD)."""
    if path.isascii():
        return path
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True)
class Repo:
    """A local repository: where it is and what kind it is."""

    path: str
    git_dir: str
    bare: bool
    shallow: bool

    def git(self, *args: str) -> list[str]:
        """The argument list that runs git on this repository."""
        return ["git", "--git-dir", self.git_dir, *args]


def _env() -> dict[str, str]:
    return {**os.environ, **GIT_ENV}


def run_git(repo: Repo | None, args: list[str], cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run a short git command and capture its output (bytes)."""
    cmd = repo.git(*args) if repo else ["git", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, env=_env(), check=False)


def open_repo(path: str | os.PathLike) -> Repo:
    """Find the repository at PATH (a work tree, a bare repository or a .git folder) or raise InputError."""
    if shutil.which("git") is None:
        raise InputError("git is not installed (the code analysis reads history through the git command)")
    path = os.fspath(path)
    if not os.path.isdir(path):
        raise InputError(f"{path}: no such directory")
    done = run_git(
        None, ["rev-parse", "--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository"], cwd=path
    )
    if done.returncode != 0:
        raise InputError(f"{path} is not a git repository")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    git_dir, bare, shallow = lines[0], lines[1] == "true", lines[2] == "true"
    # A directory inside some other repository's work tree is not the repository the user meant.
    top = run_git(None, ["rev-parse", "--show-toplevel"], cwd=path)
    if not bare and top.returncode == 0:
        toplevel = top.stdout.decode("utf-8", "surrogateescape").strip()
        if os.path.realpath(toplevel) != os.path.realpath(path) and os.path.realpath(
            git_dir
        ) != os.path.realpath(path):
            raise InputError(f"{path} is not the top of a git repository (that is {toplevel})")
    return Repo(path=path, git_dir=git_dir, bare=bare, shallow=shallow)


def resolve_commit(repo: Repo, ref: str | None = None, as_of: date | datetime | None = None) -> str:
    """The commit to analyse: REF (default HEAD), or its last commit at or before AS_OF."""
    ref = ref or "HEAD"
    if ref.startswith("-"):
        raise InputError(f"unknown ref {ref!r}")
    has_any = run_git(repo, ["rev-parse", "--verify", "--quiet", "HEAD"])
    if has_any.returncode != 0 and ref == "HEAD":
        refs = run_git(repo, ["for-each-ref", "--count=1", "--format=%(refname)"])
        if not refs.stdout.strip():
            raise InputError(f"{repo.path}: the repository has no commits yet")
    args = ["rev-list", "-1"]
    if as_of is not None:
        args.append(f"--before={as_of_timestamp(as_of)}")
    done = run_git(repo, [*args, f"{ref}^{{commit}}", "--"])
    if done.returncode != 0:
        raise InputError(f"unknown ref {ref!r} in {repo.path}")
    commit = done.stdout.decode().strip()
    if not commit:
        raise InputError(f"{ref} has no commit on or before {as_of}")
    return commit


def as_of_timestamp(as_of: date | datetime) -> int:
    """A date means the end of that day (UTC); a naive datetime is taken as UTC."""
    if isinstance(as_of, datetime):
        moment = as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    else:
        moment = datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59, tzinfo=UTC)
    return int(moment.timestamp())


def commit_time(repo: Repo, commit: str) -> int:
    """Committer timestamp of COMMIT."""
    done = run_git(repo, ["show", "-s", "--format=%ct", commit])
    return int(done.stdout.decode().strip())


def is_ancestor(repo: Repo, older: str, newer: str) -> bool:
    """Whether OLDER is reachable from NEWER (so OLDER..NEWER is the whole difference)."""
    return run_git(repo, ["merge-base", "--is-ancestor", older, newer]).returncode == 0


def start_is_ancestor(repo: Repo, older: str, newer: str) -> subprocess.Popen:
    """`is_ancestor` started in the background: exit status 0 when OLDER is reachable from NEWER.

    Without a commit-graph file the check walks history (0.3 s on git/git), as long as reading the new commits;
    running both at once halves an incremental run's wait on git."""
    return subprocess.Popen(
        repo.git("merge-base", "--is-ancestor", older, newer),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )


def read_mailmap(repo: Repo, commit: str) -> str:
    """The text of .mailmap at COMMIT ('' when there is none): the same for bare and non-bare repositories."""
    done = run_git(repo, ["cat-file", "blob", f"{commit}:.mailmap"])
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


class TreeEntry(NamedTuple):
    """One blob in the analysed tree (size -1: not read, but the blob is not empty)."""

    path: str
    mode: str
    oid: str
    size: int


# The empty blob's name in SHA-1 and SHA-256 repositories: a blob is empty exactly when it has this name.
EMPTY_BLOBS = frozenset(
    {
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
        "473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813",
    }
)


def list_tree(repo: Repo, commit: str, sizes: bool = True) -> Iterator[TreeEntry]:
    """Every blob and submodule (mode 160000) at COMMIT, without reading any content.

    Without SIZES git does not look the blobs up (several times faster on a large tree): each size is then 0 for
    the empty blob and -1 for any other."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if sizes:
        args.insert(3, "--long")
    proc = subprocess.Popen(repo.git(*args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
    assert proc.stdout is not None
    data = proc.stdout.read()
    proc.wait()
    empty = EMPTY_BLOBS
    for record in data.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        if sizes:
            mode, kind, oid, size = meta.split()
            length = int(size) if size != b"-" else 0
        else:
            mode, kind, oid = meta.split()
            length = -1
        if kind not in (b"blob", b"commit"):  # a commit entry is a submodule: reported, never analysed
            continue
        name = oid.decode()
        if length < 0:
            length = 0 if name in empty or kind == b"commit" else -1
        try:
            path = raw_path.decode()
        except UnicodeDecodeError:
            path = decode_path(raw_path)
        yield TreeEntry(path, mode.decode(), name, length)


def read_blobs(repo: Repo, oids: Iterable[str], limit: int) -> Iterator[tuple[str, bytes]]:
    """(oid, first LIMIT bytes) for each blob, through one `git cat-file --batch` process."""
    oids = list(oids)
    if not oids:
        return
    proc = subprocess.Popen(
        repo.git("cat-file", "--batch"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    assert proc.stdin is not None and proc.stdout is not None
    # Feed the requests from a thread-free writer: git answers in order, so write all then read (the answers are
    # read while git writes; requests are small enough to fit the pipe only in chunks, hence the interleaving).
    out = proc.stdout
    pending = iter(oids)
    batch = 256
    try:
        while True:
            chunk = [oid for _, oid in zip(range(batch), pending, strict=False)]
            if not chunk:
                break
            proc.stdin.write(("\n".join(chunk) + "\n").encode())
            proc.stdin.flush()
            for oid in chunk:
                header = out.readline().split()
                if len(header) < 3 or header[1] == b"missing":
                    yield oid, b""
                    continue
                size = int(header[2])
                content = out.read(size)
                out.read(1)  # the newline after each blob
                yield oid, content[:limit]
    finally:
        proc.stdin.close()
        out.close()
        proc.wait()


def stream_git(command: list[str], parse: Callable[[IO[bytes]], Iterator[T]]) -> Iterator[T]:
    """Run a long git COMMAND (`git log` of a whole history) and yield what PARSE reads from its output as it
    comes; a failure is InputError with git's last line. stderr goes to a file: a pipe nobody reads could fill
    up and stall git."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=_env())
        assert proc.stdout is not None
        try:
            yield from parse(proc.stdout)
        finally:
            proc.stdout.close()
            code = proc.wait()
        errors.seek(0)
        err = errors.read()
    if code != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git log failed: {message[-1] if message else f'exit status {code}'}")
