"""Read side of workload: what a person, a manager and the organisation may see, built from stored rows.

Callers (pages, API, CLI) have already asked the permission core about the subject; the functions here decide the
*finer* lines that the policy cannot express per field: meeting titles only with Kind.CALENDAR, a person's burnout
signals only for the person themself, and every survey figure above a person only as an aggregate of at least k.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import NamedTuple

from django.apps import apps as django_apps
from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery

from pathcraft.errors import InputError
from pathcraft.people.models import Organisation, Person
from pathcraft.workload import cbi, signals
from pathcraft.workload.actions import overlap_person
from pathcraft.workload.defaults import survey_defaults
from pathcraft.workload.inequality import spread
from pathcraft.workload.manager_load import assess_span, move_to_biweekly, one_on_one_cost, suggested_biweekly
from pathcraft.workload.models import BurnoutPulse, BurnoutResponse, CalendarImport, Incident
from pathcraft.workload.overlap import best_slots, heatmap_svg, overlap_matrix, rotation

SCALES = ("personal", "work", "client")


def survey_k() -> int:
    return cbi.check_k(settings.SURVEY_MIN_ANSWERS)


def latest_import(person: Person) -> CalendarImport | None:
    return CalendarImport.objects.filter(person=person).order_by("-created_at", "-pk").first()


def latest_imports(people) -> dict[int, CalendarImport]:
    """{person id: their latest import} for a group of people (a list or a queryset), in one query."""
    newest = CalendarImport.objects.filter(person=OuterRef("person")).order_by("-created_at", "-pk")
    ids = people if isinstance(people, QuerySet) else [p.pk for p in people]
    rows = CalendarImport.objects.filter(person__in=ids, pk=Subquery(newest.values("pk")[:1]))
    return {row.person_id: row for row in rows}


def signal_weeks(imp: CalendarImport | None) -> list[dict]:
    """Weekly rows as the signals engine reads them.

    `hours` is a lower bound of time worked read off a calendar: contracted hours (minus leave) plus meetings outside
    them; work outside hours that is not a meeting is invisible to a calendar.
    """
    if imp is None:
        return []
    return [
        {
            "week": w["week"],
            "hours": round(w["working_hours"] + w["after_hours_meeting_hours"], 2),
            "meeting_hours": w["meeting_hours"],
            "focus_hours": w["focus_hours"],
            "after_hours": w["after_hours_meeting_hours"],
            "working_hours": w["working_hours"] or 40,
        }
        for w in imp.weeks
    ]


def calendar_view(imp: CalendarImport | None, show_titles: bool) -> dict | None:
    """The stored report; titles, uids and warnings only when the viewer may see Kind.CALENDAR."""
    if imp is None:
        return None
    candidates = []
    for c in imp.async_candidates:
        entry = {k: c[k] for k in ("occurrences", "hours", "participants", "recurring", "reasons")}
        if show_titles:
            entry["summary"] = c["summary"]
            entry["first_start"] = c["first_start"]
        candidates.append(entry)
    return {
        "imported_at": imp.created_at,
        "tz": imp.tz,
        "working_hours": imp.working_hours,
        "start": imp.start,
        "end": imp.end,
        "weeks": imp.weeks,
        "summary": imp.summary,
        "trends": imp.trends,
        "counted": imp.counted,
        "settings": imp.settings,
        "async_candidates": candidates,
        "titles_shown": show_titles,
        "warnings": list(imp.warnings) if show_titles else [],
    }


def incident_window(people: list[Person]) -> tuple[dt.datetime, dt.datetime] | None:
    """The window of incidents read for a group: `incident_window_weeks` ending at its latest incident."""
    latest = Incident.objects.filter(person__in=people).order_by("-started_at").first()
    if latest is None:
        return None
    end = latest.started_at + dt.timedelta(seconds=1)
    return end - dt.timedelta(weeks=survey_defaults()["incident_window_weeks"]), end


def incident_load(people: list[Person]) -> dict:
    """Counts per person (everyone listed, 0 if none), pages outside their hours, and the spread."""
    window = incident_window(people)
    counts = {p.email: 0 for p in people}
    off_hours = {p.email: 0 for p in people}
    by_kind: dict[str, dict[str, int]] = {p.email: {} for p in people}
    acknowledged = {p.email: 0 for p in people}
    escalated = {p.email: 0 for p in people}
    if window is not None:
        from pathcraft.workload.incidents import in_working_hours

        shapes = {p.pk: overlap_person(p) for p in people}
        emails = {p.pk: p.email for p in people}
        rows = Incident.objects.filter(person__in=people, started_at__gte=window[0], started_at__lt=window[1])
        for row in rows.only("person_id", "kind", "started_at", "acknowledged_at", "escalated"):
            email = emails[row.person_id]
            counts[email] += 1
            acknowledged[email] += row.acknowledged_at is not None
            escalated[email] += row.escalated
            by_kind[email][row.kind] = by_kind[email].get(row.kind, 0) + 1
            if not in_working_hours(shapes[row.person_id], row.started_at):
                off_hours[email] += 1
    return {
        "window": window,
        "counts": counts,
        "off_hours": off_hours,
        "by_kind": by_kind,
        "acknowledged": acknowledged,  # pages the person acknowledged (tool exports say; generic CSV does not)
        "escalated": escalated,  # pages that reached the person through an escalation
        "total": sum(counts.values()),
        "spread": spread(counts),
    }


def offered_signals(people: list[Person]) -> dict[int, list[signals.Signal]]:
    """Person id -> early-warning signals other apps raise from their own data (the reviews app: a share of the
    team's reviews far above fair for weeks). An app offers them as a `workload_signals(people)` callable on its
    AppConfig, so this app imports none of them (the arrow points from those apps to this one)."""
    found: dict[int, list[signals.Signal]] = {}
    for config in django_apps.get_app_configs():
        offer = getattr(config, "workload_signals", None)
        if callable(offer) and people:
            for pk, extra in offer(people).items():
                found.setdefault(pk, []).extend(extra)
    return found


def offered_sections(user, person: Person) -> list[str]:
    """Rendered sections other apps add to a person's workload page, as `workload_sections(user, person)` callables
    on their AppConfig (each checks the permission core itself); this app imports none of them."""
    found: list[str] = []
    for config in django_apps.get_app_configs():
        offer = getattr(config, "workload_sections", None)
        if callable(offer):
            found.extend(offer(user, person))
    return found


def offered_team_signals(manager: Person, reports: list[Person]) -> list[signals.Signal]:
    """Team signals other apps raise about a manager and the reports the viewer may see (the reviews app: reviews
    unevenly spread), as `workload_team_signals(manager, reports)` callables on their AppConfig."""
    found: list[signals.Signal] = []
    for config in django_apps.get_app_configs():
        offer = getattr(config, "workload_team_signals", None)
        if callable(offer):
            found.extend(offer(manager, reports))
    return found


def team_of(person: Person) -> list[Person]:
    """The group whose escalations are compared: a manager and their direct reports."""
    manager = person if person.reports.exists() else person.manager
    if manager is None:
        return [person]
    return [manager, *manager.reports.filter(is_active=True).order_by("name")]


def person_health(person: Person, *, is_self: bool, show_titles: bool) -> dict:
    """One person's load, trends and signals. Burnout signals only for the person themself."""
    imp = latest_import(person)
    weeks = signal_weeks(imp)
    team = team_of(person)
    load = incident_load(team)
    found = signals.person_signals(
        weeks,
        escalations=(person.email, load["counts"]) if len(team) > 1 else None,
        pulses=own_pulses(person) if is_self else (),
    )
    found.extend(offered_signals([person]).get(person.pk, []))
    return {
        "person": person,
        "calendar": calendar_view(imp, show_titles),
        "signals": [asdict(s) for s in found],
        "escalations": {
            "count": load["counts"].get(person.email, 0),
            "team_total": load["total"],
            "off_hours": load["off_hours"].get(person.email, 0),
            "acknowledged": load["acknowledged"].get(person.email, 0),
            "escalated_to": load["escalated"].get(person.email, 0),
            "window": load["window"],
        },
    }


# --- burnout ------------------------------------------------------------------------------------------------


def own_pulses(person: Person) -> list[tuple[dt.date, dict[str, float | None]]]:
    rows = BurnoutResponse.objects.filter(person=person).select_related("pulse").order_by("pulse__opens_on")
    return [(r.pulse.opens_on, r.scores()) for r in rows]


def own_scores(person: Person) -> dict:
    """A person's own scores per pulse, bands, and the trend of each scale (Kind.BURNOUT: self only)."""
    inv = cbi.inventory()
    pulses = own_pulses(person)
    rows = []
    for when, scores in pulses:
        rows.append(
            {
                "pulse": when,
                "scores": {
                    key: {
                        "score": None if scores[key] is None else round(scores[key], 1),
                        "band": (cbi.band_of(scores[key]).label if scores[key] is not None else None),
                    }
                    for key in SCALES
                },
            }
        )
    trends = {}
    for key in SCALES:
        t = cbi.trend(pulses, key)
        trends[key] = {"direction": t.direction, "change": t.change, "latest": t.latest}
    return {
        "pulses": rows,
        "trends": trends,
        "scales": {k: s.label for k, s in inv.scales.items()},
        "caveat": " ".join(inv.band_caveat.split()),
        "band_source": " ".join(inv.band_source.split()),
    }


def closed_pulses(organisation: Organisation, today: dt.date) -> list[BurnoutPulse]:
    return list(
        BurnoutPulse.objects.filter(organisation=organisation, closes_on__lte=today).order_by("opens_on")
    )


def group_aggregates(pulse: BurnoutPulse, people: list[Person], k: int, answers=None) -> dict:
    """Each scale's aggregate over the group's answers to one closed pulse; nothing below k.

    ANSWERS: the pulse's responses already read ({person id: response}), so many groups cost one query."""
    if answers is None:
        rows = list(BurnoutResponse.objects.filter(pulse=pulse, person__in=people))
    else:
        rows = [answers[p.pk] for p in people if p.pk in answers]
    labels = {key: s.label for key, s in cbi.inventory().scales.items()}
    return [
        {
            "scale": key,
            "label": labels[key],
            **asdict(cbi.aggregate_scores([getattr(r, key) for r in rows], k)),
        }
        for key in SCALES
    ]


def team_burnout(manager: Person, today: dt.date) -> dict:
    """The team's survey results: the latest closed pulse as an aggregate of >= k, and team signals."""
    k = survey_k()
    reports = list(manager.reports.filter(is_active=True))
    pulses = closed_pulses(manager.organisation, today)
    if not pulses:
        return {"k": k, "pulse": None, "scales": [], "signals": []}
    team_pulses = []
    answered = BurnoutResponse.objects.filter(pulse__in=pulses[-2:], person__in=reports)
    by_pulse: dict[int, list[BurnoutResponse]] = {}
    for row in answered:  # both pulses in one query
        by_pulse.setdefault(row.pulse_id, []).append(row)
    for pulse in pulses[-2:]:
        rows = by_pulse.get(pulse.pk, [])
        team_pulses.append(
            signals.TeamPulse(pulse.opens_on, [r.scores() for r in rows], {r.person_id for r in rows})
        )
    latest = pulses[-1]
    hidden = _team_hidden_by_org_view(manager, reports, latest, k)
    if hidden:
        return {"k": k, "pulse": latest, "scales": [], "signals": [], "hidden": hidden}
    return {
        "k": k,
        "pulse": latest,
        "hidden": "",
        "scales": group_aggregates(latest, reports, k, {r.person_id: r for r in by_pulse.get(latest.pk, [])}),
        "signals": [asdict(s) for s in signals.team_signals(pulses=team_pulses, k=k)],
    }


def _team_hidden_by_org_view(manager: Person, reports: list[Person], pulse: BurnoutPulse, k: int) -> str:
    """Why the team aggregate must stay hidden, or "" — checked together with what the organisation page shows.

    The manager also sees the organisation total and its team rows; their team aggregate beside those must not let
    a group under k be worked out by difference. The manager's own answers are no secret to them, so they are left
    out of every group before the check.
    """
    respondents, shown_teams, ok, _ = org_survey_groups(manager.organisation, pulse, k)
    mine = {r.pk for r in reports} & respondents
    groups = {"your direct reports": mine - {manager.pk}}
    if ok:
        groups.update({f"team {slug}": ids - {manager.pk} for slug, ids in shown_teams.items()})
    try:
        cbi.check_groups(groups, k, respondents - {manager.pk})
    except cbi.AnonymityError as exc:
        return str(exc)
    return ""


# --- the manager's page -------------------------------------------------------------------------------------


def manager_load(manager: Person) -> dict:
    """Span of control, the week the 1:1s take, and what moving some to biweekly frees."""
    count = manager.reports.filter(is_active=True).count()
    manages_managers = Person.objects.filter(manager__manager=manager).exists()
    cost = one_on_one_cost(count) if count else None
    move = suggested_biweekly(count)
    change = move_to_biweekly(count, move) if move else None
    return {
        "reports": count,
        "span": assess_span(count, manages_managers),
        "cost": cost,
        "suggest_biweekly": move,
        "change": change,
        "signals": [asdict(s) for s in signals.manager_signals(count, manages_managers)] if count else [],
    }


def team_overlap(people: list[Person], week: dt.date) -> dict:
    shapes = [overlap_person(p) for p in people]
    # Names can repeat across a team; the engine keys by email, which is unique.
    matrix = overlap_matrix(shapes, week)
    slots = best_slots(shapes, week, 60)
    needs_rotation = bool(slots) and not slots[0].inside_everyones_hours
    names = {p.email: p.name for p in people}
    return {
        "week": matrix.week_start,
        "svg": heatmap_svg(matrix),
        "cannot_collaborate_live": [(names[p.a], names[p.b]) for p in matrix.cannot_collaborate_live],
        "slots": [
            {
                "start_utc": s.start,
                "inside_everyones_hours": s.inside_everyones_hours,
                "burden": {names[k]: v for k, v in s.burden.items() if v},
                "local": {names[k]: v for k, v in (s.local_starts or {}).items()},
            }
            for s in slots[:3]
        ],
        "rotation": (
            [
                {"start_utc": s.start, "burden": {names[k]: v for k, v in s.burden.items() if v}}
                for s in rotation(shapes, week, 60).slots
            ]
            if needs_rotation
            else None
        ),
    }


def team_health(manager: Person, today: dt.date, *, visible_ids: set[int] | None = None) -> dict:
    """Everything on the manager's "Team health" page. Reports' entries are Kind.WORKLOAD figures only.

    `visible_ids`: the people whose Kind.WORKLOAD the viewer may see (from `visible_people`); others are left out.
    """
    reports = list(manager.reports.filter(is_active=True).order_by("name"))
    if visible_ids is not None:
        reports = [r for r in reports if r.pk in visible_ids]
    if not reports:
        raise InputError(f"{manager.name} has no direct reports: there is no team to show")
    team = [manager, *reports]
    load = incident_load(team)
    counts = load["counts"]
    offered = offered_signals(reports)
    rows = []
    imports = latest_imports(reports)
    for report in reports:
        imp = imports.get(report.pk)
        weeks = signal_weeks(imp)
        found = signals.person_signals(weeks, escalations=(report.email, counts))
        found.extend(offered.get(report.pk, []))
        recent = imp.weeks[-4:] if imp else []
        rows.append(
            {
                "person": report,
                "has_calendar": imp is not None,
                "recent": _averages(recent),
                "escalations": counts[report.email],
                "off_hours": load["off_hours"][report.email],
                "acknowledged": load["acknowledged"][report.email],
                "escalated_to": load["escalated"][report.email],
                "signals": [asdict(s) for s in found],
            }
        )
    own = person_health(manager, is_self=True, show_titles=True)
    own_imp = latest_import(manager)
    return {
        "manager": manager,
        "load": manager_load(manager),
        "own": own,
        "own_recent": _averages(own_imp.weeks[-4:] if own_imp else []),
        "own_share": (counts[manager.email] / load["total"]) if load["total"] else None,
        "own_signals": manager_load(manager)["signals"] + own["signals"],
        "reports": rows,
        "incidents": load,
        "team_signals": [
            asdict(s)
            for s in signals.team_signals(
                {r["person"].name: signal_weeks(imports.get(r["person"].pk)) for r in rows},
                _by_name(team, counts),
            )
        ]
        + [asdict(s) for s in offered_team_signals(manager, reports)],
        "burnout": team_burnout(manager, today),
        "overlap": team_overlap(team, today),
    }


def _by_name(people: list[Person], counts: dict[str, int]) -> dict[str, int]:
    """Counts keyed by name for display; by email when two people share a name."""
    names = [p.name for p in people]
    return {(p.name if names.count(p.name) == 1 else p.email): counts[p.email] for p in people}


def _averages(weeks: list[dict]) -> dict | None:
    if not weeks:
        return None
    keys = ("meeting_hours", "focus_hours", "after_hours_meeting_hours", "one_on_one_hours", "meeting_count")
    out = {k: round(sum(w[k] for w in weeks) / len(weeks), 1) for k in keys}
    out["weeks"] = len(weeks)
    out["from"], out["to"] = weeks[0]["week"], weeks[-1]["week"]
    return out


# --- the organisation ---------------------------------------------------------------------------------------


class _Member(NamedTuple):
    pk: int
    team_id: int | None


def org_health(organisation: Organisation, today: dt.date) -> dict:
    """Aggregates only: per team, figures of at least k people; survey results of at least k answers.

    A team breakdown is shown only when `cbi.check_groups` accepts the teams together with the organisation total
    (no team, and no remainder such as "people in no team", smaller than k).
    """
    k = survey_k()
    teams = list(organisation.teams.order_by("name"))
    # Ids only: at 50,000 people, full Person objects would be most of the page's time, and only ids are used.
    everyone = [
        _Member(pk, team_id)
        for pk, team_id in Person.objects.filter(organisation=organisation, is_active=True).values_list(
            "pk", "team_id"
        )
    ]
    members: dict[str, list[Person]] = {t.slug: [] for t in teams}
    slugs = {t.pk: t.slug for t in teams}
    for person in everyone:  # one query for every team's members, not one per team
        if person.team_id in slugs:
            members[slugs[person.team_id]].append(person)
    imports = latest_imports(Person.objects.filter(organisation=organisation).values("pk"))
    with_calendar = set(imports)
    # Workload: each team with at least k people's calendars, no organisation total, so no remainder to isolate.
    load_rows = []
    for t in teams:
        recent = [_averages(imports[p.pk].weeks[-4:]) for p in members[t.slug] if p.pk in with_calendar]
        recent = [r for r in recent if r]
        shown = len(recent) >= k
        load_rows.append(
            {
                "team": t,
                "shown": shown,
                "meeting_hours": _mean(r["meeting_hours"] for r in recent) if shown else None,
                "focus_hours": _mean(r["focus_hours"] for r in recent) if shown else None,
                "after_hours": _mean(r["after_hours_meeting_hours"] for r in recent) if shown else None,
            }
        )
    shown_groups = {
        r["team"].name: {p.pk for p in members[r["team"].slug] if p.pk in with_calendar}
        for r in load_rows
        if r["shown"]
    }
    if shown_groups:
        cbi.check_groups(shown_groups, k)  # disjoint teams of k or more: a guard that documents the rule
    managers = Person.objects.filter(organisation=organisation).annotate(n=Count("reports")).filter(n__gt=0)
    spans = [{"manager": m, "reports": m.n, "span": assess_span(m.n)} for m in managers.order_by("name")]
    pulses = closed_pulses(organisation, today)
    survey = None
    if pulses:
        latest = pulses[-1]
        respondents, shown_teams, ok, reason = org_survey_groups(organisation, latest, k)
        answers = {r.person_id: r for r in BurnoutResponse.objects.filter(pulse=latest)}
        survey = {
            "pulse": latest,
            "overall": group_aggregates(latest, everyone, k, answers),
            "by_team": (
                [
                    {"team": t, "scales": group_aggregates(latest, members[t.slug], k, answers)}
                    for t in teams
                    if t.slug in shown_teams
                ]
                if ok
                else None
            ),
            "by_team_reason": reason,
        }
    return {
        "k": k,
        "load": load_rows,
        "spans": spans,
        "survey": survey,
        "labels": {key: s.label for key, s in cbi.inventory().scales.items()},
    }


def org_survey_groups(organisation: Organisation, pulse: BurnoutPulse, k: int, viewer: Person | None = None):
    """The groups the organisation page shows for a pulse: respondents, teams of >= k answers, and the verdict.

    Teams are shown beside the organisation total, so the remainder (respondents in no shown team) is a cell too.
    """
    respondents: set[int] = set()
    by_team: dict[str, set[int]] = {}
    answered = BurnoutResponse.objects.filter(pulse=pulse).values_list("person_id", "person__team__slug")
    for pk, slug in answered:  # one query for every respondent and their team, not one per team
        respondents.add(pk)
        if slug is not None:
            by_team.setdefault(slug, set()).add(pk)
    shown = {slug: ids for slug, ids in sorted(by_team.items()) if len(ids) >= k}
    ok, reason = _groups_ok(shown, k, respondents)
    if not shown:
        ok, reason = False, f"no team has {k} or more answers"
    return respondents, shown, ok, reason


def _groups_ok(groups: dict[str, set], k: int, population: set) -> tuple[bool, str]:
    if not population:
        return False, "no answers yet"
    try:
        cbi.check_groups(groups, k, population)
    except cbi.AnonymityError as exc:
        return False, f"team figures are hidden: {exc}"
    return True, ""


def _mean(values) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 1) if values else None
