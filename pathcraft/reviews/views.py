"""Review load pages: a team's load, a person's review share and turnaround, and the profile-week suggestion.
Thin over presenters; every subject goes through the permission core there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pathcraft.errors import InputError
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of
from pathcraft.reviews import presenters, suggestions


@login_required
def index(request):
    teams = presenters.teams_of_viewer(request.user)
    viewer = person_of(request.user)
    if viewer is not None and viewer.team_id and len(teams) == 1:
        return redirect("reviews:team", team=teams[0].slug)
    return render(request, "reviews/index.html", {"nav": "reviews", "teams": teams, "viewer": viewer})


@login_required
def team(request, team: str):
    found = presenters.team_for(request.user, team)
    data = presenters.team_view(request.user, found)
    return render(request, "reviews/team.html", {"nav": "reviews", "t": data})


def _subject(person_id: int) -> Person:
    subject = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if subject is None:
        raise Http404("No such person")
    return subject


@login_required
def person(request, person_id: int):
    subject = _subject(person_id)
    data = presenters.person_view(request.user, subject)
    suggestion = suggestions.week_suggestion(subject, data["estimate"]) if data["is_self"] else None
    context = {"nav": "reviews", "p": data, "suggestion": suggestion, "person_id": subject.pk,
               "minutes_source": data["minutes_source"]}  # fmt: skip
    return render(request, "reviews/person.html", context)


@login_required
@require_POST
def week(request, person_id: int):
    """Accept or dismiss the profile-week suggestion: the person only (it changes their own profile). Back to NEXT
    when it is a page of this site (the career page offers the same suggestion), else to the reviews page."""
    subject = _subject(person_id)
    presenters.person_view(request.user, subject)  # 404 for strangers, 403 for peers
    if person_of(request.user) != subject:
        raise PermissionDenied("Only the person themself can change their profile week.")
    try:
        hours = float(request.POST.get("hours", ""))
        suggestions.decide(subject, hours, accept=request.POST.get("decision") == "accept")
    except (ValueError, InputError) as exc:
        messages.error(
            request, str(exc).splitlines()[0] if isinstance(exc, InputError) else "hours must be a number"
        )
        return _back(request, subject)
    if request.POST.get("decision") == "accept":
        messages.success(request, f"Your profile week now shows {hours:g} h of code review.")
    else:
        messages.info(request, "Suggestion dismissed; it comes back only if your review load changes.")
    return _back(request, subject)


def _back(request, subject: Person):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):  # fmt: skip
        return redirect(target)
    return redirect("reviews:person", person_id=subject.pk)
