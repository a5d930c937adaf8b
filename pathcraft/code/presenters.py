"""Page and API data from a saved report, with git identities shown as people through the permission core."""

from __future__ import annotations

from django.http import Http404

from pathcraft.code.actions import load_analysis
from pathcraft.code.models import IdentityMatch, Repository
from pathcraft.code.report import leave_to_dict
from pathcraft.code.treemap import treemap_svg
from pathcraft.errors import InputError
from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view, is_admin, person_of, visible_people
from pathcraft.people.policy import Kind


def repository_for(user, repository_id: int) -> Repository:
    """A repository of the viewer's organisation (admins: any); 404 otherwise, so nothing leaks about others."""
    repository = (
        Repository.objects.select_related("team", "team__organisation").filter(pk=repository_id).first()
    )
    viewer = person_of(user)
    if repository is None:
        raise Http404("No such repository")
    if viewer is not None and viewer.organisation_id == repository.team.organisation_id:
        return repository
    if viewer is None and is_admin(user):
        return repository
    raise Http404("No such repository")


def repositories_for(user):
    viewer = person_of(user)
    qs = Repository.objects.select_related("team")
    if viewer is not None:
        return qs.filter(team__organisation_id=viewer.organisation_id)
    return qs if is_admin(user) else qs.none()


def people_by_key(repository: Repository) -> dict[str, Person]:
    """Developer key -> person, through the confirmed matches and people's own emails."""
    org_id = repository.team.organisation_id
    by_email = {p.email.lower(): p for p in Person.objects.filter(organisation_id=org_id)}
    for match in IdentityMatch.objects.filter(organisation_id=org_id, confirmed=True).select_related(
        "person"
    ):
        by_email.setdefault(match.email.lower(), match.person)
    found = {}
    for dev in (repository.report or {}).get("developers", []):
        person = next((by_email[e.lower()] for e in dev["emails"] if e.lower() in by_email), None)
        if person is not None:
            found[dev["key"]] = person
    return found


class Names:
    """How a developer is shown: a visible person's name, "a colleague", or the git name as a former contributor."""

    def __init__(self, user, repository: Repository):
        self.people = people_by_key(repository)
        self.visible = set(visible_people(user, Kind.CODE_KNOWLEDGE).values_list("pk", flat=True))

    def __call__(self, dev: dict) -> dict:
        person = self.people.get(dev["key"])
        if person is None:
            return {"name": dev["name"], "person_id": None, "former": True}
        if person.pk not in self.visible:
            return {"name": "a colleague", "person_id": None, "former": False}
        return {"name": person.name, "person_id": person.pk, "former": False}


def _authors(names: Names, authors: list[dict]) -> list[dict]:
    return [{**names(a), "files": a.get("files")} for a in authors]


def knowledge_view(user, repository: Repository) -> dict:
    report = repository.report
    if not report:
        return {"repository": repository, "report": None}
    names = Names(user, repository)
    modules = [{**m, "authors": _authors(names, m["authors"])} for m in report["modules"]]
    languages = [{**lang, "authors": _authors(names, lang["authors"])} for lang in report["languages"]]
    activity = []
    for dev in report["developers"]:
        person = names.people.get(dev["key"])
        if person is not None and can_view(user, person, Kind.CODE_ACTIVITY):
            activity.append({"person": person, "timing": dev["timing"]})
    former = [names(d)["name"] for d in report["developers"] if d["key"] not in names.people]
    leavers = sorted({p for k, p in names.people.items() if p.pk in names.visible}, key=lambda p: p.name)
    return {
        "repository": repository,
        "report": report,
        "truck_factor": report["truck_factor"],
        "truck_developers": [
            {**names(d), "files_authored": d["files_authored"], "coverage_after": d["coverage_after"]}
            for d in report["truck_factor_developers"]
        ],  # fmt: skip
        "modules": sorted(modules, key=lambda m: (m["truck_factor"], m["module"])),
        "languages": sorted(languages, key=lambda lang: (-lang["files"], lang["language"])),
        "spof_modules": [m for m in modules if m["single_author"]],
        "spof_languages": [lang for lang in languages if lang["single_author"]],
        "treemap": treemap_svg(
            [(m["module"], m["files"], m["truck_factor"]) for m in report["modules"]],
            title=f"Modules of {repository.name}: area is files, colour is truck factor",
        ),
        "team_timing": report["timing"]["team"],
        "activity": activity,
        "former": former,
        "leave_choices": leavers,
    }


def leave_view(user, repository: Repository, person_ids: list[int]) -> dict:
    """What if these people left: the engine's leave simulation, shown with people's names."""
    if not person_ids:
        raise InputError("choose at least one person")
    names = Names(user, repository)
    by_pk = {p.pk: (key, p) for key, p in names.people.items()}
    analysis = load_analysis(repository)
    leavers = set()
    for pid in person_ids:
        if pid not in by_pk or pid not in names.visible:
            raise InputError("that person has no commits in this repository")
        leavers.add(analysis.identities.find(by_pk[pid][0]))
    result = leave_to_dict(analysis, analysis.leave(leavers))
    for row in result["orphaned_files"]:
        row["former_authors"] = [names(d) for d in row["former_authors"]]
        row["successors"] = [{**names(s), "doa": s["doa"], "doa_normalized": s["doa_normalized"]}
                             for s in row["successors"]]  # fmt: skip
    result["leavers"] = [names(d) for d in result["leavers"]]
    return result
