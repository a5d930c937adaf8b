"""Calibration: a person's self-rating per activity against their peers' released ratings.

Method (docs/feedback.md): for each activity, a two-sided Student t interval for the peers'
mean, ``mean +/- t(conf, n-1) * s / sqrt(n)``, with the spread ``s`` never below the rounding
spread of a whole-number scale. The self-rating is a single fixed number, so the gap
``peer mean - self`` is called a difference only when the self-rating lies outside that
interval *and* the gap is at least ``min_gap``; with fewer than ``firm_ratings`` ratings it is
still called tentative. Input is the *release* (aggregates that already passed the anonymity
rule), never raw answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pathcraft.errors import InputError
from pathcraft.feedback.anonymity import RatingSummary, Release
from pathcraft.feedback.defaults import load_defaults

Kind = Literal["hidden_strength", "blind_spot", "aligned", "unclear", "too_few_ratings", "no_self_rating"]
Certainty = Literal["tentative", "consistent"]

# Display order: what the person most needs to see first.
KIND_ORDER: dict[str, int] = {
    "hidden_strength": 0,
    "blind_spot": 1,
    "unclear": 2,
    "aligned": 3,
    "no_self_rating": 4,
    "too_few_ratings": 5,
}


@dataclass(frozen=True)
class PeerRatings:
    """Peers' ratings of one activity as released: mean, sample standard deviation, count."""

    mean: float
    spread: float
    n: int


@dataclass(frozen=True)
class CalibrationItem:
    activity: str
    label: str
    kind: Kind
    sentence: str
    self_rating: float | None = None
    peer_mean: float | None = None
    peer_spread: float | None = None
    n: int | None = None
    gap: float | None = None  # peer mean - self-rating: > 0 peers rate higher
    half_width: float | None = None  # of the interval for the peers' mean
    interval: tuple[float, float] | None = None  # clipped to the scale
    certainty: Certainty | None = None  # only for hidden strengths and blind spots


@dataclass(frozen=True)
class Calibration:
    items: tuple[CalibrationItem, ...]
    summary: tuple[str, ...]
    confidence: float

    def of_kind(self, kind: Kind) -> tuple[CalibrationItem, ...]:
        return tuple(item for item in self.items if item.kind == kind)


