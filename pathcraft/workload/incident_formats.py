"""Incident exports in the tools' own formats (PagerDuty, Opsgenie) beside the generic CSV: one model of incidents.

Pure engine, no Django. Every reader returns `incidents.Incident` rows, one per person an incident reached: when
that person was paged (the row's start, so "outside their working hours" is judged at the moment they were
interrupted), when they acknowledged (if they did), and whether an escalation reached them rather than the first
page. The load computations in incidents.py and health.py read these rows exactly as they read the generic CSV.

Neither tool documents the columns of a CSV download publicly (see workload/tests/incident_exports/README.md), so both are
read as their documented REST API v2 JSON, saved as it comes out of the API:

* PagerDuty: the body of `GET /incidents?include[]=acknowledgers&include[]=assignees` (`{"incidents": [...]}`),
  optionally with a `"log_entries"` list beside it (the entries of `GET /log_entries` or of
  `GET /incidents/{id}/log_entries`): notify, assign, escalate, acknowledge and resolve entries say who was paged,
  who acknowledged, when, and which escalations happened. Without log entries only the incident's current
  `assignments` and `acknowledgements` are known, which PagerDuty empties once an incident is resolved.
* Opsgenie: the body of `GET /v2/alerts` (`{"data": [...]}`) with optional `"recipients"` and `"logs"` objects
  keyed by alert id, each holding the `data` list of `GET /v2/alerts/{id}/recipients` and `.../logs`.

All or nothing: every problem is listed with the item's place (`incidents[3]`, `data[0].report.ackTime`) and the
field, and nothing is returned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from pathcraft.errors import InputError
from pathcraft.workload.incidents import KINDS, Incident, parse_incidents_csv, parse_time

FORMATS = ("auto", "csv", "pagerduty", "opsgenie")
LABELS = {
    "csv": "generic CSV (person_email, started_at, …)",
    "pagerduty": "PagerDuty REST API JSON (incidents, log entries)",
    "opsgenie": "Opsgenie REST API JSON (alerts, recipients, logs)",
}
PAGERDUTY_USER_TYPES = ("user", "user_reference")
ESCALATION_WORD = (
    "escalat"  # Opsgenie alert logs are free text: "Escalated to next…", "escalation … notified"
)


def read_incident_export(
    data: str | bytes,
    fmt: str = "auto",
    *,
    source: str = "incident export",
    default_kind: str = "oncall",
    assume_tz: str | None = None,
) -> tuple[str, list[Incident]]:
    """Read any supported export; `fmt` "auto" detects it. Returns (the format read, the rows)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown incident format {fmt!r}; use one of: {', '.join(FORMATS)}")
    text = _text(data, source)
    found, doc = _detect(text, source)
    if fmt != "auto" and fmt != found:
        raise InputError(_mismatch(source, fmt, found))
    if found == "csv":
        return found, parse_incidents_csv(text, source=source, default_kind=default_kind, assume_tz=assume_tz)
    if default_kind not in KINDS:
        raise InputError(f"unknown kind {default_kind!r}; use one of: {', '.join(KINDS)}")
    reader = parse_pagerduty if found == "pagerduty" else parse_opsgenie
    return found, reader(doc, source=source, kind=default_kind)


def detect_format(data: str | bytes, source: str = "incident export") -> str:
    """The name of the format: "pagerduty" or "opsgenie" for their JSON, "csv" for anything that is not JSON."""
    return _detect(_text(data, source), source)[0]


def _detect(text: str, source: str) -> tuple[str, object]:
    """The format and, for JSON, the decoded document (decoded once: exports run to megabytes)."""
    head = text.lstrip()
    if not head:
        raise InputError(f"{source} is empty: export incidents from PagerDuty or Opsgenie, or write a CSV")
    if head[0] not in "{[":
        return "csv", None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    if isinstance(doc, dict) and ("incidents" in doc or "log_entries" in doc):
        return "pagerduty", doc
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        return "opsgenie", doc
    raise InputError(
        f'{source} is JSON but neither a PagerDuty export (a top-level "incidents" list) nor an Opsgenie one '
        '(a top-level "data" list of alerts)'
    )


