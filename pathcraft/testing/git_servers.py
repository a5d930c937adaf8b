"""Real git remotes for tests: a bare "server" repository with a work tree that pushes to it, and `git daemon`.

`GitServer` makes a bare repository (what a git host keeps) and a clone to commit and push from, with fixed
author dates so results are reproducible. `git_daemon` serves a folder of bare repositories on a free port with
the `git daemon` that ships in Debian's git package, and stops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

from pathcraft.testing.processes import free_port, serving

ENV = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "GIT_TERMINAL_PROMPT": "0"}


def git(*args: str, cwd: Path | str | None = None, env: dict | None = None) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, env={**ENV, **(env or {})}, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.decode()}")
    return done.stdout.decode().strip()


class GitServer:
    def __init__(self, root: Path, name: str = "service.git", allow_filter: bool = True) -> None:
        self.bare = root / "served" / name
        self.work = root / "work" / name.removesuffix(".git")
        self.bare.parent.mkdir(parents=True, exist_ok=True)
        git("init", "--bare", "-b", "main", str(self.bare))
        if allow_filter:  # what GitHub and GitLab allow: partial clones and fetching blobs by id
            git("config", "uploadpack.allowFilter", "true", cwd=self.bare)
            git("config", "uploadpack.allowAnySHA1InWant", "true", cwd=self.bare)
        git("init", "-b", "main", str(self.work))
        git("remote", "add", "origin", str(self.bare), cwd=self.work)
        self.count = 0

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def commit(self, author: str = "Dee Dev <dee@x.test>", path: str = "", text: str = "") -> str:
        self.count += 1
        path = path or f"src/module_{self.count % 3}.py"
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a") as handle:
            handle.write(text or f"def f{self.count}():\n    return {self.count}\n")
        name, email = author.split(" <")
        when = f"2026-0{1 + self.count // 28}-{1 + self.count % 28:02d}T10:00:00+00:00"
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email.rstrip(">"), "GIT_AUTHOR_DATE": when,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email.rstrip(">"), "GIT_COMMITTER_DATE": when}  # fmt: skip
        git("add", "-A", cwd=self.work)
        git("commit", "-q", "-m", f"change {self.count}", cwd=self.work, env=env)
        return git("rev-parse", "HEAD", cwd=self.work)

    def push(self, force: bool = False) -> None:
        git("push", "-q", *(["--force"] if force else []), "origin", "main", cwd=self.work)

    def rewrite_to(self, commit: str) -> None:
        """Reset the branch to an older commit (a force-push that drops history follows)."""
        git("reset", "-q", "--hard", commit, cwd=self.work)


@contextlib.contextmanager
def git_daemon(base: Path):
    """`git daemon` exporting every repository under BASE on a free port; yields git://127.0.0.1:PORT/."""
    port = free_port()
    command = ["git", "daemon", "--reuseaddr", f"--base-path={base}", "--export-all", "--listen=127.0.0.1",
               f"--port={port}", "--informative-errors", str(base)]  # fmt: skip
    with serving(command, port, "git daemon", timeout=15, env=ENV):
        yield f"git://127.0.0.1:{port}/"
