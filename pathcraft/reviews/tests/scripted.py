"""Small git repositories with scripted commits, messages, committers and merges for the review-engine tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

BASE_TIME = 1_700_000_000  # 2023-11-14 22:13:20 UTC, a Tuesday


def split(who: str) -> tuple[str, str]:
    name, _, rest = who.partition("<")
    return name.strip(), rest.rstrip(">").strip()


class ScriptedRepo:
    """A throwaway repository; every commit sets its author, committer and date through git's environment."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.clock = BASE_TIME
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict | None = None) -> str:
        full_env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "nobody",
            "GIT_AUTHOR_EMAIL": "nobody@example.com",
            "GIT_COMMITTER_NAME": "nobody",
            "GIT_COMMITTER_EMAIL": "nobody@example.com",
            **(env or {}),
        }
        done = subprocess.run(["git", *args], cwd=self.path, env=full_env, capture_output=True, check=True)
        return done.stdout.decode()

    def _env(self, author: str, committer: str | None, when: int | None, offset: str) -> dict:
        if when is None:
            self.clock += 3600
            when = self.clock
        an, ae = split(author)
        cn, ce = split(committer or author)
        return {
            "GIT_AUTHOR_NAME": an,
            "GIT_AUTHOR_EMAIL": ae,
            "GIT_AUTHOR_DATE": f"{when} {offset}",
            "GIT_COMMITTER_NAME": cn,
            "GIT_COMMITTER_EMAIL": ce,
            "GIT_COMMITTER_DATE": f"{when} {offset}",
        }

    def commit(
        self,
        author: str,
        message: str,
        files: dict[str, str] | None = None,
        committer: str | None = None,
        when: int | None = None,
        offset: str = "+0000",
    ) -> str:
        """Write FILES and commit them as AUTHOR ('Name <email>') with MESSAGE (trailers and all)."""
        for rel, content in (files or {}).items():
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content)
            self.git("add", "--", rel)
        self.git(
            "commit", "-q", "--allow-empty", "-m", message, env=self._env(author, committer, when, offset)
        )
        return self.head()

    def merge(self, branch: str, author: str, message: str, committer: str | None = None) -> str:
        """Merge BRANCH into the current branch with a merge commit (never a fast-forward)."""
        self.git(
            "merge", "-q", "--no-ff", "-m", message, branch, env=self._env(author, committer, None, "+0000")
        )
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()