def _text(data: str | bytes, source: str) -> str:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{source} is not UTF-8 text; save it as UTF-8") from None
    return data.lstrip("\ufeff")


def _mismatch(source: str, asked: str, found: str) -> str:
    shapes = {
        "csv": "a CSV file",
        "pagerduty": 'a PagerDuty export (a top-level "incidents" list)',
        "opsgenie": 'an Opsgenie alert export (a top-level "data" list)',
    }
    return (
        f"{source} looks like {shapes[found]}, not {LABELS[asked]}; choose the {found} format or auto-detect"
    )


# --- the people one incident reached ---------------------------------------------------------------------------


@dataclass
class _Reached:
    label: str  # email when the export has it, else the name the tool shows
    paged_at: datetime
    acknowledged_at: datetime | None = None


class _People:
    """Who one incident reached, keyed by the tool's user id so a name and an email of one user count once."""

    def __init__(self) -> None:
        self.by_key: dict[str, _Reached] = {}

    def touch(self, key: str, label: str, at: datetime, acknowledged: bool = False) -> None:
        seen = self.by_key.get(key)
        if seen is None:
            seen = self.by_key[key] = _Reached(label, at)
        elif "@" in label and "@" not in seen.label:
            seen.label = label
        seen.paged_at = min(seen.paged_at, at)
        if acknowledged:
            seen.acknowledged_at = at if seen.acknowledged_at is None else min(seen.acknowledged_at, at)

    def rows(self, *, index: int, id: str, started: datetime, ended: datetime | None, kind: str, severity: str,
             service: str, escalated_from: datetime | None) -> list[Incident]:  # fmt: skip
        out = []
        for reached in sorted(self.by_key.values(), key=lambda r: (r.paged_at, r.label)):
            out.append(
                Incident(
                    person=reached.label,
                    started_at=max(reached.paged_at, started),
                    ended_at=ended,
                    kind=kind,
                    severity=severity,
                    line=index,
                    id=id,
                    service=service,
                    acknowledged_at=reached.acknowledged_at,
                    escalated=escalated_from is not None and reached.paged_at >= escalated_from,
                )
            )
        return out


class _Problems(list):
    def field(self, where: str, name: str, message: str) -> None:
        self.append(f"{where}: {name} {message}")


def _time(value, where: str, name: str, problems: _Problems, required: bool = True) -> datetime | None:
    if value is None or value == "":
        if required:
            problems.field(where, name, "is missing")
        return None
    if not isinstance(value, str):
        problems.field(where, name, f"is {type(value).__name__}, not an ISO 8601 date-time text")
        return None
    try:
        return parse_time(value, name)
    except InputError as exc:
        problems.append(f"{where}: {exc}")
        return None


def _list(doc: Mapping, key: str, where: str, problems: _Problems) -> list:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        problems.field(where, key, f"is {type(value).__name__}, not a list")
        return []
    return value


def _refuse(source: str, problems: list[str], unit: str) -> None:
    if problems:
        raise InputError(
            f"{source}: {len(problems)} problem(s) in the {unit}; nothing was imported", problems
        )


# --- PagerDuty --------------------------------------------------------------------------------------------------


def _pd_user(obj) -> tuple[str, str] | None:
    """(key, label) of a PagerDuty user reference or full user (include[]=assignees); None for services."""
    if not isinstance(obj, dict) or obj.get("type") not in PAGERDUTY_USER_TYPES:
        return None
    label = str(obj.get("email") or obj.get("name") or obj.get("summary") or "").strip()
    key = str(obj.get("id") or label).strip()
    return (key, label) if label else None


