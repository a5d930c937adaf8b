"""Build small git repositories with scripted commits (authors, dates, renames) for the engine tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

BASE_TIME = 1_600_000_000  # 2020-09-13 12:26:40 UTC, a Sunday


class RepoBuilder:
    """A throwaway repository; each commit sets its author, email and date through git's environment."""

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

    def commit(
        self,
        author: str,
        files: dict[str, str | bytes | None] | None = None,
        renames: dict[str, str] | None = None,
        when: int | None = None,
        offset: str = "+0000",
        name: str | None = None,
    ) -> str:
        """Write FILES (None deletes), apply RENAMES (old -> new), commit as AUTHOR ('Name <email>' or an email)."""
        for old, new in (renames or {}).items():
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", old, new)
        for rel, content in (files or {}).items():
            target = self.path / rel
            if content is None:
                self.git("rm", "-q", rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode() if isinstance(content, str) else content)
            self.git("add", "--", rel)
        if when is None:
            self.clock += 3600
            when = self.clock
        if "<" in author:
            who_name, _, rest = author.partition("<")
            who_name, email = who_name.strip(), rest.rstrip(">").strip()
        else:
            who_name, email = name or author.split("@")[0], author
        env = {
            "GIT_AUTHOR_NAME": who_name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": f"{when} {offset}",
            "GIT_COMMITTER_NAME": who_name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": f"{when} {offset}",
        }
        self.git("commit", "-q", "--allow-empty", "-m", f"change by {who_name}", env=env)
        return self.git("rev-parse", "HEAD").strip()

    def touch(self, author: str, path: str, times: int) -> None:
        """AUTHOR changes PATH TIMES times (one commit each)."""
        for n in range(times):
            current = (self.path / path).read_text()
            self.commit(author, {path: current + f"// {author} {n}\n"})
