"""State changes of workload: one function each, called by pages, API, CLI and the demo alike.

Every import runs the pure engine first and writes only if it succeeded, in one transaction: a broken file stores
nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import structlog
from django.db import transaction

from pathcraft.errors import InputError
from pathcraft.people.models import Organisation, Person
from pathcraft.workload import cbi
from pathcraft.workload.calendar import analyze_calendar, parse_working_hours
from pathcraft.workload.calendar_settings import load_settings
from pathcraft.workload.defaults import survey_defaults
from pathcraft.workload.incident_formats import read_incident_export
from pathcraft.workload.models import BurnoutPulse, BurnoutResponse, CalendarImport, Incident, IncidentImport
from pathcraft.workload.overlap import Person as OverlapPerson

log = structlog.get_logger(__name__)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_CALENDAR_BYTES = 50 * 1024 * 1024
MAX_INCIDENT_BYTES = 50 * 1024 * 1024


def working_hours_of(person: Person):
    """The person's working hours from the directory, as the calendar engine takes them."""
    days = ",".join(DAY_NAMES[int(d) - 1] for d in person.work_days if d.isdigit() and 1 <= int(d) <= 7)
    hours = f"{person.work_start:%H:%M}-{person.work_end:%H:%M}"
    return parse_working_hours(hours, days or "Mon-Fri")


def overlap_person(person: Person) -> OverlapPerson:
    """The person as the overlap and incident engines see them (zone, working window, days)."""
    days = frozenset(int(d) - 1 for d in person.work_days if d.isdigit() and 1 <= int(d) <= 7)
    start = person.work_start.hour * 60 + person.work_start.minute
    end = person.work_end.hour * 60 + person.work_end.minute or 1440
    return OverlapPerson(person.name, person.timezone, start, end, days or frozenset(range(5)), person.email)


def import_calendar(
    person: Person,
    data: bytes,
    *,
    by=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    me: set[str] | None = None,
    feed=None,
    busy_blocks_are_meetings: bool = False,
) -> CalendarImport:
    """Analyse one .ics export in the person's zone and working hours and keep the report, never the file."""
    if len(data) > MAX_CALENDAR_BYTES:
        raise InputError(f"the calendar file is larger than {MAX_CALENDAR_BYTES // (1024 * 1024)} MB")
    settings = load_settings().with_overrides(busy_blocks_are_meetings=busy_blocks_are_meetings or None)
    report = analyze_calendar(
        data,
        tz=person.timezone,
        me={person.email.lower(), *(m.lower() for m in (me or ()))},
        hours=working_hours_of(person),
        start=start,
        end=end,
        settings=settings,
    )
    found = report.to_dict()
    with transaction.atomic():
        row = CalendarImport.objects.create(
            person=person,
            feed=feed,
            uploaded_by=by,
            tz=found["tz"],
            working_hours=found["working_hours"],
            start=dt.date.fromisoformat(found["start"]),
            end=dt.date.fromisoformat(found["end"]),
            weeks=found["weeks"],
            summary=found["summary"],
            trends=found["trends"],
            counted=found["counted"],
            settings=found["settings"],
            async_candidates=found["async_candidates"],
            warnings=found["warnings"],
        )
    log.info("calendar_imported", person_id=person.pk, weeks=len(found["weeks"]))
    return row


