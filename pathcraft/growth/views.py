"""Pages of the growth app: the 1:1 page both sides use, a report's growth page, the manager dashboard,
the delegation board and the handover page. Thin: access through `access.py`, work through `actions.py`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathcraft.errors import PathcraftError
from pathcraft.growth import access, actions, charts, forms, queries, rights, sources
from pathcraft.growth.access import FULL_ROLES, REPORT
from pathcraft.growth.models import (
    ActionItem,
    AgendaItem,
    GrowthPlanEntry,
    Leave,
    ManagerChange,
    Note,
    Occurrence,
    Relationship,
)
from pathcraft.people.models import Person
from pathcraft.people.permissions import is_admin, person_of, require_view
from pathcraft.people.policy import Kind


def _viewer(request) -> Person:
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied(
            "1:1s are for people in the organisation; your account is not linked to a person."
        )
    return viewer


def _data(request):
    return request.POST if request.method == "POST" else None


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise PathcraftError(f"{what} must be a date like 2026-12-01") from None


@login_required
def index(request):
    viewer = person_of(request.user)
    if viewer is None:
        if is_admin(request.user):  # an administrator's account without a person: the people process only
            return render(request, "growth/index_admin.html", {"nav": "growth"})
        _viewer(request)
    rels = queries.relationships_for(request.user)
    changes = ManagerChange.objects.filter(report=viewer).select_related("new_manager", "old_manager")
    waiting = ManagerChange.objects.filter(
        new_manager=viewer, consented_at=None, declined_at=None
    ).select_related("report")
    flagged = (
        ActionItem.objects.filter(owner=viewer, done_on=None, flagged_manager_change=True)
        .values("relationship__report__name")
        .annotate(n=Count("pk"))
        .order_by("relationship__report__name")
    )
    has_reports = viewer.reports.exists()
    leaves = [(leave, queries.may_open_handover(viewer, leave))
              for leave in queries.upcoming_leaves([viewer.pk] + ([viewer.manager_id] if viewer.manager_id else []))]  # fmt: skip
    return render(request, "growth/index.html", {
        "nav": "growth", "viewer": viewer, "leading": [r for r in rels if r.manager_id == viewer.pk],
        "mine": [r for r in rels if r.report_id == viewer.pk], "changes": changes, "waiting": waiting,
        "flagged": flagged, "has_reports": has_reports, "leaves": leaves,
        "register_owner": viewer if has_reports else viewer.manager,
        "may_move": rights.may_change_managers(request.user),
    })  # fmt: skip


def _one_on_one_response(request, rel, role, template="growth/one_on_one.html"):
    context = queries.one_on_one(request.user, rel, role)
    context.update({"nav": "growth", "viewer": person_of(request.user), "scopes": _scopes(rel, request.user)})
    return render(request, template, context)


def _scopes(rel, user):
    viewer = person_of(user)
    scopes = [(Note.SHARED, f"Shared — {rel.manager.name} and {rel.report.name} both see it"),
              (Note.PRIVATE, "Private — only you see it")]  # fmt: skip
    if viewer and viewer.pk == rel.report_id and rel.kind == "manager":
        scopes.append((Note.SKIP, "Shared with your manager's manager too"))
    return scopes


@login_required
def one_on_one(request, rel_id: int):
    rel, role = access.get_relationship(request.user, rel_id, (*FULL_ROLES, access.SUCCESSOR))
    return _one_on_one_response(request, rel, role)


def _act(request, rel_id: int):
    rel, role = access.get_relationship(request.user, rel_id)
    return rel, role, _viewer(request)


def _after(request, rel, fragment: str | None = None):
    """htmx gets the refreshed section; a plain form post goes back to the page."""
    if request.htmx and fragment:
        rel, role = access.get_relationship(request.user, rel.pk)
        context = queries.one_on_one(request.user, rel, role)
        context.update({"viewer": person_of(request.user), "scopes": _scopes(rel, request.user)})
        return render(request, fragment, context)
    return redirect("growth:one-on-one", rel_id=rel.pk)


def _guard(request, rel, fn):
    try:
        fn()
    except PathcraftError as exc:
        if request.htmx:
            raise
        messages.error(request, str(exc))
    return None


@login_required
@require_POST
def agenda_add(request, rel_id: int):
    rel, _, viewer = _act(request, rel_id)
    _guard(request, rel, lambda: actions.add_agenda_item(rel, viewer, request.POST.get("text", ""),
                                                         request.POST.get("question", "")))  # fmt: skip
    return _after(request, rel, "growth/_agenda.html")


@login_required
@require_POST
def agenda_done(request, rel_id: int, item_id: int):
    rel, _, viewer = _act(request, rel_id)
    item = get_object_or_404(AgendaItem, pk=item_id, relationship=rel)
    actions.complete_agenda_item(item, viewer)
    return _after(request, rel, "growth/_agenda.html")


@login_required
@require_POST
def action_add(request, rel_id: int):
    rel, _, viewer = _act(request, rel_id)
    owner = rel.report if request.POST.get("owner") == str(rel.report_id) else rel.manager

    def add():
        due = _date(request.POST.get("due", ""), "The due date")
        actions.add_action_item(rel, viewer, owner, request.POST.get("text", ""), due)

    _guard(request, rel, add)
    return _after(request, rel)


@login_required
@require_POST
def action_done(request, rel_id: int, item_id: int):
    rel, _, _ = _act(request, rel_id)
    actions.complete_action_item(get_object_or_404(ActionItem, pk=item_id, relationship=rel))
    return _after(request, rel)


@login_required
@require_POST
def note_add(request, rel_id: int):
    rel, _, viewer = _act(request, rel_id)
    _guard(request, rel, lambda: actions.add_note(rel, viewer, request.POST.get("text", ""),
                                                  request.POST.get("scope", Note.SHARED),
                                                  request.POST.get("question", "")))  # fmt: skip
    return _after(request, rel)


@login_required
@require_POST
def discussed(request, rel_id: int):
    rel, _, viewer = _act(request, rel_id)
    _guard(request, rel, lambda: actions.mark_discussed(rel, request.POST.get("question", ""), viewer))
    return _after(request, rel)


@login_required
@require_POST
def prompt(request, rel_id: int):
    rel, _, viewer = _act(request, rel_id)
    stale, suggestion = queries.question_state(rel, timezone.localdate())
    if suggestion is None or suggestion.prompt.id != request.POST.get("prompt_id"):
        messages.info(request, "That suggestion is no longer current.")
        return redirect("growth:one-on-one", rel_id=rel.pk)
    if request.POST.get("do") == "dismiss":
        actions.dismiss_prompt(rel, suggestion.prompt.id, suggestion.question, viewer)
    else:
        actions.use_prompt(rel, suggestion.prompt.id, suggestion.question, suggestion.prompt.text, viewer)
    return _after(request, rel)


@login_required
@require_POST
def occurrence(request, rel_id: int, occ_id: int):
    rel, _, viewer = _act(request, rel_id)
    occ = get_object_or_404(Occurrence.objects.select_related("relationship"), pk=occ_id, relationship=rel)
    what = request.POST.get("do")

    def change():
        if what == "held":
            actions.hold_occurrence(occ)
        elif what == "cancel":
            actions.cancel_occurrence(occ, viewer)
        elif what == "move":
            try:
                new = dt.datetime.fromisoformat(request.POST.get("new_start", ""))
            except ValueError:
                raise PathcraftError("The new time must look like 2026-12-01T10:00") from None
            actions.move_occurrence(occ, new)
        else:
            raise PathcraftError("Choose held, cancel or move.")

    _guard(request, rel, change)
    return _after(request, rel)


@login_required
@require_POST
def check_in(request, rel_id: int):
    rel, role, viewer = _act(request, rel_id)
    if role != REPORT:
        raise PermissionDenied("Only the report records their mood.")
    raw = request.POST.get("mood", "")
    _guard(request, rel, lambda: actions.add_check_in(rel, viewer, int(raw) if raw.isdigit() else raw))
    return _after(request, rel)


@login_required
@require_POST
def consent(request, change_id: int):
    viewer = _viewer(request)
    change = get_object_or_404(ManagerChange, pk=change_id)
    if change.report_id != viewer.pk:
        raise Http404("No such request")
    actions.answer_history_consent(change, viewer, request.POST.get("agree") == "1")
    messages.success(request, "Saved.")
    return redirect("growth:index")


@login_required
def growth_page(request, person_id: int):
    """A report's growth page: the four questions, the growth plan, links to career paths."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    require_view(request.user, person, Kind.GROWTH)
    viewer = person_of(request.user)
    rel = Relationship.objects.filter(report=person, kind="manager", ended_on=None).select_related(
        "manager", "report").first()  # fmt: skip
    is_pair = viewer is not None and (viewer.pk == person.pk or (rel and viewer.pk == rel.manager_id))
    if request.method == "POST":
        if not is_pair:
            raise PermissionDenied("Only the report and their manager edit the growth plan.")
        try:
            ends = request.POST.get("ends_on")
            actions.add_plan_entry(person, viewer, request.POST.get("text", ""), request.POST.get("kind", "goal"),
                                   request.POST.get("question", ""),
                                   ends_on=_date(ends, "The decision date") if ends else None)  # fmt: skip
        except PathcraftError as exc:
            messages.error(request, str(exc))
        return redirect("growth:person", person_id=person.pk)
    questions = None
    skip_notes = []
    if rel:
        questions, _ = queries.question_state(rel, timezone.localdate())
        if not is_pair:  # the skip-level with consent sees only what the report scoped for them
            skip_notes = list(access.visible_notes(request.user, rel).order_by("-created_at"))
    return render(request, "growth/person.html", {
        "nav": "growth", "person": person, "rel": rel, "questions": questions, "is_pair": is_pair,
        "plan": person.growth_plan.all(), "kinds": GrowthPlanEntry.KINDS, "labels": queries.question_labels(),
        "career": sources.career_links(request.user, person), "skip_notes": skip_notes,
    })  # fmt: skip


