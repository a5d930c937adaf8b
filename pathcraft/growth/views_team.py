"""Pages for the records a manager keeps with their team: the spotlight and low-promotability registers (and
the rotation button), duties on the delegation board, leave, and manager changes. Thin: who may do what in
`rights.py`, the input in `forms.py`, every change through `actions.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from pathcraft.errors import PathcraftError
from pathcraft.growth import actions, forms, queries, rights
from pathcraft.growth.models import Duty, Leave, LowPromotabilityTask, ManagerChange, SpotlightEvent
from pathcraft.growth.views import _data, _viewer
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of


def _posted_person(request, name: str) -> Person | None:
    """The person a form posts by id, to check the viewer's right over them before anything else."""
    value = request.POST.get(name, "")
    return Person.objects.filter(pk=int(value)).first() if value.isdigit() else None


# --- delegation board duties ----------------------------------------------------------------------------


@login_required
def duty_edit(request, duty_id: int):
    duty = get_object_or_404(Duty.objects.select_related("manager", "owner", "deputy"), pk=duty_id)
    rights.require_duty(request.user, duty)
    form = forms.duty_form(duty.manager, request.POST if request.method == "POST" else None, duty)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_duty(duty, **form.cleaned_data)
            except PathcraftError as exc:
                error = str(exc)
            else:
                messages.success(request, f"Saved “{duty.name}”.")
                return redirect("growth:delegation")
        error, status = error or forms.one_line(form), 400
    return render(request, "growth/edit.html", {
        "nav": "growth", "title": f"Change “{duty.name}”", "form": form, "error": error,
        "delete_url": reverse("growth:duty-delete", args=[duty.pk]), "back": reverse("growth:delegation"),
        "rules": "Only you change your delegation board.", "delete_label": "Remove this duty from the board",
    }, status=status)  # fmt: skip


@login_required
@require_POST
def duty_delete(request, duty_id: int):
    duty = get_object_or_404(Duty.objects.select_related("manager"), pk=duty_id)
    rights.require_duty(request.user, duty)
    name = duty.name
    actions.delete_duty(duty)
    messages.success(request, f"Removed “{name}” from the board.")
    return redirect("growth:delegation")


# --- spotlight register -------------------------------------------------------------------------------------

SPOTLIGHT_RULES = (
    "{manager} keeps this register and may credit anyone who reports to them, each person in their own line. "
    "Each person on the team may record their own spotlight here, with themselves as the only contributor, and "
    "change or remove it while it credits only them. Crediting colleagues is {manager}'s call, so nobody hands "
    "out or claims credit for others."
)


def _register_owner(request, manager_id: int) -> tuple[Person, str]:
    manager = Person.objects.filter(pk=manager_id).first()
    if manager is None:
        raise Http404("No such team")
    return manager, rights.register_role(request.user, manager)


def _save_spotlight(request, role: str, form, lines, save, already=()) -> str:
    """Validate, check every credited person, save; the one-line error, or "" when saved."""
    valid = form.is_valid()
    lines_valid = lines.is_valid()
    if not (valid and lines_valid):
        return forms.one_line(form, lines)
    contributions = lines.contributions()
    rights.check_credit(request.user, role, [p for p, _ in contributions], already)
    try:
        save(form.cleaned_data, contributions)
    except PathcraftError as exc:
        return str(exc)
    return ""


@login_required
def spotlight_home(request):
    """The viewer's register: their own team's if they manage one, else their manager's."""
    viewer = _viewer(request)
    owner = viewer if viewer.reports.exists() else viewer.manager
    if owner is None:
        raise PermissionDenied("Spotlight registers belong to teams; you have no manager and no reports.")
    return redirect("growth:spotlight", manager_id=owner.pk)


@login_required
def spotlight(request, manager_id: int):
    manager, role = _register_owner(request, manager_id)
    form, lines = forms.spotlight_forms(manager, role, person_of(request.user), _data(request))
    error, status = "", 200
    if request.method == "POST":
        error = _save_spotlight(request, role, form, lines, lambda d, c: actions.add_spotlight(
            manager, d["kind"], d["title"], d["on"], c))  # fmt: skip
        if not error:
            messages.success(request, f"Recorded “{form.cleaned_data['title']}”.")
            return redirect("growth:spotlight", manager_id=manager.pk)
        status = 400
    return _spotlight_page(request, manager, role, form, lines, error, status)


def _spotlight_page(request, manager, role, form, lines, error, status, event=None):
    viewer = person_of(request.user)
    events = queries.spotlight_events(manager)
    if role == rights.MEMBER:
        events = events.filter(contributions__person=viewer).distinct()
    rows = []
    for e in events:
        credited = [c.person_id for c in e.contributions.all()]
        rows.append((e, role == rights.OWNER or credited == [viewer.pk]))
    return render(request, "growth/spotlight.html", {
        "nav": "growth", "manager": manager, "role": role, "form": form, "lines": lines, "error": error,
        "rows": rows, "event": event, "rules": SPOTLIGHT_RULES.format(manager=manager.name), "viewer": viewer,
    }, status=status)  # fmt: skip