def import_incidents(
    organisation: Organisation,
    data: bytes | str,
    *,
    source: str = "incidents CSV",
    by=None,
    default_kind: str = "oncall",
    assume_tz: str | None = None,
    fmt: str = "auto",
) -> IncidentImport:
    """Read an incident export (generic CSV, PagerDuty or Opsgenie JSON; `fmt` "auto" detects) and store the rows
    of people in the organisation, all or nothing.

    People the roster does not know are not stored; their names are kept on the import so the importer sees them.
    A row already stored (same person, start and id) is skipped, so importing the same export twice adds nothing.
    """
    if len(data) > MAX_INCIDENT_BYTES:
        raise InputError(f"the incident export is larger than {MAX_INCIDENT_BYTES // (1024 * 1024)} MB")
    # No export of these tools holds a NUL byte, and PostgreSQL's text columns cannot store one: refuse it here
    # with a clear line rather than fail in the database.
    nul = b"\x00" if isinstance(data, bytes) else "\x00"
    if nul in data:
        raise InputError("the incident export contains a NUL byte: not a CSV or JSON export")
    for label, value in (("file name", source), ("kind", default_kind), ("time zone", assume_tz or "")):
        if "\x00" in value:
            raise InputError(f"the {label} contains a NUL byte")
    found, incidents = read_incident_export(
        data, fmt, source=source, default_kind=default_kind, assume_tz=assume_tz
    )
    people = list(Person.objects.filter(organisation=organisation))
    index: dict[str, Person] = {}
    for p in people:
        index[p.name.strip().lower()] = p
        index[p.email.strip().lower()] = p
    unknown = sorted({i.person for i in incidents if i.person.strip().lower() not in index})
    with transaction.atomic():
        batch = IncidentImport.objects.create(
            organisation=organisation,
            imported_by=by,
            source=source[:200],
            unknown_people=unknown,
            format=found,
        )
        matched = [
            (i, index[i.person.strip().lower()]) for i in incidents if i.person.strip().lower() in index
        ]
        # One query for what is already stored and one insert, whatever the size of the export.
        starts = [i.started_at for i, _ in matched]
        seen = set(
            Incident.objects.filter(
                person__in={p.pk for _, p in matched},
                started_at__gte=min(starts),
                started_at__lte=max(starts),
            ).values_list("person_id", "started_at", "external_id", "kind")
            if matched
            else ()
        )
        new_rows = []
        for i, person in matched:
            key = (person.pk, i.started_at, i.id[:100], i.kind)
            if key in seen:
                continue
            seen.add(key)
            new_rows.append(Incident(
                batch=batch, person=person, kind=i.kind, started_at=i.started_at, ended_at=i.ended_at,
                severity=i.severity[:40], external_id=i.id[:100], service=i.service[:200],
                acknowledged_at=i.acknowledged_at, escalated=i.escalated,
            ))  # fmt: skip
        Incident.objects.bulk_create(new_rows, batch_size=1000)
        stored = len(new_rows)
        batch.rows = stored
        batch.save(update_fields=["rows"])
    log.info(
        "incidents_imported", organisation_id=organisation.pk, format=found, rows=stored, unknown=len(unknown)
    )
    return batch


def pulse_for(organisation: Organisation, day: dt.date) -> BurnoutPulse:
    """The pulse that takes answers on this day (one per period of `pulse_months`, starting on the 1st)."""
    months = survey_defaults()["pulse_months"]
    index = (day.year * 12 + day.month - 1) // months * months
    opens = dt.date(index // 12, index % 12 + 1, 1)
    after = index + months
    closes = dt.date(after // 12, after % 12 + 1, 1)
    pulse, _ = BurnoutPulse.objects.get_or_create(
        organisation=organisation, opens_on=opens, defaults={"closes_on": closes}
    )
    return pulse


def submit_burnout(person: Person, answers: Mapping[str, str | int | None], day: dt.date) -> BurnoutResponse:
    """Store a person's answers to the pulse open on `day` (answering again replaces them)."""
    scores = cbi.score_answers(answers)  # raises InputError on an unknown item or answer
    if scores["personal"].score is None and scores["work"].score is None:
        raise InputError("too few answers to score: answer at least 3 personal and 4 work-related questions")
    cleaned = {k: v for k, v in answers.items() if v not in (None, "")}
    with transaction.atomic():
        pulse = pulse_for(person.organisation, day)
        response, _ = BurnoutResponse.objects.update_or_create(
            pulse=pulse,
            person=person,
            defaults={
                "answers": cleaned,
                "personal": scores["personal"].score,
                "work": scores["work"].score,
                "client": scores["client"].score,
            },
        )
    return response
