"""The 1:1 page's suggestion buttons: accept or dismiss the suggested career conversation (the manager or
mentor), and plan the first 1:1 in the slot the warning offers (either side). Thin: access through
`access.py`, work through `suggestions.py`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from pathcraft.errors import PathcraftError
from pathcraft.growth import access, suggestions
from pathcraft.growth import cadence as engine
from pathcraft.people.permissions import person_of


def _pair(request, rel_id: int):
    rel, role = access.get_relationship(request.user, rel_id)
    viewer = person_of(request.user)
    if viewer is None:  # get_relationship lets only the two people through; this is belt and braces
        raise PermissionDenied("1:1s are for people in the organisation.")
    return rel, role, viewer


@login_required
@require_POST
def career_conversation(request, rel_id: int):
    """POST conversation=<key>, do=accept|dismiss."""
    rel, role, viewer = _pair(request, rel_id)
    if role != access.LEAD:
        raise PermissionDenied(
            "Only the manager (or mentor) accepts or dismisses a suggested career conversation."
        )
    key, do = request.POST.get("conversation", ""), request.POST.get("do")
    try:
        if do == "accept":
            suggestions.accept_career_conversation(rel, viewer, key)
            messages.success(request, "The career conversation is on the agenda of the next 1:1.")
        elif do == "dismiss":
            suggestions.dismiss_career_conversation(rel, viewer, key)
            messages.info(
                request, "Dismissed for this 1:1; it is suggested again at the next one until it is held."
            )
        else:
            raise PathcraftError("Choose accept or dismiss.")
    except PathcraftError as exc:
        messages.error(request, str(exc))
    return redirect("growth:one-on-one", rel_id=rel.pk)


@login_required
@require_POST
def plan_first(request, rel_id: int):
    """POST slot=<ISO time offered by the page>: plan the first 1:1 there."""
    rel, _, _ = _pair(request, rel_id)
    try:
        occ = suggestions.plan_first_one_on_one(rel, request.POST.get("slot", ""))
        when = occ.start.astimezone(engine.zone(rel.timezone))
        messages.success(request, f"First 1:1 planned for {when:%A %-d %B, %H:%M} ({rel.timezone}).")
    except PathcraftError as exc:
        messages.error(request, str(exc))
    return redirect("growth:one-on-one", rel_id=rel.pk)
