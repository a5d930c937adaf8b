"""Importing a 1:1 series from an .ics (the workload calendar engine expands recurrences): our own export
read back gives the same meetings, minus the cancelled one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pathcraft.errors import InputError
from pathcraft.growth import actions
from pathcraft.growth import cadence as engine
from pathcraft.growth.ics_export import to_ics
from pathcraft.growth.models import Occurrence

pytestmark = pytest.mark.django_db


def test_import_reads_back_our_own_export(org):
    rel = org["rel"]
    now = timezone.now()
    past = list(rel.occurrences.filter(start__lt=now).order_by("start"))
    assert len(past) >= 6
    for occ in past:
        occ.status = engine.HELD
        occ.save(update_fields=["status"])
    actions.cancel_occurrence(actions.next_occurrence(rel), org["lead"])
    data = to_ics([(rel.to_engine(), actions.engine_occurrences(rel))])
    expected = {o.start for o in rel.occurrences.exclude(status=engine.CANCELLED)}
    cancelled = set(rel.occurrences.filter(status=engine.CANCELLED).values_list("start", flat=True))
    Occurrence.objects.filter(relationship=rel).delete()

    made = actions.import_from_calendar(rel, data, now=now)
    imported = {o.start: o for o in rel.occurrences.all()}
    assert made == len(imported) and set(imported) <= expected and not (set(imported) & cancelled)
    assert {o.status for s, o in imported.items() if s < now} == {engine.HELD}
    assert all(o.status == engine.PLANNED for s, o in imported.items() if s > now)
    assert {o.source for o in imported.values()} == {"calendar"}
    assert actions.import_from_calendar(rel, data, now=now) == 0  # known slots are left alone


def test_a_broken_file_is_refused_with_the_calendar_engines_message(org):
    with pytest.raises(InputError, match="iCalendar"):
        actions.import_from_calendar(org["rel"], b"hello", now=timezone.now() + dt.timedelta(days=1))
