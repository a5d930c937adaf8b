"""Keeping a local mirror of a remote repository: clone once, fetch on a schedule. Pure: no Django.

A remote is an https, http, ssh, git or file URL, or scp-like `git@host:org/repo.git`. Anything git could read as a
command (`ext::`, `fd::`, a leading `-`) is refused. The mirror is bare and blobless where the server allows it
(`git clone --mirror --filter=blob:none`): history and trees only, blobs fetched when the analysis needs them
(`prefetch_tree` asks for one commit's blobs in one round trip). A server without filter support gets a full
mirror; `mirror_kind` tells which.

Credentials are secrets: a token goes to git as an HTTP header through GIT_CONFIG_* variables and a deploy key as a
0600 file for ssh, never on the command line or in the URL that is stored in the mirror's config; a URL that
carries `user:token@` has it stripped before it reaches git's config. Every error is git's own last line with the
URL, any userinfo and the secret redacted.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass

from pathcraft.errors import InputError

SCHEMES = ("https", "http", "ssh", "git", "file")
SCP_LIKE = re.compile(r"^(?P<user>[A-Za-z0-9._-]+@)?(?P<host>[A-Za-z0-9.-]+):(?P<path>[^/].*)$")
BASE_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "/bin/false", "LC_ALL": "C", "GIT_PAGER": "cat"}
# Only the transports a remote may use; everything else (ext, fd, any helper) is never run.
PROTOCOLS = [
    "-c",
    "protocol.allow=never",
    *[a for p in SCHEMES for a in ("-c", f"protocol.{p}.allow=always")],
]


class RemoteError(Exception):
    """A clone or fetch that failed; `reason` is one line with no URL credentials and no secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Remote:
    url: str  # as git fetches it: no userinfo secret
    secret: str = ""  # a token (HTTP) or a private key (ssh)

    @property
    def shown(self) -> str:
        return display_remote(self.url)


def check_remote(url: str, secret: str = "") -> Remote:
    """The remote as it will be fetched; a token in `https://user:token@host/…` moves to `secret`."""
    url = (url or "").strip()
    if not url:
        raise InputError(
            "give the repository's URL (https://, ssh://, git://, file:// or git@host:org/repo.git)"
        )
    if len(url) > 1000:
        raise InputError("the repository URL is longer than 1000 characters")
    if url.startswith("-") or "::" in url.split("/")[0] or any(c in url for c in "\n\r\t "):
        raise InputError("that is not a repository URL git may fetch from")
    if SCP_LIKE.match(url) and "://" not in url:
        return Remote(url, secret.strip())
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in SCHEMES:
        raise InputError(
            "the repository URL must start with https://, ssh://, git:// or file:// (or be git@host:path)"
        )
    if parts.scheme != "file" and not parts.hostname:
        raise InputError("the repository URL has no host name")
    if parts.password:  # https://user:token@host/...: keep the token as the secret, never in git's config
        secret = secret.strip() or urllib.parse.unquote(parts.password)
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    return Remote(url, secret.strip())


def display_remote(url: str) -> str:
    """What may be shown: the URL without any user name or password."""
    if SCP_LIKE.match(url) and "://" not in url:
        match = SCP_LIKE.match(url)
        return f"{match['host']}:{match['path']}"
    parts = urllib.parse.urlsplit(url)
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query="", fragment=""))


@contextlib.contextmanager
def git_environment(remote: Remote) -> Iterator[dict[str, str]]:
    """The environment for one git command against REMOTE: its credential, and nothing that can prompt."""
    env = {**os.environ, **BASE_ENV}
    with tempfile.TemporaryDirectory(prefix="pathcraft-git-") as tmp:
        secret = remote.secret
        if secret.startswith("-----BEGIN"):
            key = os.path.join(tmp, "deploy_key")
            with open(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "w") as handle:
                handle.write(secret.strip() + "\n")
            env["GIT_SSH_COMMAND"] = (f"ssh -i {key} -o IdentitiesOnly=yes -o BatchMode=yes "
                                      f"-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile={tmp}/known_hosts")  # fmt: skip
        elif secret:
            basic = base64.b64encode(f"x-access-token:{secret}".encode()).decode()
            env.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader",
                        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}"})  # fmt: skip
        yield env


