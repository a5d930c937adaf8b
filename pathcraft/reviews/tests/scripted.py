"""Small git repositories with scripted commits, messages, committers and merges for the review-engine tests."""

from __future__ import annotations

from pathlib import Path

from pathcraft.code.tests.gitfactory import RepoBuilder

BASE_TIME = 1_700_000_000  # 2023-11-14 22:13:20 UTC, a Tuesday


def split(who: str) -> tuple[str, str]:
    name, _, rest = who.partition("<")
    return name.strip(), rest.rstrip(">").strip()


class ScriptedRepo(RepoBuilder):
    """A throwaway repository (the code engine tests' builder, its git environment and `git`); every commit here
    also sets its committer and message, and merges are scripted too. Its own clock: 2023, a Tuesday."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.clock = BASE_TIME

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
