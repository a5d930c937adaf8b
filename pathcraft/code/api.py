"""Knowledge in the code over the JSON API: repositories, report summaries, leave simulations, commit times."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from pathcraft.code.presenters import (
    Names,
    knowledge_view,
    leave_view,
    people_by_key,
    repositories_for,
    repository_for,
)
from pathcraft.people.models import Person
from pathcraft.people.permissions import require_view
from pathcraft.people.policy import Kind

router = Router(tags=["code"])


class RepositoryOut(Schema):
    id: int
    team: str
    name: str
    ref: str
    status: str
    progress: int
    error: str
    last_commit: str
    truck_factor: int | None


def _out(repo) -> dict:
    return {"id": repo.pk, "team": repo.team.slug, "name": repo.name, "ref": repo.ref, "status": repo.status,
            "progress": repo.progress, "error": repo.error, "last_commit": repo.last_commit,
            "truck_factor": repo.report["truck_factor"] if repo.report else None}  # fmt: skip


class LeaveIn(Schema):
    people: list[int]


@router.get("/repositories", response=list[RepositoryOut])
def list_repositories(request):
    return [_out(r) for r in repositories_for(request.user)]


@router.get("/repositories/{repository_id}")
def get_repository(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    k = knowledge_view(request.user, repo)
    summary = _out(repo)
    if k["report"]:
        summary.update(
            files_analysed=k["report"]["files_analysed"],
            truck_factor_developers=k["truck_developers"],
            modules=k["modules"],
            languages=k["languages"],
            single_points_of_failure={"modules": [m["module"] for m in k["spof_modules"]],
                                      "languages": [lang["language"] for lang in k["spof_languages"]]},
            timing_team=k["team_timing"],
            former_contributors=k["former"],
        )  # fmt: skip
    return summary


@router.post("/repositories/{repository_id}/leave")
def simulate_leave(request, repository_id: int, body: LeaveIn):
    repo = repository_for(request.user, repository_id)
    return leave_view(request.user, repo, body.people)


@router.get("/repositories/{repository_id}/people/{person_id}/timing")
def person_timing(request, repository_id: int, person_id: int):
    """Night and weekend commits of one person: only they and their direct manager (Kind.CODE_ACTIVITY)."""
    repo = repository_for(request.user, repository_id)
    person = Person.objects.filter(pk=person_id, organisation_id=repo.team.organisation_id).first()
    if person is None:
        raise Http404
    require_view(request.user, person, Kind.CODE_ACTIVITY)
    keys = {k for k, p in people_by_key(repo).items() if p.pk == person.pk}
    dev = next((d for d in (repo.report or {}).get("developers", []) if d["key"] in keys), None)
    if dev is None:
        raise Http404("No commits by this person in this repository")
    return {"person_id": person.pk, "name": Names(request.user, repo)(dev)["name"], "timing": dev["timing"]}