@login_required
def spotlight_edit(request, event_id: int):
    event = get_object_or_404(SpotlightEvent.objects.select_related("manager"), pk=event_id)
    role = rights.spotlight_role(request.user, event, change=True)
    form, lines = forms.spotlight_forms(event.manager, role, person_of(request.user), _data(request), event)
    error, status = "", 200
    if request.method == "POST":
        credited = {c.person_id for c in event.contributions.all()}
        error = _save_spotlight(request, role, form, lines, lambda d, c: actions.update_spotlight(
            event, d["kind"], d["title"], d["on"], c), credited)  # fmt: skip
        if not error:
            messages.success(request, f"Saved “{event.title}”.")
            return redirect("growth:spotlight", manager_id=event.manager_id)
        status = 400
    return _spotlight_page(request, event.manager, role, form, lines, error, status, event)


@login_required
@require_POST
def spotlight_delete(request, event_id: int):
    event = get_object_or_404(SpotlightEvent.objects.select_related("manager"), pk=event_id)
    rights.spotlight_role(request.user, event, change=True)
    manager_id, title = event.manager_id, event.title
    actions.delete_spotlight(event)
    messages.success(request, f"Removed “{title}” from the register.")
    return redirect("growth:spotlight", manager_id=manager_id)


# --- low-promotability register and rotation -----------------------------------------------------------------

TASK_RULES = (
    "{manager} keeps this register and may record work for anyone who reports to them. Each person on the team "
    "may record their own low-promotability work here and change or remove it; recording it for a colleague "
    "is {manager}'s call. Rotation instead of asking for volunteers: the button gives the next task to whoever "
    "has the fewest hours of this work in the window (ties: longest since their last one)."
)


def _tasks_page(
    request, manager, role, form, error, status, task=None, rotation_form=None, rotation_error=""
):
    viewer = person_of(request.user)
    tasks = LowPromotabilityTask.objects.filter(manager=manager).select_related("person")
    if role == rights.MEMBER:
        tasks = tasks.filter(person=viewer)
    pick = None
    if role == rights.OWNER:
        try:
            pick = actions.rotation_pick(manager)
        except PathcraftError:
            pick = None
    return render(request, "growth/low_promotability.html", {
        "nav": "growth", "manager": manager, "role": role, "form": form, "error": error, "tasks": tasks,
        "task": task, "pick": pick, "rules": TASK_RULES.format(manager=manager.name), "viewer": viewer,
        "rotation_form": rotation_form or forms.RotationForm(initial={"on": timezone.localdate()}),
        "rotation_error": rotation_error,
    }, status=status)  # fmt: skip


def _save_task(request, role: str, form, save, already=()) -> str:
    if not form.is_valid():
        return forms.one_line(form)
    rights.check_credit(request.user, role, [form.cleaned_data["person"]], already)
    try:
        save(form.cleaned_data)
    except PathcraftError as exc:
        return str(exc)
    return ""


@login_required
def tasks(request, manager_id: int):
    manager, role = _register_owner(request, manager_id)
    data = request.POST if request.method == "POST" else None
    form = forms.task_form(manager, role, person_of(request.user), data)
    error, status = "", 200
    if request.method == "POST":
        error = _save_task(request, role, form, lambda d: actions.add_low_promotability_task(
            manager, d["kind"], d["on"], d["person"], d["how"], d["hours"]))  # fmt: skip
        if not error:
            messages.success(request, f"Recorded {forms.label(form.cleaned_data['kind'])} by "
                                      f"{form.cleaned_data['person'].name}.")  # fmt: skip
            return redirect("growth:tasks", manager_id=manager.pk)
        status = 400
    return _tasks_page(request, manager, role, form, error, status)


@login_required
@require_POST
def rotation(request, manager_id: int):
    manager, role = _register_owner(request, manager_id)
    if role != rights.OWNER:
        raise PermissionDenied(f"Only {manager.name} assigns work by rotation.")
    form = forms.RotationForm(request.POST)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            task, pick = actions.assign_by_rotation(manager, d["kind"], d["on"], d["hours"])
        except PathcraftError as exc:
            error = str(exc)
        else:
            messages.success(request, f"By rotation: {forms.label(task.kind)} on {task.on} goes to {task.person.name} "
                                      f"({pick.reason}).")  # fmt: skip
            return redirect("growth:tasks", manager_id=manager.pk)
    error = error or forms.one_line(form)
    return _tasks_page(request, manager, role, forms.task_form(manager, role, person_of(request.user)), "", 400,
                       rotation_form=form, rotation_error=error)  # fmt: skip


@login_required
def task_edit(request, task_id: int):
    task = get_object_or_404(LowPromotabilityTask.objects.select_related("manager", "person"), pk=task_id)
    role = rights.task_role(request.user, task)
    data = request.POST if request.method == "POST" else None
    form = forms.task_form(task.manager, role, person_of(request.user), data, task)
    error, status = "", 200
    if request.method == "POST":
        error = _save_task(request, role, form, lambda d: actions.update_low_promotability_task(
            task, d["kind"], d["on"], d["person"], d["how"], d["hours"]), already={task.person_id})  # fmt: skip
        if not error:
            messages.success(request, "Saved.")
            return redirect("growth:tasks", manager_id=task.manager_id)
        status = 400
    return _tasks_page(request, task.manager, role, form, error, status, task=task)


