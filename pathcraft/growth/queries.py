"""Read side: rows -> engine inputs -> what a page, the API or the CLI shows. Callers pass the viewer's
role (from `access.py`); nothing here widens it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from pathcraft.growth import actions
from pathcraft.growth import agenda as agenda_engine
from pathcraft.growth import cadence as engine
from pathcraft.growth.access import can_see_mood, visible_notes
from pathcraft.growth.dashboard import CheckIn as PlainCheckIn
from pathcraft.growth.dashboard import ManagerDashboard, ReportInputs, manager_dashboard, report_dashboard
from pathcraft.growth.defaults import BankPrompt, question_data
from pathcraft.growth.fairness import Contribution
from pathcraft.growth.fairness import LowPromotabilityTask as PlainTask
from pathcraft.growth.fairness import SpotlightEvent as PlainSpotlight
from pathcraft.growth.models import (
    ActionItem,
    AgendaItem,
    Leave,
    LowPromotabilityTask,
    Occurrence,
    Relationship,
    SpotlightContribution,
    SpotlightEvent,
    UserPrompt,
)
from pathcraft.growth.questions import Discussion as PlainDiscussion
from pathcraft.growth.questions import PromptEvent as PlainPromptEvent
from pathcraft.growth.questions import question_bank, staleness, suggest_for_next_agenda
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of, visible_people
from pathcraft.people.policy import Kind


def question_labels() -> dict[str, str]:
    return {q.key: q.label for q in question_data().questions}


def user_prompts(org_id: int) -> list[BankPrompt]:
    return [
        BankPrompt(p.prompt_id, p.question, p.text, "added by a colleague in your organisation")
        for p in UserPrompt.objects.filter(organisation_id=org_id).order_by("pk")
    ]


INPUT_PREFETCH = (
    Prefetch("occurrences", queryset=Occurrence.objects.select_related("cancelled_by")),
    Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("author")),
    Prefetch("action_items", queryset=ActionItem.objects.select_related("owner")),
    "discussions",
    "prompt_events",
    "check_ins",
)


def report_inputs(rel: Relationship, include_mood: bool) -> ReportInputs:
    """Everything the dashboard engine reads about one relationship. Note text is never passed.

    Reads the rows prefetched by INPUT_PREFETCH (the dashboard prefetches all reports at once)."""
    if "agenda_items" not in getattr(rel, "_prefetched_objects_cache", {}):
        prefetch_related_objects([rel], *INPUT_PREFETCH)
    agenda = [
        agenda_engine.AgendaItem(
            str(i.pk),
            i.text or "-",
            i.author.email if i.author_id else "",
            i.added_at,
            None,
            i.done,
            i.carried,
            i.question or None,
        )  # fmt: skip
        for i in rel.agenda_items.all()
    ]
    action_items = [
        agenda_engine.ActionItem(
            str(a.pk), a.text or "-", a.owner.email, a.due, a.created_at, None, a.done_on, a.carried
        )  # fmt: skip
        for a in rel.action_items.all()
    ]
    discussions = [PlainDiscussion(d.question, d.on, True, d.kind) for d in rel.discussions.all()]
    history = [PlainPromptEvent(p.prompt_id, p.question, p.on, p.action) for p in rel.prompt_events.all()]
    check_ins = [PlainCheckIn(c.on, c.mood) for c in rel.check_ins.all()] if include_mood else []
    return ReportInputs(
        relationship=rel.to_engine(), occurrences=actions.engine_occurrences(rel), agenda_items=agenda,
        action_items=action_items, discussions=discussions, check_ins=check_ins, prompt_history=history,
        career_conversations_done=actions.career_conversations_done(rel),
    )  # fmt: skip


def question_state(rel: Relationship, today: dt.date):
    """Staleness of the four questions and the one suggested prompt (or None)."""
    discussions = [PlainDiscussion(d.question, d.on, True, d.kind) for d in rel.discussions.all()]
    since = min(rel.started_on, today)
    stale = staleness(discussions, today, since)
    history = [PlainPromptEvent(p.prompt_id, p.question, p.on, p.action) for p in rel.prompt_events.all()]
    bank = question_bank(user_prompts(rel.report.organisation_id))
    return stale, suggest_for_next_agenda(stale, bank, history, today)


def one_on_one(user, rel: Relationship, role: str, now: dt.datetime | None = None) -> dict:
    """The 1:1 page's data for this viewer."""
    now = now or timezone.now()
    actions.settle(rel, now)
    today = now.astimezone(engine.zone(rel.timezone)).date()
    nxt = actions.next_occurrence(rel, now)
    agenda = list(rel.agenda_items.filter(done=False).select_related("author", "occurrence"))
    on_next = [i for i in agenda if nxt and i.occurrence_id == nxt.pk]
    stale, suggestion = question_state(rel, today)
    if suggestion and any(i.prompt_id == suggestion.prompt.id and not i.done for i in agenda):
        suggestion = None  # already on the agenda
    following = list(rel.occurrences.filter(start__gt=nxt.start).order_by("start")[:4]) if nxt else []
    past = list(rel.occurrences.filter(start__lt=now).select_related("cancelled_by").order_by("-start")[:6])
    mood = can_see_mood(user, rel, role)
    return {
        "rel": rel, "role": role, "next": nxt, "following": following, "past": past,
        "agenda": on_next, "waiting": [i for i in agenda if i not in on_next],
        "actions": list(rel.action_items.filter(done_on=None).select_related("owner", "occurrence")),
        "done_actions": list(rel.action_items.exclude(done_on=None).select_related("owner").order_by("-done_on")[:5]),
        "notes": list(visible_notes(user, rel, role).order_by("-created_at", "-pk")),
        "questions": stale, "suggestion": suggestion, "labels": question_labels(),
        "check_ins": list(rel.check_ins.order_by("-on")[:6]) if mood else None, "today": today,
        "leaves": [(leave, may_open_handover(person_of(user), leave))
                   for leave in upcoming_leaves([rel.manager_id, rel.report_id], today)],
    }  # fmt: skip


