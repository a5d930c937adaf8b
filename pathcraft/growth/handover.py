"""Delegation board, readiness before a leave, and the handover page: rows -> engine -> page data."""

from __future__ import annotations

from django.utils import timezone

from pathcraft.growth import delegation, sources
from pathcraft.growth.agenda import ActionItem as PlainAction
from pathcraft.growth.defaults import delegation_data
from pathcraft.growth.models import ActionItem, Duty, Leave


def board_of(manager) -> delegation.Board:
    duties = tuple(
        delegation.Duty(d.name, d.owner.email, d.deputy.email if d.deputy_id else None, d.level, d.critical,
                        d.kind if d.kind in (delegation.DUTY, delegation.DECISION) else delegation.DUTY)
        for d in Duty.objects.filter(manager=manager).select_related("owner", "deputy")
    )  # fmt: skip
    return delegation.Board(manager.email, duties)


def board_context(manager) -> dict:
    leaves = list(
        Leave.objects.filter(person=manager, last_day__gte=timezone.localdate()).select_related(
            "person", "acting_lead"
        )
    )
    board = board_of(manager)
    files = sources.manager_only_files(manager)
    checks = [(leave, delegation.readiness(board, leave.to_engine(), files)) for leave in leaves]
    past = list(
        Leave.objects.filter(person=manager, last_day__lt=timezone.localdate()).order_by("-last_day")[:3]
    )
    after = [(leave, delegation.after_leave(board, leave.to_engine(),
                                            sources.escalations(manager, leave.first_day, leave.last_day)))
             for leave in past]  # fmt: skip
    return {
        "manager": manager, "duties": Duty.objects.filter(manager=manager).select_related("owner", "deputy"),
        "levels": delegation_data().levels, "team_decides": delegation_data().team_decides_from_level,
        "level_labels": {level.level: level.label for level in delegation_data().levels},
        "level_source": delegation_data().source, "checks": checks, "after": after, "files": files,
    }  # fmt: skip


def handover_context(leave: Leave, viewer=None) -> dict:
    """The handover page. The text of the manager's open 1:1 action items is 1:1 content: only the
    manager sees it; the acting lead and the manager's manager see how many there are."""
    manager = leave.person
    board = board_of(manager)
    acting = leave.acting_lead.email if leave.acting_lead_id else "(no acting lead named yet)"
    open_rows = list(
        ActionItem.objects.filter(owner=manager, done_on=None).select_related("relationship__report")
    )
    plain = [PlainAction(str(a.pk), a.text, a.owner.email, a.due, a.created_at) for a in open_rows]
    files = sources.manager_only_files(manager)  # reads every saved report of the organisation: once
    data = delegation.handover(board, leave.to_engine(), acting, plain if viewer == manager else [],
                               [delegation.Contact(d.name, "duty contact", d.contact)
                                for d in Duty.objects.filter(manager=manager).exclude(contact="")],
                               files)  # fmt: skip
    return {
        "leave": leave, "manager": manager, "handover": data, "open_count": len(open_rows),
        "is_manager": viewer == manager, "markdown": delegation.handover_markdown(data),
        "readiness": delegation.readiness(board, leave.to_engine(), files),
    }  # fmt: skip
