"""One review as every source reports it: a git trailer, a merge, a GitHub review or a GitLab approval.

The engine (trailers, merges, forge imports) produces these; the app stores and aggregates them. Plain data,
no Django, so the CLI, the API and the pages share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# What a review event is, from the source's own vocabulary.
KINDS = (
    "reviewed-by",  # git trailer Reviewed-by:
    "acked-by",  # git trailer Acked-by:
    "helped-by",  # git trailer Helped-by:
    "tested-by",  # git trailer Tested-by:
    "merged",  # a merge commit: the merger looked at the branch
    "approved",  # GitHub review APPROVED / GitLab approval
    "changes-requested",  # GitHub review CHANGES_REQUESTED
    "commented",  # GitHub review COMMENTED, a review comment, a GitLab note on a merge request
)


@dataclass(frozen=True)
class Identity:
    """A person as the source names them; mapped to a developer through .mailmap and aliases later."""

    name: str
    email: str = ""  # forges give a login, not an email: then `login` is set and email may be empty
    login: str = ""


@dataclass(frozen=True)
class ReviewEvent:
    """REVIEWER reviewed AUTHOR's change CHANGE_ID at AT (timezone-aware)."""

    reviewer: Identity
    author: Identity
    at: datetime
    kind: str
    change_id: str  # commit sha, "owner/repo#123" or "group/project!45"
    paths: tuple[str, ...] = field(default_factory=tuple)  # files the change touched (module knowledge)
    requested_at: datetime | None = None  # when review was asked for: turnaround = at - requested_at
    source: str = "git"  # git | github | gitlab

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown review kind {self.kind!r} (known: {', '.join(KINDS)})")
        if self.at.tzinfo is None:
            raise ValueError("review time must carry its timezone offset")
        if self.requested_at is not None and self.requested_at.tzinfo is None:
            raise ValueError("review request time must carry its timezone offset")

    @property
    def turnaround_seconds(self) -> float | None:
        if self.requested_at is None:
            return None
        return max(0.0, (self.at - self.requested_at).total_seconds())