def _run(args: list[str], remote: Remote, timeout: float, stdin: bytes | None = None) -> str:
    with git_environment(remote) as env:
        try:
            done = subprocess.run(["git", *PROTOCOLS, *args],
                                  input=stdin, capture_output=True, env=env, timeout=timeout, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            raise RemoteError(f"git did not finish within {timeout:g} s") from None
        except FileNotFoundError:
            raise RemoteError("git is not installed") from None
    if done.returncode != 0:
        raise RemoteError(_reason(done.stderr.decode(errors="replace"), remote))
    return done.stdout.decode(errors="replace")


def _reason(stderr: str, remote: Remote) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    fatal = [line for line in lines if line.startswith(("fatal:", "error:"))]
    line = (fatal or lines or ["git failed without saying why"])[-1]
    line = line.removeprefix("fatal: ").removeprefix("error: ")
    for secret in {remote.url, remote.secret, *_userinfo_forms(remote.url)} - {""}:
        line = line.replace(secret, display_remote(remote.url) if secret == remote.url else "***")
    line = re.sub(r"//[^/@\s]+@", "//", line)  # any userinfo git printed
    return line[:300]


def _userinfo_forms(url: str) -> set[str]:
    parts = urllib.parse.urlsplit(url)
    return {parts.password or "", parts.username or ""} if "://" in url else set()


def ls_remote(remote: Remote, ref: str = "", timeout: float = 60) -> str:
    """The commit REF (default HEAD) names on the remote; checks the URL and credentials before anything is saved."""
    out = _run(["ls-remote", "--", remote.url, ref or "HEAD"], remote, timeout)
    for line in out.splitlines():
        sha, _, name = line.partition("\t")
        if not ref or name in (ref, f"refs/heads/{ref}", f"refs/tags/{ref}", f"refs/tags/{ref}^{{}}"):
            return sha
    raise RemoteError(f"the remote has no branch or tag {ref!r}" if ref else "the remote has no commits")


def mirror_clone(remote: Remote, dest: str, timeout: float = 1800) -> str:
    """Clone a bare mirror into DEST (via DEST.partial, so a killed clone leaves nothing half-made).

    Returns "blobless" when the server honoured --filter=blob:none, "full" otherwise."""
    partial = dest + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        _run(["clone", "--mirror", "--filter=blob:none", "--", remote.url, partial], remote, timeout)
    except RemoteError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    os.replace(partial, dest)
    return mirror_kind(dest)


def mirror_kind(dest: str) -> str:
    """ "blobless" when the mirror lacks blobs of HEAD (the server honoured the filter), else "full".

    git records remote.origin.promisor=true even when the server ignored --filter, so the objects are what tells."""
    return "blobless" if _missing_blobs(dest, "HEAD") else "full"


def _missing_blobs(dest: str, commit: str) -> list[str]:
    # --missing=print lists what the mirror lacks without fetching it ("?<oid>" lines).
    listing = subprocess.run(["git", "--git-dir", dest, "rev-list", "--objects", "--missing=print", f"{commit}^{{tree}}"],
                             capture_output=True, env={**os.environ, **BASE_ENV}, check=False)  # fmt: skip
    return [line[1:].split()[0] for line in listing.stdout.decode().splitlines() if line.startswith("?")]


def mirror_fetch(remote: Remote, dest: str, timeout: float = 900) -> None:
    """Bring the mirror up to date: every ref as the remote has it now (force-pushed refs included, pruned)."""
    _run(["--git-dir", dest, "remote", "set-url", "origin", remote.url], remote, 30)
    _run(["--git-dir", dest, "fetch", "--prune", "--force", "origin"], remote, timeout)


def resolve(dest: str, ref: str = "") -> str:
    done = subprocess.run(["git", "--git-dir", dest, "rev-parse", "--verify", "--quiet", f"{ref or 'HEAD'}^{{commit}}"],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        raise RemoteError(f"the mirror has no branch or tag {ref!r}" if ref else "the mirror has no commits")
    return done.stdout.decode().strip()


def rewritten(dest: str, old: str, new: str) -> bool:
    """Whether the history that led to OLD is no longer under NEW (a force-push, a rebase, a reset)."""
    if not old or old == new:
        return False
    done = subprocess.run(["git", "--git-dir", dest, "merge-base", "--is-ancestor", old, new],
                          capture_output=True, check=False)  # fmt: skip
    return done.returncode != 0


def prefetch_tree(remote: Remote, dest: str, commit: str, timeout: float = 900) -> int:
    """In a blobless mirror, fetch COMMIT's blobs in one request (the analysis reads them: sizes, languages);
    without it git would fetch them one at a time. Returns how many blobs were asked for."""
    oids = _missing_blobs(dest, commit)
    if not oids:
        return 0
    # What git itself runs for a promisor fetch (promisor-remote.c), all blobs in one negotiation.
    _run(["--git-dir", dest, "-c", "fetch.negotiationAlgorithm=noop", "fetch", "origin", "--no-tags",
          "--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin"],
         remote, timeout, stdin=("\n".join(oids) + "\n").encode())  # fmt: skip
    return len(oids)
