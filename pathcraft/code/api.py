"""Knowledge in the code over the JSON API: repositories (register, delete, analyse, status), report summaries,
modules, languages and single points of failure, idle/decay figures, leave simulations, git identities and the
alias table, a person's knowledge and commit times.

Every handler checks the object: a repository or person of another organisation is 404; an action the viewer may
not take on a visible object is 403 (register, delete, analyse, identities and aliases: the team's lead or an
administrator; commit times: the person and their direct manager)."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from pathcraft.api.pagination import paginated
from pathcraft.api.types import (
    Count,
    Id,
    IdList,
    Name,
    NameList,
    Object,
    Objects,
    PathId,
    PathKey,
    ok,
)
from pathcraft.code import actions
from pathcraft.code.jobs import effective_status
from pathcraft.code.matching import alias_table, identities_view
from pathcraft.code.person import person_knowledge
from pathcraft.code.presenters import (
    Names,
    knowledge_view,
    leave_view,
    people_by_key,
    person_in,
    recency_view,
    repositories_for,
    repository_for,
    require_manage,
    status_view,
    summary,
    team_for,
)
from pathcraft.people.models import Person
from pathcraft.people.permissions import require_view
from pathcraft.people.policy import Kind

router = Router(tags=["code"])


class RepositoryOut(Schema):
    id: int
    team: str
    name: str
    path: str
    ref: str
    include: list[str]
    exclude: list[str]
    status: str
    progress: int
    progress_total: int
    error: str
    last_commit: str
    truck_factor: int | None


def _out(repo) -> dict:
    return {"id": repo.pk, "team": repo.team.slug, "name": repo.name, "path": repo.path, "ref": repo.ref,
            "include": repo.include or [], "exclude": repo.exclude or [], "status": effective_status(repo),
            "progress": repo.progress, "progress_total": repo.progress_total, "error": repo.error,
            "last_commit": repo.last_commit,
            "truck_factor": repo.report["truck_factor"] if repo.report else None}  # fmt: skip


# A git identity's key is its email (IdentityMatch.email, 320 characters) or its name.
Handle = Annotated[str, Field(max_length=320)]


class RegisterIn(Schema):
    team: Name  # slug or id
    name: Name
    path: Annotated[str, Field(max_length=1000)]  # Repository.path
    ref: Name = ""
    include: NameList = []
    exclude: NameList = []
    analyse: bool = True


class LeaveSimulationIn(Schema):  # not "LeaveIn": growth's leave of absence has that schema name
    people: IdList


class IdentityIn(Schema):
    developer: Handle  # the identity's key, as GET .../identities lists it


class AssignIn(Schema):
    developer: Handle
    person_id: Id


class AliasIn(Schema):
    person_id: Id
    handle: Handle  # an email, or a name (no "@")


def _person(p: Person | None) -> dict | None:
    return {"id": p.pk, "name": p.name} if p is not None else None


def _managed(request, repository_id: int):
    repo = repository_for(request.user, repository_id)
    require_manage(request.user, repo.team)
    return repo


# Repositories ---------------------------------------------------------------------------------------------------


@router.get("/repositories", response=ok(list[RepositoryOut]))
@paginated
def list_repositories(request):
    return [_out(r) for r in repositories_for(request.user).defer("state")]


@router.post("/repositories", response=ok(RepositoryOut, 400, 403, 404, status=201))
def register_repository(request, body: RegisterIn):
    """Register a repository for a team you lead (or any team, as an administrator); bad input is 400, saves
    nothing. With analyse (default) the analysis is queued."""
    team = team_for(request.user, body.team)
    require_manage(request.user, team)
    repo = actions.register_repository(team, body.name, body.path, body.ref, body.include, body.exclude,
                                       by=request.user)  # fmt: skip
    if body.analyse:
        repo = actions.enqueue_analysis(repo)
    return Status(201, _out(repo))


@router.get("/repositories/{repository_id}", response=ok(Object, 403, 404))
def get_repository(request, repository_id: PathId):
    repo = repository_for(request.user, repository_id)
    k = knowledge_view(request.user, repo)
    result = _out(repo)
    if k["report"]:
        result.update(
            summary=summary(repo),
            files_analysed=k["report"]["files_analysed"],
            truck_factor_developers=[{key: d[key] for key in ("name", "person_id", "former", "files_authored")}
                                     | {"coverage_after": d["coverage_after_pct"] / 100}
                                     for d in k["truck_developers"]],
            modules=_groups(k["modules"], "module"),
            languages=_groups(k["languages"], "language"),
            single_points_of_failure={
                "modules": [m["module"] for m in k["spof_modules"]],
                "languages": [lang["language"] for lang in k["spof_languages"]],
            },
            timing_team=k["team_timing"],
            former_contributors=[f["name"] for f in k["former"] if not f["pending"]],
        )  # fmt: skip
    return result


@router.delete("/repositories/{repository_id}", response=ok(None, 400, 403, 404, status=204))
def delete_repository(request, repository_id: PathId):
    """Unregister: the analysis is forgotten, the repository on disk is not touched."""
    actions.unregister_repository(_managed(request, repository_id))
    return Status(204, None)


@router.post("/repositories/{repository_id}/analyse", response=ok(Object, 400, 403, 404, status=202))
def start_analysis(request, repository_id: PathId, full: bool = False):
    """Queue an analysis (incremental; ?full=true reads the whole history again); poll GET .../status."""
    repo = actions.enqueue_analysis(_managed(request, repository_id), full=full)
    return Status(202, status_view(repo))


@router.get("/repositories/{repository_id}/status", response=ok(Object, 403, 404))
def analysis_status(request, repository_id: PathId):
    """queued / running (commits_read of commits_total) / done / failed (error: one line)."""
    return status_view(repository_for(request.user, repository_id))


# Figures --------------------------------------------------------------------------------------------------------


def _names(rows: list[dict]) -> list[dict]:
    return [{"name": a["name"], "person_id": a["person_id"], "former": a["former"], "files": a["files"]}
            for a in rows]  # fmt: skip


def _groups(rows: list[dict], kind: str) -> list[dict]:
    return [{kind: r[kind], "files": r["files"], "truck_factor": r["truck_factor"], "coverage": r["coverage"],
             "single_author": r["single_author"], "orphaned_files": r["orphaned_files"],
             "authors": _names(r["authors"])} for r in rows]  # fmt: skip


def _spof(k: dict) -> dict:
    return {
        "modules": [{"module": m["module"], "files": m["files"], "author": _names(m["authors"])[0]}
                    for m in k["spof_modules"]],
        "languages": [{"language": lang["language"], "files": lang["files"], "author": _names(lang["authors"])[0]}
                      for lang in k["spof_languages"]],
    }  # fmt: skip


def _analysed(request, repository_id: int) -> dict:
    repo = repository_for(request.user, repository_id)
    k = knowledge_view(request.user, repo)
    if not k["report"]:
        raise Http404("Not analysed yet")
    return k


@router.get("/repositories/{repository_id}/modules", response=ok(Objects, 403, 404))
@paginated
def modules(request, repository_id: PathId):
    """Per directory (module depth from the data file): files, truck factor, who knows it."""
    return _groups(_analysed(request, repository_id)["modules"], "module")


@router.get("/repositories/{repository_id}/languages", response=ok(Objects, 403, 404))
@paginated
def languages(request, repository_id: PathId):
    """The language stack: per language, files, truck factor and who can work in it."""
    return _groups(_analysed(request, repository_id)["languages"], "language")


@router.get("/repositories/{repository_id}/single-points-of-failure", response=ok(Object, 403, 404))
def single_points_of_failure(request, repository_id: PathId):
    """Modules and languages with a single author."""
    return _spof(_analysed(request, repository_id))


@router.get("/repositories/{repository_id}/recency", response=ok(Object, 400, 403, 404))
def recency(request, repository_id: PathId, idle_days: Count | None = None,
            reference: Annotated[str, Query(max_length=20)] = "today"):  # fmt: skip
    """Truck factor by the published method, with people idle for more than idle_days (default from the data file)
    treated as gone, with time decay, and both; plus the knowledge already lost. reference: today | last_commit."""
    r = recency_view(request.user, repository_for(request.user, repository_id), idle_days, reference)
    r.pop("repository")
    return r


@router.post("/repositories/{repository_id}/leave", response=ok(Object, 400, 403, 404))
def simulate_leave(request, repository_id: PathId, body: LeaveSimulationIn):
    repo = repository_for(request.user, repository_id)
    return leave_view(request.user, repo, body.people)


@router.get("/repositories/{repository_id}/people/{person_id}/timing", response=ok(Object, 403, 404))
def person_timing(request, repository_id: PathId, person_id: PathId):
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


# Identities and aliases -----------------------------------------------------------------------------------------


def _identity_rows(repo) -> dict:
    ids = identities_view(repo)
    rows = [{key: row[key] for key in ("key", "name", "names", "emails", "commits", "first_commit",
                                       "last_commit", "files_authored", "how", "label")}
             | {"person": _person(row["person"]), "proposed": _person(row["proposed"]),
                "rejected": [_person(p) for p in row["rejected"]]}
            for row in ids["rows"]]  # fmt: skip
    return {"identities": rows, "bots": ids["bots"], "matched": ids["matched"], "pending": ids["pending"],
            "former": ids["former"]}  # fmt: skip


@router.get("/repositories/{repository_id}/identities", response=ok(Object, 403, 404))
def identities(request, repository_id: PathId):
    """Git identities of the last analysis with their match (how: confirmed, email, name alias, proposed, former)."""
    return _identity_rows(_managed(request, repository_id))


def _decide(request, repository_id: int, developer: str, decision: str, person_id: int | None = None) -> dict:
    repo = _managed(request, repository_id)
    person = person_in(repo.team.organisation_id, person_id) if decision == actions.ASSIGN else None
    warnings = actions.decide_identity(repo, developer, decision, person, by=request.user)
    repo.refresh_from_db()
    return {**_identity_rows(repo), "warnings": warnings}


@router.post("/repositories/{repository_id}/identities/confirm", response=ok(Object, 400, 403, 404))
def confirm_identity(request, repository_id: PathId, body: IdentityIn):
    """Confirm the proposed match; the knowledge figures are rebuilt with it."""
    return _decide(request, repository_id, body.developer, actions.CONFIRM)


@router.post("/repositories/{repository_id}/identities/reject", response=ok(Object, 400, 403, 404))
def reject_identity(request, repository_id: PathId, body: IdentityIn):
    """Reject the match: the identity counts as a former contributor and is not proposed again."""
    return _decide(request, repository_id, body.developer, actions.REJECT)


@router.post("/repositories/{repository_id}/identities/assign", response=ok(Object, 400, 403, 404))
def assign_identity(request, repository_id: PathId, body: AssignIn):
    """Assign the identity (all its emails) to a person of the organisation."""
    return _decide(request, repository_id, body.developer, actions.ASSIGN, body.person_id)


def _aliases(org_id: int) -> list[dict]:
    return [{"person": _person(e["person"]), "own_email": e["person"].email,
             "emails": [{"id": a["id"], "email": a["value"]} for a in e["emails"]],
             "names": [{"id": a["id"], "name": a["value"]} for a in e["names"]]}
            for e in alias_table(org_id)]  # fmt: skip


@router.get("/repositories/{repository_id}/aliases", response=ok(Objects, 403, 404))
@paginated
def list_aliases(request, repository_id: PathId):
    """The organisation's alias table (it applies to every repository of the organisation)."""
    return _aliases(_managed(request, repository_id).team.organisation_id)