def _two_sided_probability(t: float, df: int) -> float:
    """P(|T| < t) for Student's t with integer df (Abramowitz & Stegun 26.7.3 and 26.7.4)."""
    theta = math.atan(t / math.sqrt(df))
    cos2 = math.cos(theta) ** 2
    if df == 1:
        return 2 * theta / math.pi
    if df % 2:  # odd: (2/pi) [theta + sin cos (1 + 2/3 cos^2 + 2*4/(3*5) cos^4 + ...)]
        term, total = 1.0, 1.0
        for j in range(1, (df - 3) // 2 + 1):
            term *= (2 * j) / (2 * j + 1) * cos2
            total += term
        return 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    term, total = 1.0, 1.0  # even: sin (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ...)
    for j in range(1, (df - 2) // 2 + 1):
        term *= (2 * j - 1) / (2 * j) * cos2
        total += term
    return math.sin(theta) * total


def t_critical(confidence: float, df: int) -> float:
    """The t value whose two-sided interval holds ``confidence`` of Student's t with df."""
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be between 0 and 1, got {confidence}")
    if not isinstance(df, int) or df < 1:
        raise InputError(f"degrees of freedom must be a whole number of at least 1, got {df!r}")
    low, high = 0.0, 1.0
    while _two_sided_probability(high, df) < confidence:
        high *= 2
    for _ in range(100):  # bisection: the probability rises monotonically with t
        mid = (low + high) / 2
        if _two_sided_probability(mid, df) < confidence:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def half_width(
    spread: float, n: int, confidence: float | None = None, min_spread: float | None = None
) -> float:
    """Half-width of the t interval for a mean of n ratings with sample spread ``spread``."""
    defaults = load_defaults()
    confidence = defaults.confidence if confidence is None else confidence
    min_spread = defaults.min_spread if min_spread is None else min_spread
    if n < 2:
        raise InputError(f"an interval needs at least 2 ratings, got {n}")
    return t_critical(confidence, n - 1) * max(spread, min_spread) / math.sqrt(n)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _sentence(
    kind: Kind, label: str, s: float | None, peers: PeerRatings | None, certainty: Certainty | None
) -> str:
    if kind == "too_few_ratings":
        return f"Too few colleagues rated your {label} to show their view."
    assert peers is not None
    mean, n = f"{peers.mean:.1f}", peers.n
    if kind == "no_self_rating":
        return f"You have not rated your {label} yourself; {n} colleagues gave it a mean of {mean}."
    assert s is not None
    if kind == "aligned":
        return f"Your rating of your {label} ({_number(s)}) is close to your colleagues' (mean {mean}, {n} ratings)."
    if kind == "unclear":
        return (
            f"Your colleagues' ratings of your {label} (mean {mean}, {n} ratings) differ from yours "
            f"({_number(s)}), but they vary too much to say whether they really see it differently."
        )
    direction = "higher" if kind == "hidden_strength" else "lower"
    caveat = (
        f"with only {n} ratings this is a tentative sign"
        if certainty == "tentative"
        else f"the {n} ratings agree well enough that this is a fairly consistent sign"
    )
    return f"{n} colleagues rated your {label} {direction} than you did (mean {mean} vs your {_number(s)}); {caveat}."


def _peers_from(
    peers: Release | Mapping[str, PeerRatings | RatingSummary | None],
) -> dict[str, PeerRatings | None]:
    source = {s.key: s for s in peers.activities} if isinstance(peers, Release) else dict(peers)
    result: dict[str, PeerRatings | None] = {}
    for key, value in source.items():
        if isinstance(value, RatingSummary):
            shown = (
                value.shown and value.mean is not None and value.spread is not None and value.n is not None
            )
            result[key] = PeerRatings(value.mean, value.spread, value.n) if shown else None
        else:
            result[key] = value
    return result


def calibrate(
    self_ratings: Mapping[str, float | int | None],
    peers: Release | Mapping[str, PeerRatings | RatingSummary | None],
    *,
    labels: Mapping[str, str] | None = None,
    min_ratings: int | None = None,
) -> Calibration:
    """Compare self-ratings (e.g. the profile's skill per activity, 1-5) with peers' ratings.

    ``peers`` is a Release (its activities are used) or a mapping of activity to PeerRatings;
    ``labels`` maps activity ids to words for the sentences; an activity with fewer than
    ``min_ratings`` peer ratings (default: the release's k, else the configured k) is
    "too few ratings".
    """
    defaults = load_defaults()
    labels = labels or {}
    if min_ratings is None:
        min_ratings = peers.k if isinstance(peers, Release) else defaults.k
    low, high = defaults.scale_min, defaults.scale_max
    problems = [
        f"self-rating for {key!r} is {value!r}; use a number from {low} to {high} or leave it empty"
        for key, value in self_ratings.items()
        if value is not None
        and (isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high)
    ]
    if problems:
        raise InputError("self-ratings cannot be used", problems)

    items = []
    for activity, peer in _peers_from(peers).items():
        label = labels.get(activity, activity.replace("_", " "))
        own = self_ratings.get(activity)
        s = None if own is None else float(own)
        if peer is None or peer.n < min_ratings:
            items.append(
                CalibrationItem(
                    activity, label, "too_few_ratings", _sentence("too_few_ratings", label, s, None, None), s
                )
            )
            continue
        width = half_width(peer.spread, peer.n)
        interval = (max(low, peer.mean - width), min(high, peer.mean + width))
        common = dict(
            peer_mean=peer.mean, peer_spread=peer.spread, n=peer.n, half_width=width, interval=interval
        )
        if s is None:
            sentence = _sentence("no_self_rating", label, None, peer, None)
            items.append(CalibrationItem(activity, label, "no_self_rating", sentence, None, **common))
            continue
        gap = peer.mean - s
        certainty: Certainty | None = None
        if abs(gap) < defaults.min_gap:
            kind: Kind = "aligned"
        elif abs(gap) <= width:
            kind = "unclear"
        else:
            kind = "hidden_strength" if gap > 0 else "blind_spot"
            certainty = "tentative" if peer.n < defaults.firm_ratings else "consistent"
        sentence = _sentence(kind, label, s, peer, certainty)
        items.append(
            CalibrationItem(activity, label, kind, sentence, s, gap=gap, certainty=certainty, **common)
        )

    items.sort(key=lambda item: (KIND_ORDER[item.kind], -abs(item.gap or 0), item.label))
    return Calibration(
        tuple(items), _summary(items, defaults.confidence, defaults.min_gap), defaults.confidence
    )


def _summary(items: list[CalibrationItem], confidence: float, min_gap: float) -> tuple[str, ...]:
    lines = []
    strengths = [i.label for i in items if i.kind == "hidden_strength"]
    spots = [i.label for i in items if i.kind == "blind_spot"]
    if strengths:
        lines.append(
            "Possible hidden strengths (colleagues rate you higher than you do): "
            + ", ".join(strengths)
            + "."
        )
    if spots:
        lines.append(
            "Possible blind spots (you rate yourself higher than colleagues do): " + ", ".join(spots) + "."
        )
    compared = [i for i in items if i.kind in ("hidden_strength", "blind_spot", "aligned", "unclear")]
    if compared and not strengths and not spots:
        lines.append("No clear differences between your ratings and your colleagues'.")
    if not compared:
        lines.append(
            "Nothing to compare yet: no activity has both your rating and enough colleagues' ratings."
        )
    if any(i.certainty == "tentative" for i in items):
        lines.append(
            "With so few ratings, treat these as questions to explore in a conversation, not as conclusions."
        )
    if compared:
        lines.append(
            f"A difference is named only when your rating lies outside a {round(confidence * 100)}% interval "
            f"for your colleagues' mean and the gap is at least {_number(min_gap)} points."
        )
    return tuple(lines)