@login_required
@require_POST
def task_delete(request, task_id: int):
    task = get_object_or_404(LowPromotabilityTask.objects.select_related("manager"), pk=task_id)
    rights.task_role(request.user, task)
    manager_id = task.manager_id
    actions.delete_low_promotability_task(task)
    messages.success(request, "Removed from the register.")
    return redirect("growth:tasks", manager_id=manager_id)


# --- leave ---------------------------------------------------------------------------------------------------

LEAVE_RULES = (
    "You record your own leave; a manager records leave for the people who report to them. 1:1s that fall in "
    "a leave are skipped (not missed) and their agenda moves to the next one. For a manager's leave, name an "
    "acting lead from their team, a fellow manager or their own manager; the handover page lists who covers what."
)


@login_required
def leaves(request):
    viewer = _viewer(request)
    form = forms.leave_form(viewer, _data(request))
    error, status = "", 200
    if request.method == "POST":
        posted = _posted_person(request, "person")
        if posted is not None:
            rights.require_leave_right(request.user, posted)  # someone else's leave: 403, a stranger's: 404
        if form.is_valid():
            d = form.cleaned_data
            try:
                leave = actions.record_leave(d["person"], d["first_day"], d["last_day"], d["acting_lead"])
            except PathcraftError as exc:
                error = str(exc)
            else:
                messages.success(
                    request, f"Recorded {leave.person.name}'s leave {leave.first_day} – {leave.last_day}."
                )
                return redirect("growth:leaves")
        error, status = error or forms.one_line(form), 400
    return _leaves_page(request, viewer, form, error, status)


def _leaves_page(request, viewer, form, error, status, leave=None):
    ids = [viewer.pk, *viewer.reports.values_list("pk", flat=True)]
    rows = [(item, queries.may_open_handover(viewer, item)) for item in queries.upcoming_leaves(ids)]
    return render(request, "growth/leaves.html", {
        "nav": "growth", "viewer": viewer, "form": form, "error": error, "rows": rows, "leave": leave,
        "rules": LEAVE_RULES,
    }, status=status)  # fmt: skip


@login_required
def leave_edit(request, leave_id: int):
    viewer = _viewer(request)
    leave = get_object_or_404(Leave.objects.select_related("person", "acting_lead"), pk=leave_id)
    rights.require_leave(request.user, leave)
    form = forms.leave_form(viewer, _data(request), leave)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                actions.update_leave(leave, d["first_day"], d["last_day"], d["acting_lead"])
            except PathcraftError as exc:
                error = str(exc)
            else:
                messages.success(request, "Saved the leave.")
                return redirect("growth:leaves")
        error, status = error or forms.one_line(form), 400
    return _leaves_page(request, viewer, form, error, status, leave)


@login_required
@require_POST
def leave_delete(request, leave_id: int):
    leave = get_object_or_404(Leave.objects.select_related("person"), pk=leave_id)
    rights.require_leave(request.user, leave)
    actions.delete_leave(leave)
    messages.success(request, "Removed the leave; 1:1s in it are planned again.")
    return redirect("growth:leaves")


# --- manager change ---------------------------------------------------------------------------------------------

CHANGE_RULES = (
    "Moving someone to a new manager is recorded by an administrator, or by a manager above both the current and "
    "the new manager. The old 1:1 ends and the old manager's open action items in it are flagged; a new 1:1 starts "
    "with the same cadence. The new manager sees the shared history of the old 1:1 only after the person agrees "
    "(they are asked on their 1:1s page); private notes always stay with their author."
)


@login_required
def manager_change(request):
    report = _posted_person(request, "report") if request.method == "POST" else None
    if report is not None:  # the right over the very person posted: 404 for a stranger, 403 without the right
        rights.require_manager_change_right(request.user, report, _posted_person(request, "new_manager"))
    if not rights.may_change_managers(request.user):
        raise PermissionDenied(CHANGE_RULES.split(". ")[0] + ".")
    form = forms.change_form(request.user, _data(request))
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            rights.require_manager_change_right(request.user, d["report"], d["new_manager"])
            try:
                change = actions.change_manager(d["report"], d["new_manager"], d["on"])
            except PathcraftError as exc:
                error = str(exc)
            else:
                messages.success(request, f"{change.report.name} now reports to {change.new_manager.name}; "
                                          f"{change.report.name} decides whether the shared history follows.")  # fmt: skip
                return redirect("growth:manager-change")
        error, status = error or forms.one_line(form), 400
    recent = ManagerChange.objects.filter(report__in=form.fields["report"].queryset).select_related(
        "report", "old_manager", "new_manager"
    )
    return render(request, "growth/manager_change.html", {
        "nav": "growth", "form": form, "error": error, "rules": CHANGE_RULES, "recent": recent[:20],
    }, status=status)  # fmt: skip