@router.post("/repositories/{repository_id}/aliases", response=ok(Object, 400, 403, 404, status=201))
def add_alias(request, repository_id: PathId, body: AliasIn):
    repo = _managed(request, repository_id)
    person = person_in(repo.team.organisation_id, body.person_id)
    warnings = actions.add_alias(person, body.handle, by=request.user, current=repo)
    return Status(201, {"aliases": _aliases(repo.team.organisation_id), "warnings": warnings})


@router.delete(
    "/repositories/{repository_id}/aliases/{kind}/{alias_id}", response=ok(None, 400, 403, 404, status=204)
)
def remove_alias(request, repository_id: PathId, kind: PathKey, alias_id: PathId):
    """KIND is "email" or "name"; the id is the one GET .../aliases lists."""
    repo = _managed(request, repository_id)
    actions.remove_alias(repo.team.organisation_id, kind, alias_id, current=repo)
    return Status(204, None)


# People ---------------------------------------------------------------------------------------------------------


@router.get("/people/{person_id}/knowledge", response=ok(Object, 403, 404))
def knowledge_of_person(request, person_id: PathId):
    """What a person knows across the repositories you can see; commit timing only for the person and their
    direct manager (otherwise null)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    require_view(request.user, person, Kind.CODE_KNOWLEDGE)
    data = person_knowledge(request.user, person, repositories_for(request.user))
    repos = [{**{k: v for k, v in r.items() if k not in ("repository", "timing")},
              "repository": {"id": r["repository"].pk, "name": r["repository"].name,
                             "team": r["repository"].team.slug}} for r in data["repositories"]]  # fmt: skip
    return {"person": _person(person), "files": data["files"], "sole_files": data["sole_files"],
            "sole_modules": data["sole_modules"], "sole_languages": data["sole_languages"],
            "repositories": repos, "timing": data["timing"]}  # fmt: skip