def parse_pagerduty(doc, *, source: str = "PagerDuty export", kind: str = "oncall") -> list[Incident]:
    """Rows from PagerDuty's REST API v2 JSON: `{"incidents": [...], "log_entries": [...]}` (log entries optional)."""
    problems = _Problems()
    if not isinstance(doc, dict) or not isinstance(doc.get("incidents"), list):
        raise InputError(
            f'{source} has no "incidents" list: save the body of PagerDuty\'s GET /incidents '
            '(with include[]=acknowledgers&include[]=assignees), optionally with a "log_entries" list beside it'
        )
    incidents = doc["incidents"]
    if not incidents:
        raise InputError(f'{source} lists no incidents ("incidents" is empty)')
    entries_of: dict[str, list[tuple[int, dict]]] = {}
    for n, entry in enumerate(_list(doc, "log_entries", "file", problems)):
        where = f"log_entries[{n}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: is {type(entry).__name__}, not a log entry object")
            continue
        incident_ref = entry.get("incident")
        if not isinstance(incident_ref, dict) or not incident_ref.get("id"):
            problems.field(where, "incident.id", "is missing")
            continue
        if not isinstance(entry.get("type"), str):
            problems.field(where, "type", "is missing")
            continue
        entries_of.setdefault(str(incident_ref["id"]), []).append((n, entry))

    rows: list[Incident] = []
    for n, incident in enumerate(incidents):
        where = f"incidents[{n}]"
        if not isinstance(incident, dict):
            problems.append(f"{where}: is {type(incident).__name__}, not an incident object")
            continue
        incident_id = str(incident.get("id") or "").strip()
        if not incident_id:
            problems.field(where, "id", "is missing")
            continue
        where = f"{where} ({incident_id})"
        started = _time(incident.get("created_at"), where, "created_at", problems)
        ended = _time(incident.get("resolved_at"), where, "resolved_at", problems, required=False)
        if started is None:
            continue
        people = _People()
        for a, assignment in enumerate(_list(incident, "assignments", where, problems)):
            user = _pd_user(assignment.get("assignee") if isinstance(assignment, dict) else None)
            at = _time(assignment.get("at"), where, f"assignments[{a}].at", problems) if user else None
            if user and at:
                people.touch(*user, at)
        for a, ack in enumerate(_list(incident, "acknowledgements", where, problems)):
            user = _pd_user(ack.get("acknowledger") if isinstance(ack, dict) else None)
            at = _time(ack.get("at"), where, f"acknowledgements[{a}].at", problems) if user else None
            if user and at:
                people.touch(*user, at, acknowledged=True)
        first_escalation: datetime | None = None
        resolved_in_log: datetime | None = None
        entries = entries_of.get(incident_id, [])
        for e, entry in entries:
            at = _time(entry.get("created_at"), f"log_entries[{e}]", "created_at", problems)
            if at is None:
                continue
            kind_of_entry = entry["type"]
            if kind_of_entry == "notify_log_entry":
                user = _pd_user(entry.get("user"))
                if user:
                    people.touch(*user, at)
            elif kind_of_entry in ("assign_log_entry", "escalate_log_entry"):
                if kind_of_entry == "escalate_log_entry":
                    first_escalation = at if first_escalation is None else min(first_escalation, at)
                for assignee in entry.get("assignees") or []:
                    user = _pd_user(assignee)
                    if user:
                        people.touch(*user, at)
            elif kind_of_entry in ("acknowledge_log_entry", "acknowledgement_log_entry"):
                # The reference's list of types says acknowledge_log_entry, its AcknowledgeLogEntry schema
                # acknowledgement_log_entry: both are read.
                user = _pd_user(entry.get("agent"))
                if user:
                    people.touch(*user, at, acknowledged=True)
            elif kind_of_entry == "resolve_log_entry":
                resolved_in_log = at if resolved_in_log is None else max(resolved_in_log, at)
        ended = ended or resolved_in_log
        if ended is not None and ended < started:
            problems.field(where, "resolved_at", "is before created_at")
            continue
        if not people.by_key:
            if not entries:
                problems.append(
                    f"{where}: names no person (PagerDuty empties assignments and acknowledgements once an "
                    'incident is resolved); add its log entries to the file as "log_entries"'
                )
            continue  # its log entries say nobody was paged: no one carried it
        service = incident.get("service") if isinstance(incident.get("service"), dict) else {}
        rows += people.rows(
            index=n,
            id=str(incident.get("incident_number") or incident_id),
            started=started,
            ended=ended,
            kind=kind,
            severity=str(incident.get("urgency") or "").lower(),
            service=str(service.get("summary") or service.get("name") or ""),
            escalated_from=first_escalation,
        )
    _refuse(source, problems, "PagerDuty export")
    return rows


# --- Opsgenie ---------------------------------------------------------------------------------------------------


