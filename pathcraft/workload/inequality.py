"""How evenly a load (pages, escalations, support tickets) is spread: the Gini coefficient and friends.

Pure engine. Thresholds (minimum events, the 0.40 alert line and its caveat) come from data/manager_load.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pathcraft.errors import InputError
from pathcraft.workload.manager_load import data


def gini(values: Sequence[float]) -> float:
    """Gini coefficient G = sum|xi - xj| / (2 n^2 mean): 0 when all carry the same, towards 1 when one carries all."""
    xs = _check(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    # Sorted form of the same sum, O(n log n): sum over i of (2i - n - 1) * x_i, with i from 1.
    xs = sorted(xs)
    weighted = sum((2 * i - n - 1) * x for i, x in enumerate(xs, start=1))
    return weighted / (n * total)


def normalised_gini(values: Sequence[float]) -> float:
    """G* = G * n / (n - 1): reaches 1 when one person carries everything, whatever the team size."""
    n = len(values)
    if n < 2:
        raise InputError("the normalised Gini coefficient needs at least two people")
    return gini(values) * n / (n - 1)


def _check(values: Sequence[float]) -> list[float]:
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int | float) or math.isnan(v) or v < 0:
            raise InputError(f"loads must be numbers of 0 or more, not {v!r}")
        out.append(float(v))
    return out


@dataclass(frozen=True)
class Spread:
    people: int
    events: float
    enough_data: bool
    reason: str  # why there is no figure, or the caveat that goes with it
    gini: float | None = None
    normalised_gini: float | None = None
    top: str | None = None
    top_share: float | None = None
    top_over_fair: float | None = None  # the busiest person's load over an equal share
    above_alert_line: bool | None = None
    alert_line: float | None = None


def spread(
    loads: Mapping[str, float], min_events: int | None = None, min_people: int | None = None
) -> Spread:
    """Spread of a load over people: everyone must be listed, with 0 for those who carried none."""
    cfg = data()["incident_fairness"]
    min_events = int(cfg["min_events"]["value"]) if min_events is None else min_events
    min_people = int(cfg["min_people"]["value"]) if min_people is None else min_people
    values = _check(list(loads.values()))
    total, n = sum(values), len(values)
    if n < min_people:
        return Spread(n, total, False, f"not enough data: {n} people (at least {min_people} needed)")
    if total < min_events:
        return Spread(n, total, False, f"not enough data: {total:g} events (at least {min_events} needed)")
    g = gini(values)
    g_star = g * n / (n - 1)
    top, top_load = max(loads.items(), key=lambda kv: (kv[1], kv[0]))
    line = float(cfg["gini_alert"]["value"])
    return Spread(
        people=n,
        events=total,
        enough_data=True,
        reason=f"alert line {line:.2f} comes from income inequality; it is not validated for teams",
        gini=round(g, 3),
        normalised_gini=round(g_star, 3),
        top=top,
        top_share=round(top_load / total, 3),
        top_over_fair=round(top_load / (total / n), 2),
        above_alert_line=g_star >= line,
        alert_line=line,
    )
