"""Workload pages: my workload (calendar upload), the burnout survey, the manager's team health, the organisation.

Thin: each subject goes through the permission core; health.py draws the finer lines (titles, burnout, k).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathcraft.errors import InputError
from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view, person_of, require_view, visible_people
from pathcraft.people.policy import Kind
from pathcraft.workload import actions, cbi, health
from pathcraft.workload.chart import weekly_chart_svg
from pathcraft.workload.models import BurnoutResponse


def _viewer(request) -> Person:
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied(
            "This page is for people in the organisation; your account is not linked to a person."
        )
    return viewer


def _today() -> dt.date:
    return dt.date.today()


def _person_page(request, person: Person, *, is_self: bool, error: str = "", status: int = 200):
    data = health.person_health(
        person, is_self=is_self, show_titles=is_self or can_view(request.user, person, Kind.CALENDAR)
    )
    calendar = data["calendar"]
    return render(
        request,
        "workload/person.html",
        {
            "nav": "workload",
            "h": data,
            "is_self": is_self,
            "chart": weekly_chart_svg(calendar["weeks"]) if calendar else "",
            "error": error,
            "is_manager": is_self and person.reports.exists(),
        },
        status=status,
    )


@login_required
def index(request):
    viewer = _viewer(request)
    return _person_page(request, viewer, is_self=True)


@login_required
@require_POST
def upload_calendar(request):
    viewer = _viewer(request)
    upload = request.FILES.get("calendar")
    if upload is None:
        return _person_page(request, viewer, is_self=True, error="Choose an .ics file to upload.", status=400)
    try:
        actions.import_calendar(viewer, upload.read(), by=request.user)
    except InputError as exc:
        message = str(exc).splitlines()[0]
        return _person_page(request, viewer, is_self=True, error=message, status=400)
    messages.success(request, "Calendar analysed. Only the weekly figures were kept, not the file.")
    return redirect("workload:index")


@login_required
def person_workload(request, person_id: int):
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    require_view(request.user, person, Kind.WORKLOAD)
    if person_of(request.user) == person:
        return redirect("workload:index")
    return _person_page(request, person, is_self=False)


@login_required
def survey(request):
    viewer = _viewer(request)
    inv = cbi.inventory()
    error = ""
    if request.method == "POST":
        answers = {item.id: request.POST.get(item.id) or None for item in inv.items}
        try:
            actions.submit_burnout(viewer, answers, _today())
        except InputError as exc:
            error = str(exc).splitlines()[0]
        else:
            messages.success(
                request, "Thank you. Your scores are below; your manager only sees team averages."
            )
            return redirect("workload:burnout")
    pulse = actions.pulse_for(viewer.organisation, _today())
    previous = BurnoutResponse.objects.filter(pulse=pulse, person=viewer).first()
    given = previous.answers if previous else {}
    if request.method == "POST":
        given = {k: v for k, v in request.POST.items() if k in {i.id for i in inv.items}}
    scales = [
        {
            "scale": scale,
            "items": [
                {"item": item, "options": inv.response_sets[item.response_set], "given": given.get(item.id)}
                for item in scale.items
            ],
        }
        for scale in inv.scales.values()
    ]
    return render(
        request,
        "workload/survey.html",
        {"nav": "workload", "scales": scales, "pulse": pulse, "error": error, "answered": previous is not None, "k": health.survey_k(),
         "source": " ".join(inv.source.split())},
        status=400 if error else 200,
    )  # fmt: skip


@login_required
def burnout(request):
    viewer = _viewer(request)
    require_view(request.user, viewer, Kind.BURNOUT)
    return render(request, "workload/burnout.html", {"nav": "workload", "s": health.own_scores(viewer)})


@login_required
def team(request):
    viewer = _viewer(request)
    if not viewer.reports.exists():
        return render(request, "workload/team_none.html", {"nav": "team-health"})
    visible = set(visible_people(request.user, Kind.WORKLOAD).values_list("pk", flat=True))
    data = health.team_health(viewer, _today(), visible_ids=visible)
    return render(request, "workload/team.html", {"nav": "team-health", "t": data})


@login_required
def org(request):
    viewer = _viewer(request)
    data = health.org_health(viewer.organisation, _today())
    return render(request, "workload/org.html", {"nav": "workload", "o": data})
