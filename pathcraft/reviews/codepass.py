"""Review events read in the code analysis's own history pass (one `git log` for both engines).

The code engine prints each commit's name-status anyway; with this hook git adds the review fields (parents,
committer, subject, review trailers) to every header, and the reviews come with the files each commit touched at
no extra diff: review knowledge per module for free.

    hook = CodePassReviews()
    analysis = analyze_repository(path, AnalysisOptions(commit_hook=hook), state=saved)
    reviews = hook.finish(analysis)   # incremental exactly when the analysis was

pathcraft.code knows only the hook's shape (analysis.CommitHook), never this module.
"""

from __future__ import annotations

from pathcraft.code.gitlog import Commit
from pathcraft.code.gitrepo import read_mailmap
from pathcraft.reviews.trailers import CO_AUTHORED_BY, TRAILER_KINDS, GitReviews, ReviewCollector

SEP = b"\x1f"


class CodePassReviews:
    """A commit hook for pathcraft.code.analysis: collects review events from the code engine's pass."""

    def __init__(self, merges: str = "pull-requests", co_authors: bool = False):
        self.collector = ReviewCollector(merges, co_authors, paths=True)
        keys = ",".join(f"key={k}" for k in (*TRAILER_KINDS, *([CO_AUTHORED_BY] if co_authors else [])))
        self.log_format = f"%x1f%P%x1f%cn%x1f%ce%x1f%cd%x1f%s%x1f%(trailers:{keys},unfold,separator=%x1e)"

    def add_commit(self, commit: Commit) -> None:
        parents, cn, ce, cd, subject, trailers = commit.extra
        sha = commit.sha.encode()
        paths = tuple(c.path for c in commit.changes)
        record = None
        if trailers or b" " in parents:  # as the review engine's own pass prints it: both read commits alike
            fields = (sha, parents, commit.name.encode("utf-8", "surrogateescape"),
                      commit.email.encode("utf-8", "surrogateescape"), cn, ce, cd, subject, trailers)  # fmt: skip
            record = (
                SEP.join(fields) + b"\0\n" + b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths)
            )
        self.collector.add_commit(sha, parents, commit.name, commit.email, paths, record)

    def finish(self, analysis) -> GitReviews:
        """The review events of the commits the analysis read (all, or only the new ones when it was incremental)."""
        events = self.collector.finish(analysis.repo)
        return GitReviews(
            head=analysis.commit,
            events=events,
            commits=self.collector.commits,
            incremental=analysis.incremental,
            mailmap=read_mailmap(analysis.repo, analysis.commit),
            co_authors=self.collector.co_authors,
        )
