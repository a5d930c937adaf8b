"""The release rule: what the subject of a feedback request may see of its answers.

Pure and deterministic. Nothing here knows who answered: an answer carries only its
submission sequence number (used to put answers into batches, never shown) and its content.

The rule, in short (docs/feedback.md explains why):

* below k answers, only the count;
* results then move only in *steps of k answers* along a fixed grid (k, 2k, 3k, ... answers
  after the last release), so two views never differ by fewer than k answers;
* each rated item (activity or competency) is shown only once k people rated it, and its
  figures change only when at least k *new* ratings of it arrived in one step, so the
  difference trick does not work on one item either;
* free-text answers are listed per question without any link between them, ordered by a
  keyed hash of their content, never by submission, and no answer has a timestamp;
* what a manager sees is a subset of the same release (``shared_view``).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pathcraft.errors import InputError
from pathcraft.feedback.defaults import K_FLOOR, load_defaults

Policy = Literal["batches", "on_close"]
ItemStatus = Literal["shown", "too_few"]

ACTIVITY = "activity"
COMPETENCY = "competency"


@dataclass(frozen=True)
class Answer:
    """One respondent's answer, as stored: no name, no email, no time."""

    sequence: int  # submission order (1, 2, 3...): used for batching only, never shown
    ratings: Mapping[str, int | None] = field(default_factory=dict)  # activity id -> 1..5, None = not seen
    texts: Mapping[str, str] = field(default_factory=dict)  # question key (does_well, start...) -> text
    competency_ratings: Mapping[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ReleaseState:
    """Where the last release stopped; stored by the caller, never shown to anyone."""

    included: int = 0  # answers in the release (a prefix in submission order)
    through_sequence: int = 0  # sequence number of the last included answer
    items: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # "activity:x" -> (prefix, n)

    def to_dict(self) -> dict[str, Any]:
        return {
            "included": self.included,
            "through_sequence": self.through_sequence,
            "items": {key: list(value) for key, value in sorted(self.items.items())},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReleaseState:
        try:
            items = {str(key): (int(value[0]), int(value[1])) for key, value in data.get("items", {}).items()}
            return cls(int(data["included"]), int(data["through_sequence"]), items)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise InputError(f"stored release state is damaged: {exc!r}") from None


@dataclass(frozen=True)
class RatingSummary:
    """Peers' ratings of one activity or competency; figures only when ``status == "shown"``."""

    key: str
    status: ItemStatus
    n: int | None = None
    mean: float | None = None
    spread: float | None = None  # sample standard deviation (n - 1 in the denominator)

    @property
    def shown(self) -> bool:
        return self.status == "shown"


@dataclass(frozen=True)
class Release:
    """What may be shown about one request's answers at one moment."""

    k: int
    received: int  # answers received so far: internal only, never shown (it moves answer by answer)
    included: int  # answers behind the figures and texts below
    final: bool  # the request is closed: held-back answers will never be shown
    activities: tuple[RatingSummary, ...] = ()
    competencies: tuple[RatingSummary, ...] = ()
    texts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    state: ReleaseState = field(default_factory=ReleaseState)

    @property
    def visible(self) -> bool:
        """True once results (not only the count) may be shown."""
        return self.included > 0

    @property
    def held_back(self) -> int:
        return self.received - self.included

    def activity(self, key: str) -> RatingSummary | None:
        return next((item for item in self.activities if item.key == key), None)

    def to_public_dict(self) -> dict[str, Any]:
        """The release as pages, API and exports show it.

        Without the internal state and without ``received`` / ``held_back``: a count that moves answer
        by answer tells the subject when each answer came, and which batch it will land in.
        """

        def items(summaries: Iterable[RatingSummary]) -> list[dict[str, Any]]:
            return [
                {"key": s.key, "status": s.status, "n": s.n, "mean": s.mean, "spread": s.spread}
                for s in summaries
            ]

        return {
            "k": self.k,
            "visible": self.visible,
            "included": self.included,
            "final": self.final,
            "activities": items(self.activities),
            "competencies": items(self.competencies),
            "texts": {key: list(values) for key, values in self.texts.items()},
        }


def check_k(k: object) -> int:
    """Return k if it is a valid anonymity threshold, else raise a clear error."""
    if not isinstance(k, int) or isinstance(k, bool):
        raise InputError(f"the anonymity threshold k must be a whole number, got {k!r}")
    if k < K_FLOOR:
        raise InputError(
            f"the anonymity threshold k must be at least {K_FLOOR} (got {k}): "
            "with fewer answers a person's answer can be singled out"
        )
    return k


def _mean_and_spread(values: Sequence[int]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    return mean, spread


def _text_order_key(order_key: bytes, text: str) -> tuple[bytes, str]:
    return hmac.new(order_key, text.encode("utf-8"), hashlib.sha256).digest(), text


def _sorted_answers(answers: Iterable[Answer]) -> list[Answer]:
    ordered = sorted(answers, key=lambda a: a.sequence)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.sequence == after.sequence:
            raise InputError(f"two answers share the sequence number {after.sequence}")
    return ordered


def _check_previous(ordered: list[Answer], previous: ReleaseState) -> None:
    # A released answer that disappeared (or one slipped in before it) would make the next
    # release differ from the last one by a single answer: refuse rather than leak.
    before = [a for a in ordered if a.sequence <= previous.through_sequence]
    if len(before) != previous.included or (before and before[-1].sequence != previous.through_sequence):
        raise InputError(
            "the answers already released have changed (one was removed or inserted); "
            "results cannot be refreshed without revealing it"
        )


def _rated(answer: Answer, item: str) -> int | None:
    kind, _, key = item.partition(":")
    source = answer.ratings if kind == ACTIVITY else answer.competency_ratings
    return source.get(key)


def _grid(previous_included: int, received: int, k: int, all_at_once: bool) -> list[int]:
    """Prefix lengths at which results may move: the last release, then every k answers."""
    if all_at_once:
        return [received] if received - previous_included >= k else []
    steps = (received - previous_included) // k
    return [previous_included + k * step for step in range(1, steps + 1)]


def release(
    answers: Iterable[Answer],
    k: int | None = None,
    closed: bool = False,
    previous_release: Release | ReleaseState | None = None,
    *,
    policy: Policy | None = None,
    order_key: bytes = b"",
) -> Release:
    """Decide what the subject may see of ``answers`` (see the module docstring).

    ``previous_release`` is the last release computed for this request (or its stored
    state); without it the grid starts at the first answer, which gives the same result as
    long as k and the policy never changed. ``order_key`` is a per-request secret that
    orders the free-text answers; any key gives an order unrelated to submission.
    """
    defaults = load_defaults()
    k = check_k(defaults.k if k is None else k)
    policy = policy or defaults.release_policy  # type: ignore[assignment]
    if policy not in defaults.release_policies:
        raise InputError(
            f"unknown release policy {policy!r}; use one of {', '.join(defaults.release_policies)}"
        )
    previous = previous_release.state if isinstance(previous_release, Release) else previous_release
    previous = previous or ReleaseState()

    ordered = _sorted_answers(answers)
    _check_previous(ordered, previous)
    received = len(ordered)

    if policy == "on_close" and not closed:
        grid: list[int] = []
    else:
        # "on_close" with nothing shown yet releases every answer at once; otherwise step by k.
        grid = _grid(
            previous.included, received, k, all_at_once=policy == "on_close" and previous.included == 0
        )
    included = grid[-1] if grid else previous.included
    released = ordered[:included]

    item_keys = sorted(
        {f"{ACTIVITY}:{key}" for a in released for key in a.ratings}
        | {f"{COMPETENCY}:{key}" for a in released for key in a.competency_ratings}
        | set(previous.items)
    )
    cursors: dict[str, tuple[int, int]] = {}
    for item in item_keys:
        prefix, count = previous.items.get(item, (0, 0))
        if sum(_rated(a, item) is not None for a in ordered[:prefix]) != count:
            raise InputError(
                f"the released ratings of {item} have changed; results cannot be refreshed safely"
            )
        for boundary in grid:
            new = sum(_rated(a, item) is not None for a in ordered[prefix:boundary])
            if new >= k:
                prefix, count = boundary, count + new
        cursors[item] = (prefix, count)

    def summaries(kind: str) -> tuple[RatingSummary, ...]:
        result = []
        for item, (prefix, count) in cursors.items():
            if not item.startswith(kind + ":"):
                continue
            key = item.partition(":")[2]
            if count < k:  # only possible while the item never reached k ratings
                result.append(RatingSummary(key, "too_few"))
                continue
            values = [v for a in ordered[:prefix] if (v := _rated(a, item)) is not None]
            mean, spread = _mean_and_spread(values)
            result.append(RatingSummary(key, "shown", len(values), mean, spread))
        return tuple(result)

    texts: dict[str, list[str]] = {}
    for answer in released:
        for question, text in answer.texts.items():
            if text and text.strip():
                texts.setdefault(question, []).append(text.strip())
    ordered_texts = {
        question: tuple(sorted(values, key=lambda t: _text_order_key(order_key, t)))
        for question, values in sorted(texts.items())
    }

    state = ReleaseState(
        included=included,
        through_sequence=released[-1].sequence if released else 0,
        items={item: cursor for item, cursor in cursors.items() if cursor != (0, 0)},
    )
    return Release(
        k=k,
        received=received,
        included=included,
        final=closed,
        activities=summaries(ACTIVITY),
        competencies=summaries(COMPETENCY),
        texts=ordered_texts,
        state=state,
    )


@dataclass(frozen=True)
class ShareChoice:
    """What the subject chose to show their manager; everything else stays private."""

    activities: frozenset[str] = frozenset()
    competencies: frozenset[str] = frozenset()
    text_questions: frozenset[str] = frozenset()


def shared_view(full: Release, choice: ShareChoice) -> Release:
    """The part of ``full`` the subject chose to share: never more than ``full`` itself."""
    unknown = sorted(
        {f"activity {a}" for a in choice.activities} - {f"activity {s.key}" for s in full.activities}
        | {f"competency {c}" for c in choice.competencies}
        - {f"competency {s.key}" for s in full.competencies}
    )
    if unknown and full.visible:
        raise InputError("cannot share what is not in the results: " + ", ".join(unknown))
    part = Release(
        k=full.k,
        received=full.received,
        included=full.included,
        final=full.final,
        activities=tuple(s for s in full.activities if s.key in choice.activities),
        competencies=tuple(s for s in full.competencies if s.key in choice.competencies),
        texts={q: t for q, t in full.texts.items() if q in choice.text_questions},
        state=ReleaseState(),  # a shared view is never a starting point for the next release
    )
    if not is_subset(part, full):  # the guard holds by construction; keep it checked
        raise AssertionError("shared view is not a subset of the release")
    return part


def is_subset(part: Release, whole: Release) -> bool:
    """True if ``part`` shows nothing that ``whole`` does not show in exactly the same form."""
    if (part.k, part.received, part.included, part.final) != (
        whole.k,
        whole.received,
        whole.included,
        whole.final,
    ):
        return False
    if not set(part.activities) <= set(whole.activities):
        return False
    if not set(part.competencies) <= set(whole.competencies):
        return False
    return all(
        question in whole.texts and whole.texts[question] == texts for question, texts in part.texts.items()
    )