def _og_millis(report: Mapping, name: str, where: str, problems: _Problems) -> timedelta | None:
    value = report.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.field(where, f"report.{name}", f"{value!r} is not a whole number of milliseconds")
        return None
    return timedelta(milliseconds=value)


def parse_opsgenie(doc, *, source: str = "Opsgenie export", kind: str = "oncall") -> list[Incident]:
    """Rows from Opsgenie's REST API v2 JSON: `{"data": [alerts], "recipients": {id: [...]}, "logs": {id: [...]}}`."""
    problems = _Problems()
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise InputError(f'{source} has no "data" list: save the body of Opsgenie\'s GET /v2/alerts')
    alerts = doc["data"]
    if not alerts:
        raise InputError(f'{source} lists no alerts ("data" is empty)')
    extras = {}
    for key in ("recipients", "logs"):
        value = doc.get(key, {})
        if not isinstance(value, dict):
            problems.field("file", key, "must map each alert id to the data list of its response")
            value = {}
        extras[key] = value

    rows: list[Incident] = []
    for n, alert in enumerate(alerts):
        where = f"data[{n}]"
        if not isinstance(alert, dict):
            problems.append(f"{where}: is {type(alert).__name__}, not an alert object")
            continue
        alert_id = str(alert.get("id") or "").strip()
        if not alert_id:
            problems.field(where, "id", "is missing")
            continue
        where = f"{where} ({alert.get('tinyId') or alert_id})"
        started = _time(alert.get("createdAt"), where, "createdAt", problems)
        report = alert.get("report") or {}
        if not isinstance(report, dict):
            problems.field(where, "report", "is not an object")
            report = {}
        ack_after = _og_millis(report, "ackTime", where, problems)
        close_after = _og_millis(report, "closeTime", where, problems)
        if started is None:
            continue
        people = _People()
        recipients = extras["recipients"].get(alert_id)
        for r, recipient in enumerate(recipients or []):
            at_where = f"recipients[{alert_id}][{r}]"
            user = recipient.get("user") if isinstance(recipient, dict) else None
            username = str((user or {}).get("username") or "").strip() if isinstance(user, dict) else ""
            if not username:
                problems.field(at_where, "user.username", "is missing")
                continue
            at = _time(recipient.get("createdAt"), at_where, "createdAt", problems)
            if at is None:
                continue
            people.touch(username.lower(), username, at)
            if str(recipient.get("method") or "").lower() == "acknowledge":
                acked = _time(recipient.get("updatedAt"), at_where, "updatedAt", problems)
                if acked:
                    people.touch(username.lower(), username, acked, acknowledged=True)
        acknowledged_by = str(report.get("acknowledgedBy") or "").strip()
        known = people.by_key.get(acknowledged_by.lower())
        # ackTime's unit is not in the specification (read as milliseconds): a recipient's own time wins.
        if acknowledged_by and ack_after is not None and (known is None or known.acknowledged_at is None):
            people.touch(acknowledged_by.lower(), acknowledged_by, started + ack_after, acknowledged=True)
        first_escalation = None
        for g, log in enumerate(extras["logs"].get(alert_id) or []):
            text = str(log.get("log") or "") if isinstance(log, dict) else ""
            if ESCALATION_WORD in text.lower():
                at = _time(log.get("createdAt"), f"logs[{alert_id}][{g}]", "createdAt", problems)
                if at is not None:
                    first_escalation = at if first_escalation is None else min(first_escalation, at)
        if not people.by_key:
            owner = str(alert.get("owner") or "").strip()
            if owner:
                people.touch(owner.lower(), owner, started)
            elif recipients is None:
                problems.append(
                    f"{where}: names no person (no report.acknowledgedBy, no owner); add the alert's "
                    'recipients to the file as "recipients"'
                )
                continue
            else:
                continue  # its recipients list is empty: nobody was notified
        rows += people.rows(
            index=n,
            id=str(alert.get("tinyId") or alert_id),
            started=started,
            ended=started + close_after if close_after is not None else None,
            kind=kind,
            severity=str(alert.get("priority") or "").lower(),
            service=str(alert.get("source") or ""),
            escalated_from=first_escalation,
        )
    _refuse(source, problems, "Opsgenie export")
    return rows
