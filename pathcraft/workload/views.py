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
from django.urls import reverse
from django.views.decorators.http import require_POST

from pathcraft.errors import InputError
from pathcraft.people.models import Organisation, Person
from pathcraft.people.permissions import can_view, is_admin, person_of, require_view, visible_people
from pathcraft.people.policy import Kind
from pathcraft.workload import actions, cbi, feeds, health, rollup
from pathcraft.workload.chart import weekly_chart_svg
from pathcraft.workload.incident_formats import FORMATS, LABELS
from pathcraft.workload.incidents import KINDS
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


def _person_page(request, person: Person, *, is_self: bool, error: str = "", status: int = 200,
                 feed_error: str = "", feed_form: dict | None = None):  # fmt: skip
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
            # Feeds are the person's secrets: listed on their own page only, never on a manager's view.
            "feeds": list(person.calendar_feeds.all()) if is_self else [],
            "feed_error": feed_error,
            "feed_form": feed_form or {},
            # Sections other apps add to the page (the reviews app: the person's review share and turnaround).
            "offered_sections": health.offered_sections(request.user, person),
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
@require_POST
def add_feed(request):
    """Connect a calendar by secret link or CalDAV, and sync it at once so the weeks show now."""
    viewer = _viewer(request)
    post = request.POST
    kind = post.get("kind", "ics")
    busy = post.get("busy_blocks_are_meetings") == "on"
    # What is sent back into the form on an error: never the link or the password.
    form = {"kind": kind, "username": post.get("username", "")[:300], "calendar_name": post.get("calendar_name", "")[:200],
            "busy": busy}  # fmt: skip
    try:
        if kind == "caldav":
            feed = feeds.add_caldav_feed(viewer, post.get("url", ""), post.get("username", ""),
                                         post.get("password", ""), calendar_name=post.get("calendar_name", ""),
                                         busy_blocks_are_meetings=busy)  # fmt: skip
        elif kind == "ics":
            feed = feeds.add_ics_feed(viewer, post.get("url", ""), busy_blocks_are_meetings=busy)
        else:
            raise InputError("choose a calendar link or CalDAV")
    except InputError as exc:
        return _person_page(request, viewer, is_self=True, feed_error=str(exc).splitlines()[0],
                            feed_form=form, status=400)  # fmt: skip
    outcome = feeds.sync_feed(feed)
    if outcome.result == "stored":
        messages.success(request, f"Calendar connected ({feed.host}) and analysed; it refreshes every "
                                  f"{feed.interval_minutes // 60 or feed.interval_minutes} "
                                  f"{'hours' if feed.interval_minutes >= 60 else 'minutes'}.")  # fmt: skip
    else:
        messages.warning(request, f"Calendar connected ({feed.host}), but the first sync failed: {outcome.reason}. "
                                  "It will be tried again.")  # fmt: skip
    return redirect("workload:index")


@login_required
@require_POST
def feed_action(request, feed_id: int):
    """Sync now, resume, remove, or change how busy blocks count, on one of the viewer's own feeds."""
    viewer = _viewer(request)
    try:
        feed = feeds.feed_of(viewer, feed_id)
    except InputError:
        raise Http404("No such calendar feed") from None
    action = request.POST.get("action", "")
    if action == "remove":
        feeds.remove_feed(feed)
        messages.success(request, "Calendar feed removed; its link and password are forgotten.")
    elif action in ("sync", "resume"):
        if feed.paused_at:
            feeds.resume_feed(feed)
        outcome = feeds.sync_feed(feed)
        if outcome.result in ("stored", "unchanged"):
            messages.success(request, "Calendar synced." if outcome.result == "stored"
                             else "Calendar synced: nothing changed since the last sync.")  # fmt: skip
        else:
            messages.warning(request, f"The sync failed: {outcome.reason}")
    elif action in ("busy_on", "busy_off"):
        feeds.set_busy_blocks_are_meetings(feed, action == "busy_on")
        feeds.sync_feed(feed)
        messages.success(request, "Busy blocks now count as meetings." if action == "busy_on"
                         else "Busy blocks without attendees now count as personal time.")  # fmt: skip
    else:
        return _person_page(request, viewer, is_self=True, feed_error="unknown action", status=400)
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
    return render(
        request,
        "workload/team.html",
        {"nav": "team-health", "t": data, "can_import_incidents": is_admin(request.user)},
    )


MAX_PROBLEMS_SHOWN = 50


@login_required
def import_incidents(request):
    """An administrator imports an incident export for an organisation: all or nothing, every problem listed."""
    if not is_admin(request.user):
        raise PermissionDenied("Only an administrator may import incidents for the organisation.")
    viewer = person_of(request.user)
    # An administrator linked to a person imports for their own organisation; one without picks among all.
    organisations = [viewer.organisation] if viewer else list(Organisation.objects.order_by("name"))
    form = {"format": "auto", "kind": "oncall", "assume_tz": "", "org": ""}
    context = {"nav": "team-health", "formats": [(f, LABELS.get(f, "detect from the file")) for f in FORMATS],
               "kinds": KINDS, "organisations": organisations, "form": form}  # fmt: skip
    if request.method != "POST":
        return render(request, "workload/import_incidents.html", context)
    form.update({k: request.POST.get(k, form[k]).strip() for k in form})
    upload = request.FILES.get("export")
    org = next((o for o in organisations if str(o.pk) == form["org"]), organisations[0] if viewer else None)
    if upload is None or org is None:
        context["error"] = "Choose the export file." if org else "Choose the organisation."
        return render(request, "workload/import_incidents.html", context, status=400)
    try:
        batch = actions.import_incidents(
            org, upload.read(), source=upload.name or "upload", by=request.user, fmt=form["format"],
            default_kind=form["kind"], assume_tz=form["assume_tz"] or None,
        )  # fmt: skip
    except InputError as exc:
        context["error"] = str(exc).splitlines()[0]
        context["problems"] = exc.problems[:MAX_PROBLEMS_SHOWN]
        context["more_problems"] = max(0, len(exc.problems) - MAX_PROBLEMS_SHOWN)
        return render(request, "workload/import_incidents.html", context, status=400)
    done = f"Imported {batch.rows} incident row(s) from {batch.source} ({batch.get_format_display()})."
    if batch.unknown_people:
        done += f" Not in the organisation, not stored: {', '.join(batch.unknown_people)}."
    messages.success(request, done)
    if viewer is not None and viewer.reports.exists():
        return redirect(f"{reverse('workload:team')}#incidents")
    return redirect("workload:import-incidents")


@login_required
def org(request):
    """Aggregates of the whole organisation, rolled up by subtree: a director or the CEO starts at themself and
    sees one row per direct report's branch, with links (`?under=`) that open a branch the same way."""
    viewer = _viewer(request)
    data = health.org_health(viewer.organisation, _today())
    people = Person.objects.filter(organisation_id=viewer.organisation_id)
    under = request.GET.get("under", "")
    if under:
        root = people.filter(pk=int(under)).first() if under.isdigit() else None
        if root is None:
            raise Http404("No such person in your organisation.")
    elif Person.objects.filter(manager__manager=viewer).exists():
        root = viewer
    else:
        tops = list(people.filter(manager__isnull=True)[:2])
        root = tops[0] if len(tops) == 1 else None
    view = rollup.rolled_up(data, root)
    chain = list(reversed(root.manager_chain())) if root else []
    return render(request, "workload/org.html", {"nav": "workload", "o": data, "r": view, "chain": chain})