def spotlight_events(manager: Person):
    return SpotlightEvent.objects.filter(manager=manager).prefetch_related(
        Prefetch(
            "contributions", queryset=SpotlightContribution.objects.select_related("person").order_by("pk")
        )
    )


def team_registers(manager: Person) -> tuple[list[PlainSpotlight], list[PlainTask]]:
    spotlights = [
        PlainSpotlight(e.kind, e.title, e.on, tuple(Contribution(c.person.email, c.what) for c in e.contributions.all()))
        for e in spotlight_events(manager)
    ]  # fmt: skip
    tasks = [
        PlainTask(t.kind, t.on, t.person.email, t.how, float(t.hours))
        for t in LowPromotabilityTask.objects.filter(manager=manager).select_related("person")
    ]
    return spotlights, tasks


def active_reports(manager: Person) -> list[Relationship]:
    return list(
        Relationship.objects.filter(
            manager=manager, kind=Relationship.MANAGER, ended_on=None, report__manager=manager
        )
        .select_related("manager", "report")
        .order_by("report__name")
    )


def dashboard(manager: Person, now: dt.datetime | None = None) -> tuple[ManagerDashboard, dict[str, Person]]:
    """The manager's own dashboard. Mood is included: the manager is the pair's other half (Kind.MOOD)."""
    now = now or timezone.now()
    rels = active_reports(manager)
    actions.settle_many(rels, now)
    prefetch_related_objects(rels, *INPUT_PREFETCH)
    spotlights, tasks = team_registers(manager)
    inputs = [report_inputs(rel, include_mood=True) for rel in rels]
    board = manager_dashboard(
        manager.email, inputs, now, spotlights, tasks, user_prompts(manager.organisation_id)
    )
    people = {rel.report.email: rel.report for rel in rels}
    people[manager.email] = manager
    return board, people


def dashboard_rows(manager: Person, now: dt.datetime | None = None) -> dict:
    """The dashboard page's data: the engine's figures plus the rows to link them to (no query per report)."""
    board, people = dashboard(manager, now)
    rels = {rel.report.email: rel for rel in active_reports(manager)}
    rows = []
    for report in board.reports:
        overdue = {people[o].name if o in people else o: r for o, r in report.overdue_action_items.items()}
        rows.append(
            {"person": people[report.report], "rel": rels.get(report.report), "d": report, "overdue": overdue}
        )
    return {"board": board, "people": people, "rows": rows}


def relationships_for(user) -> list[Relationship]:
    """Relationships the viewer takes part in now (as report or lead): those where `access.role_in` is one of
    `access.FULL_ROLES`, in a fixed number of queries. A manager's 1:1 is theirs while the permission
    core lets them see the report's growth data; `visible_people` gives that for all reports at once."""
    viewer = person_of(user)
    if viewer is None:
        return []
    rels = list(
        Relationship.objects.filter(Q(report=viewer) | Q(manager=viewer)).select_related("manager", "report")
    )
    needs_core = [
        r for r in rels if r.manager_id == viewer.pk and r.kind == Relationship.MANAGER and r.is_active
    ]
    visible = set(visible_people(user, Kind.GROWTH).values_list("pk", flat=True)) if needs_core else set()
    found = []
    for rel in rels:
        if rel.report.organisation_id != viewer.organisation_id:
            continue
        if rel.report_id == viewer.pk:
            found.append(rel)
        elif rel.manager_id == viewer.pk and rel.is_active:
            if rel.kind == Relationship.MENTOR or rel.report_id in visible:
                found.append(rel)
    return found


def upcoming_leaves(people_ids, today: dt.date | None = None):
    """Leaves of these people that have not ended yet, soonest first; `is_manager` says whether the person
    on leave has reports (only a manager's leave has a handover)."""
    today = today or timezone.localdate()
    return (
        Leave.objects.filter(person_id__in=list(people_ids), last_day__gte=today)
        .annotate(is_manager=Exists(Person.objects.filter(manager_id=OuterRef("person_id"))))
        .select_related("person", "acting_lead")
        .order_by("first_day", "person__name")
    )


def may_open_handover(viewer: Person | None, leave: Leave) -> bool:
    """The handover page is for the manager on leave, the acting lead and the manager's own manager."""
    if viewer is None or not getattr(leave, "is_manager", True):
        return False
    return viewer.pk in (leave.person_id, leave.acting_lead_id) or leave.person.manager_id == viewer.pk


def report_figures(rel: Relationship, now: dt.datetime, include_mood: bool):
    return report_dashboard(report_inputs(rel, include_mood), now, user_prompts(rel.report.organisation_id))
