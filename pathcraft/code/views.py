"""Pages of the code app: repositories (register, analyse with live progress, delete), the team's knowledge map,
recency and leave simulations, git identities and the alias table, and a person's "what I know". Thin over
presenters/actions; every object goes through presenters' permission helpers and the permission core."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathcraft.code import actions, remotes
from pathcraft.code.jobs import effective_status
from pathcraft.code.matching import alias_table, identities_view
from pathcraft.code.person import person_knowledge
from pathcraft.code.presenters import (
    can_manage,
    knowledge_view,
    leave_view,
    manageable_teams,
    person_in,
    recency_view,
    repositories_for,
    repository_for,
    require_manage,
    status_view,
    summary,
    team_for,
)
from pathcraft.errors import InputError, PathcraftError
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of, require_view
from pathcraft.people.policy import Kind


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else "that did not work"


@login_required
def index(request):
    viewer = person_of(request.user)
    repositories = list(repositories_for(request.user).defer("state"))
    for repo in repositories:
        repo.summary = summary(repo)
        # Shown, never saved: a row whose job died reads "interrupted" here as on its own page.
        repo.status = effective_status(repo)
    if viewer is not None and viewer.team_id:
        repositories.sort(key=lambda r: (r.team_id != viewer.team_id, r.team.name, r.name))
    return render(
        request,
        "code/index.html",
        {"nav": "code", "repositories": repositories, "can_register": bool(manageable_teams(request.user))},
    )


# Registering and deleting ---------------------------------------------------------------------------------------


@login_required
def register(request):
    teams = manageable_teams(request.user)
    if not teams:
        raise PermissionDenied("Only a team's lead or an administrator can register repositories.")
    form = {"team": "", "name": "", "path": "", "remote": "", "ref": "", "include": "", "exclude": "",
            "analyse": True}  # fmt: skip
    error, status = "", 200
    if request.method == "POST":
        form = {key: request.POST.get(key, "").strip() for key in form}
        form["analyse"] = bool(request.POST.get("analyse"))
        secret = request.POST.get("secret", "")  # never sent back into the form
        try:
            team = team_for(request.user, form["team"]) if form["team"] else None
            if team is None:
                raise InputError("choose a team")
            require_manage(request.user, team)
            if form["remote"] and form["path"]:
                raise InputError("give a path on the server or a remote URL, not both")
            if form["remote"]:
                repository = remotes.register_remote_repository(
                    team, form["name"], form["remote"], form["ref"], secret, form["include"], form["exclude"],
                    by=request.user,
                )  # fmt: skip
                messages.info(
                    request, f"{repository.name} registered; the worker clones and analyses it shortly."
                )
                return redirect("code:repository", repository_id=repository.pk)
            repository = actions.register_repository(
                team,
                form["name"],
                form["path"],
                form["ref"],
                form["include"],
                form["exclude"],
                by=request.user,
            )
        except Http404:
            error, status = "choose one of your teams", 400
        except PathcraftError as exc:
            error, status = _first_line(exc), 400
        else:
            for note in repository.notes:
                messages.warning(request, note)
            if form["analyse"]:
                actions.enqueue_analysis(repository)
                messages.info(request, f"{repository.name} registered; its analysis is queued.")
            else:
                messages.info(
                    request, f"{repository.name} registered. Start its analysis when you are ready."
                )
            return redirect("code:repository", repository_id=repository.pk)
    elif len(teams) == 1:
        form["team"] = str(teams[0].pk)
    return render(
        request,
        "code/register.html",
        {"nav": "code", "teams": teams, "form": form, "error": error},
        status=status,
    )


@login_required
def delete(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    if request.method == "POST":
        name = repo.name
        actions.unregister_repository(repo)
        messages.info(request, f"{name} is no longer analysed here (nothing on disk was touched).")
        return redirect("code:index")
    return render(request, "code/delete.html", {"nav": "code", "repository": repo})


# The repository page, its live status and its what-ifs --------------------------------------------------------


@login_required
def repository(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    return render(request, "code/repository.html", {"nav": "code", "k": knowledge_view(request.user, repo)})


@login_required
def status(request, repository_id: int):
    """The analysis state as a small fragment; it polls itself while queued or running (htmx, every 2 s)."""
    repo = repository_for(request.user, repository_id)
    context = {
        "repository": repo,
        "status": status_view(repo),
        "can_manage": can_manage(request.user, repo.team),
    }
    response = render(request, "code/_status.html", context)
    if request.htmx and request.GET.get("polling") and repo.status == repo.Status.DONE:
        response["HX-Refresh"] = "true"  # the analysis finished while the page was open: show the new figures
    return response


@login_required
@require_POST
def analyse(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    full = bool(request.POST.get("full"))
    was_queued = effective_status(repo) == repo.Status.QUEUED
    repo = actions.enqueue_analysis(repo, full=full)
    if request.htmx:
        context = {"repository": repo, "status": status_view(repo), "can_manage": True}
        response = render(request, "code/_status.html", context)
        if repo.status == repo.Status.DONE:  # finished at once (a synchronous task backend): show the figures
            response["HX-Refresh"] = "true"
        return response
    if was_queued:
        messages.info(request, f"An analysis of {repo.name} is already queued.")
    else:
        messages.info(request, f"Analysis of {repo.name} queued; the background worker picks it up shortly.")
    return redirect("code:repository", repository_id=repo.pk)


@login_required
@require_POST
def leave(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    context = {"nav": "code", "repository": repo}
    try:
        ids = [int(v) for v in request.POST.getlist("person")]
        context["leave"] = leave_view(request.user, repo, ids)
    except ValueError:
        context["error"] = "choose people from the list"
    except PathcraftError as exc:
        context["error"] = _first_line(exc)
    if request.htmx:
        return render(request, "code/_leave.html", context)
    return render(request, "code/leave.html", context)


@login_required
def recency(request, repository_id: int):
    """People idle for more than N days treated as gone, and time decay, next to the published figure."""
    repo = repository_for(request.user, repository_id)
    context = {"nav": "code", "repository": repo}
    try:
        context["r"] = recency_view(
            request.user, repo, request.GET.get("idle_days"), request.GET.get("reference") or "today"
        )
    except PathcraftError as exc:
        context["error"] = _first_line(exc)
    status = 400 if "error" in context else 200
    if request.htmx:
        return render(request, "code/_recency.html", context, status=200)
    return render(request, "code/recency.html", context, status=status)


# Git identities and the alias table ------------------------------------------------------------------------------


def _identities_page(request, repo, error: str = "", status: int = 200):
    org_id = repo.team.organisation_id
    people = list(Person.objects.filter(organisation_id=org_id).select_related("team").order_by("name"))
    team_people = [p for p in people if p.team_id == repo.team_id]
    context = {
        "nav": "code",
        "repository": repo,
        "ids": identities_view(repo),
        "aliases": alias_table(org_id),
        "team_people": team_people,
        "other_people": [p for p in people if p.team_id != repo.team_id],
        "error": error,
    }
    return render(request, "code/identities.html", context, status=status)


@login_required
def identities(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    return _identities_page(request, repo)


def _after_change(request, warnings: list[str], done: str) -> None:
    messages.success(request, done)
    for warning in warnings:
        messages.warning(request, warning)


@login_required
@require_POST
def identity_decide(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    decision = request.POST.get("decision", "")
    key = request.POST.get("developer", "")
    try:
        person = None
        if decision == actions.ASSIGN:
            person = person_in(repo.team.organisation_id, request.POST.get("person"))
        warnings = actions.decide_identity(repo, key, decision, person, by=request.user)
    except PathcraftError as exc:
        return _identities_page(request, repo, error=_first_line(exc), status=400)
    done = {actions.CONFIRM: "Match confirmed", actions.REJECT: "Match rejected: counted as a former contributor",
            actions.ASSIGN: f"Identity assigned to {person.name if person else ''}"}[decision]  # fmt: skip
    _after_change(request, warnings, done + "; the knowledge map is updated.")
    return redirect("code:identities", repository_id=repo.pk)


@login_required
@require_POST
def alias_add(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    try:
        person = person_in(repo.team.organisation_id, request.POST.get("person"))
        warnings = actions.add_alias(person, request.POST.get("handle", ""), by=request.user, current=repo)
    except PathcraftError as exc:
        return _identities_page(request, repo, error=_first_line(exc), status=400)
    _after_change(request, warnings, f"Alias added for {person.name}.")
    return redirect("code:identities", repository_id=repo.pk)


@login_required
@require_POST
def alias_remove(request, repository_id: int, kind: str, alias_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    try:
        warnings = actions.remove_alias(repo.team.organisation_id, kind, alias_id, current=repo)
    except PathcraftError as exc:
        return _identities_page(request, repo, error=_first_line(exc), status=400)
    _after_change(request, warnings, "Alias removed.")
    return redirect("code:identities", repository_id=repo.pk)


# A person's "what I know" -----------------------------------------------------------------------------------------


@login_required
def person(request, person_id: int):
    subject = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if subject is None:
        raise Http404("No such person")
    require_view(request.user, subject, Kind.CODE_KNOWLEDGE)
    data = person_knowledge(request.user, subject, repositories_for(request.user))
    return render(
        request, "code/person.html", {"nav": "code", "p": data, "is_self": person_of(request.user) == subject}
    )