@login_required
def dashboard(request):
    viewer = _viewer(request)
    if not viewer.reports.exists():
        raise PermissionDenied("The dashboard is for managers: you have no direct reports.")
    data = queries.dashboard_rows(viewer)
    board, people, rows = data["board"], data["people"], data["rows"]
    team_ids = [p.pk for p in people.values()]
    leaves = [
        (leave, queries.may_open_handover(viewer, leave)) for leave in queries.upcoming_leaves(team_ids)
    ]
    return render(request, "growth/dashboard.html", {
        "nav": "growth", "board": board, "rows": rows, "people": people, "labels": queries.question_labels(),
        "adherence_svg": charts.adherence_chart([(r["person"].name, r["d"].adherence) for r in rows]),
        "spotlight_svg": charts.share_chart(board.team.spotlight, people) if board.team else "",
        "lp_svg": charts.share_chart(board.team.low_promotability, people) if board.team else "",
        "leaves": leaves, "viewer": viewer,
    })  # fmt: skip


@login_required
def delegation(request):
    from pathcraft.growth import handover as handover_data

    viewer = _viewer(request)
    form = forms.duty_form(viewer, request.POST if request.method == "POST" else None)
    error, status = "", 200
    if request.method == "POST":
        rights.require_board_owner(request.user, viewer)
        if form.is_valid():
            try:
                duty = actions.add_duty(viewer, **form.cleaned_data)
            except PathcraftError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Added “{duty.name}” to the board.")
                return redirect("growth:delegation")
        error, status = error or forms.one_line(form), 400
    context = handover_data.board_context(viewer)
    context.update({"nav": "growth", "form": form, "error": error})
    return render(request, "growth/delegation.html", context, status=status)


@login_required
def handover(request, leave_id: int):
    from pathcraft.growth import handover as handover_data

    viewer = _viewer(request)
    leave = get_object_or_404(Leave.objects.select_related("person", "acting_lead"), pk=leave_id)
    if not queries.may_open_handover(viewer, leave):
        # The handover is for the manager, their acting lead and their own manager.
        if viewer.organisation_id != leave.person.organisation_id:
            raise Http404("No such leave")
        raise PermissionDenied("The handover page is for the manager, the acting lead and their manager.")
    context = handover_data.handover_context(leave, viewer)
    context["nav"] = "growth"
    return render(request, "growth/handover.html", context)
