"""Organisation roll-up: counts only, and only over at least MIN_MANAGERS managers, so no figure points
at one manager's 1:1s (let alone one report's)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pathcraft.growth import cadence as engine
from pathcraft.growth.models import Occurrence, Relationship

MIN_MANAGERS = 5  # the privacy rule of issue 8: organisation roll-ups are counts over at least 5 managers


def org_rollup(organisation_id: int, now: dt.datetime | None = None, weeks: int = 8) -> dict:
    now = now or timezone.now()
    rels = Relationship.objects.filter(report__organisation_id=organisation_id, ended_on=None)
    managers = rels.values("manager_id").distinct().count()
    if managers < MIN_MANAGERS:
        return {"enough_managers": False, "managers": None, "min_managers": MIN_MANAGERS,
                "note": f"fewer than {MIN_MANAGERS} managers run 1:1s here; nothing is shown"}  # fmt: skip
    window = Occurrence.objects.filter(
        relationship__in=rels, start__lte=now, start__gt=now - dt.timedelta(weeks=weeks)
    )
    expected = window.filter(status__in=(engine.PLANNED, engine.HELD, engine.CANCELLED)).count()
    return {
        "enough_managers": True, "managers": managers, "min_managers": MIN_MANAGERS,
        "relationships": rels.count(), "weeks": weeks, "expected": expected,
        "held": window.filter(status=engine.HELD).count(), "cancelled": window.filter(status=engine.CANCELLED).count(),
    }  # fmt: skip
