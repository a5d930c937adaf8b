"""Pages of the code app: the team's knowledge map and the leave simulation. Thin over presenters/actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pathcraft.code import actions
from pathcraft.code.presenters import knowledge_view, leave_view, repositories_for, repository_for
from pathcraft.errors import PathcraftError
from pathcraft.people.permissions import is_admin, person_of


@login_required
def index(request):
    viewer = person_of(request.user)
    repositories = list(repositories_for(request.user))
    if viewer is not None and viewer.team_id:
        repositories.sort(key=lambda r: (r.team_id != viewer.team_id, r.team.name, r.name))
    return render(request, "code/index.html", {"nav": "code", "repositories": repositories})


@login_required
def repository(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    return render(request, "code/repository.html", {"nav": "code", "k": knowledge_view(request.user, repo)})


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
        context["error"] = str(exc)
    if request.htmx:
        return render(request, "code/_leave.html", context)
    return render(request, "code/leave.html", context)


@login_required
@require_POST
def analyse(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    viewer = person_of(request.user)
    if not (is_admin(request.user) or (viewer is not None and repo.team.lead_id == viewer.pk)):
        raise PermissionDenied("Only the team's lead or an administrator can start an analysis.")
    actions.enqueue_analysis(repo)
    messages.info(request, f"Analysis of {repo.name} queued; the worker picks it up shortly.")
    return redirect("code:repository", repository_id=repo.pk)
