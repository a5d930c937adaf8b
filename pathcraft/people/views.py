"""Pages about people, teams and the org chart. Thin: every object goes through the permission core."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from pathcraft.errors import PathcraftError
from pathcraft.people import actions
from pathcraft.people.models import Invitation, Person, Team
from pathcraft.people.permissions import (
    can_view,
    person_of,
    require_view,
    set_share,
    shared_with,
    visible_people,
)
from pathcraft.people.policy import SHAREABLE, Kind


def _person_or_404(user, person_id: int, kind: Kind) -> Person:
    person = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    return require_view(user, person, kind)


def _viewer_or_403(request) -> Person:
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied(
            "This page is for people in the organisation; your account is not linked to a person."
        )
    return viewer


@login_required
def home(request):
    viewer = person_of(request.user)
    if viewer is None:
        return render(request, "people/home_unlinked.html", {"nav": "home"})
    reports = list(viewer.reports.select_related("team").order_by("name"))
    return render(
        request,
        "people/home.html",
        {"nav": "home", "person": viewer, "reports": reports, "chain": viewer.manager_chain(),
         "all_below": len(viewer.all_reports())},
    )  # fmt: skip


@login_required
def person_detail(request, person_id: int):
    person = _person_or_404(request.user, person_id, Kind.DIRECTORY)
    reports = list(person.reports.select_related("team").order_by("name"))
    visible_kinds = [k for k in Kind if k is not Kind.DIRECTORY and can_view(request.user, person, k)]
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "reports": reports, "chain": person.manager_chain(), "visible_kinds": visible_kinds,
         "is_self": person_of(request.user) == person},
    )  # fmt: skip


@login_required
def person_privacy(request, person_id: int):
    """What this person shares, and with whom; only they (and an admin, read-only) may open it."""
    person = _person_or_404(request.user, person_id, Kind.ACCOUNT)
    rows = [
        {"kind": kind, "relation": relation, "on": relation in shared_with(person, kind)}
        for kind, relations in SHAREABLE.items()
        for relation in relations
    ]
    return render(
        request, "people/privacy.html",
        {"person": person, "rows": rows, "can_edit": person_of(request.user) == person},
    )  # fmt: skip


@login_required
@require_POST
def toggle_share(request, person_id: int):
    person = _person_or_404(request.user, person_id, Kind.ACCOUNT)
    if person_of(request.user) != person:
        raise PermissionDenied("Only the person themself can change what they share.")
    kind, relation = request.POST.get("kind", ""), request.POST.get("relation", "")
    on = request.POST.get("on") == "1"
    try:
        set_share(person, kind, relation, on)
    except ValueError as exc:
        raise PermissionDenied(str(exc)) from exc
    row = {"kind": Kind(kind), "relation": relation, "on": on}
    if request.htmx:
        return render(request, "people/_share_row.html", {"row": row, "person": person, "can_edit": True})
    messages.success(request, "Saved.")
    return redirect("person-privacy", person_id=person.pk)


TEAMS_PER_PAGE = 50  # a screenful; an organisation of 5,000 has about 500 teams


@login_required
def team_list(request):
    viewer = _viewer_or_403(request)
    query = request.GET.get("q", "").strip()[:100]
    teams = (
        Team.objects.filter(organisation_id=viewer.organisation_id)
        .select_related("lead")
        .annotate(people=Count("members"))  # one query for every team's size, not one per team
        .order_by("name", "pk")
    )
    if query:
        teams = teams.filter(name__icontains=query)
    page = Paginator(teams, TEAMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "people/team_list.html", {"nav": "teams", "teams": page, "page": page, "query": query}
    )


@login_required
def team_detail(request, slug: str):
    viewer = _viewer_or_403(request)
    team = get_object_or_404(
        Team.objects.select_related("lead"), organisation_id=viewer.organisation_id, slug=slug
    )
    members = visible_people(request.user, Kind.DIRECTORY).filter(team=team).select_related("manager")
    return render(request, "people/team_detail.html", {"nav": "teams", "team": team, "members": members})


@login_required
def org_chart(request):
    viewer = _viewer_or_403(request)
    root_id = request.GET.get("root")
    if root_id:
        root = _person_or_404(request.user, int(root_id) if root_id.isdigit() else 0, Kind.DIRECTORY)
    else:
        root = viewer if viewer.reports.exists() else (viewer.manager_chain() or [viewer])[-1]
    top = Person.objects.filter(organisation_id=viewer.organisation_id, manager__isnull=True).order_by("name")
    query = request.GET.get("q", "").strip()[:100]
    found = None
    if query:  # at 5,000 people nobody scrolls to a name: the chart opens at whoever the search finds
        matches = visible_people(request.user, Kind.DIRECTORY).filter(name__icontains=query)
        found = list(matches.select_related("team", "manager").order_by("name", "pk")[: SEARCH_RESULTS + 1])
    return render(
        request, "people/org_chart.html",
        {"nav": "org", "root": root, "children": _children(request.user, root), "top": top,
         "chain": list(reversed(root.manager_chain())), "query": query,
         "found": found[:SEARCH_RESULTS] if found is not None else None,
         "more": found is not None and len(found) > SEARCH_RESULTS},
    )  # fmt: skip


SEARCH_RESULTS = 20  # a screenful of names; a longer list means the search should be narrower


@login_required
def org_children(request, person_id: int):
    """The htmx fragment that opens one level of the chart."""
    person = _person_or_404(request.user, person_id, Kind.DIRECTORY)
    return render(request, "people/_org_children.html", {"children": _children(request.user, person)})


def _children(user, person: Person):
    visible = visible_people(user, Kind.DIRECTORY)
    children = visible.filter(manager=person).select_related("team").annotate(n_reports=Count("reports"))
    return [{"person": child, "report_count": child.n_reports} for child in children.order_by("name")]


class AcceptInvitationForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, min_length=8, label="Choose a password")
    confirm = forms.CharField(widget=forms.PasswordInput, label="Repeat it")

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("confirm"):
            raise ValidationError("The two passwords differ.")
        if data.get("password"):
            validate_password(data["password"])
        return data


def accept_invitation(request, token: str):
    invitation = Invitation.objects.select_related("person").filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        return render(request, "people/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.accept_invitation(token, form.cleaned_data["password"])
        except PathcraftError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="pathcraft.sso.backends.PasswordBackend")
            messages.success(request, f"Welcome, {invitation.person.name}.")
            return redirect("home")
    return render(request, "people/invitation_accept.html", {"form": form, "invitation": invitation})
