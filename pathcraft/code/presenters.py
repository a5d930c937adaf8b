"""Page and API data from a saved report, with git identities shown as people through the permission core."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pathcraft.code.actions import load_analysis
from pathcraft.code.analysis import idle_developers
from pathcraft.code.defaults import load_defaults
from pathcraft.code.gitrepo import commit_time, open_repo
from pathcraft.code.jobs import INTERRUPTED
from pathcraft.code.jobs import check as check_job
from pathcraft.code.matching import PROPOSED, matches_for
from pathcraft.code.models import Repository
from pathcraft.code.report import leave_to_dict
from pathcraft.code.treemap import treemap_svg
from pathcraft.errors import InputError
from pathcraft.ops.jobs import describe as describe_job
from pathcraft.people.models import Person, Team
from pathcraft.people.permissions import can_view, is_admin, person_of, visible_people
from pathcraft.people.policy import Kind

MAX_IDLE_DAYS = 36500
TODAY, LAST_COMMIT = "today", "last_commit"


# Who may see and change what -----------------------------------------------------------------------------------


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


def teams_for(user):
    """Teams the viewer can see (their organisation's; an administrator without a person: all)."""
    viewer = person_of(user)
    if viewer is not None:
        return Team.objects.filter(organisation_id=viewer.organisation_id)
    return Team.objects.all() if is_admin(user) else Team.objects.none()


def team_for(user, team: int | str) -> Team:
    """A team by id or slug among those the viewer can see; 404 otherwise."""
    teams = teams_for(user).select_related("organisation")
    found = teams.filter(pk=int(team)).first() if str(team).isdigit() else teams.filter(slug=team).first()
    if found is None:
        raise Http404("No such team")
    return found


def can_manage(user, team: Team) -> bool:
    """The team's lead, or an administrator: register, delete and analyse its repositories, decide identities."""
    viewer = person_of(user)
    if is_admin(user) and (viewer is None or viewer.organisation_id == team.organisation_id):
        return True
    return viewer is not None and team.lead_id == viewer.pk


def require_manage(user, team: Team) -> Team:
    if not can_manage(user, team):
        raise PermissionDenied("Only the team's lead or an administrator can do this.")
    return team


def manageable_teams(user) -> list[Team]:
    return [t for t in teams_for(user).select_related("organisation") if can_manage(user, t)]


def person_in(organisation_id: int, person_id) -> Person:
    """A person of this organisation, or InputError (a form choice that is not one)."""
    try:
        person = Person.objects.filter(pk=int(person_id), organisation_id=organisation_id).first()
    except (TypeError, ValueError):
        person = None
    if person is None:
        raise InputError("choose a person of the organisation")
    return person


# How developers are shown ---------------------------------------------------------------------------------------


class Names:
    """How a developer is shown: a visible person's name, "a colleague", or the git name as a former contributor
    (or as an unconfirmed match)."""

    def __init__(self, user, repository: Repository):
        self.matches = matches_for(repository.report, repository.team.organisation_id)
        self.people = {key: m.person for key, m in self.matches.items() if m.person is not None}
        self.visible = set(visible_people(user, Kind.CODE_KNOWLEDGE).values_list("pk", flat=True))

    def __call__(self, dev: dict) -> dict:
        match = self.matches.get(dev["key"])
        person = match.person if match is not None else None
        if person is None:
            pending = match is not None and match.how == PROPOSED
            return {"name": dev["name"], "person_id": None, "former": not pending, "pending": pending}
        if person.pk not in self.visible:
            return {"name": "a colleague", "person_id": None, "former": False, "pending": False}
        return {"name": person.name, "person_id": person.pk, "former": not person.is_active, "pending": False}


def people_by_key(repository: Repository) -> dict[str, Person]:
    """Developer key -> person, through the confirmed matches and people's own emails."""
    return {
        key: m.person
        for key, m in matches_for(repository.report, repository.team.organisation_id).items()
        if m.person is not None
    }


def _authors(names: Names, authors: list[dict]) -> list[dict]:
    return [{**names(a), "files": a.get("files")} for a in authors]


def _pct(part: int | float, whole: int | float) -> int:
    return round(100 * part / whole) if whole else 0


def _iso_date(text: str) -> str:
    return text[:10] if text else ""


# The repository page -------------------------------------------------------------------------------------------


def summary(repository: Repository) -> dict | None:
    """The headline figures of the last analysis (None before the first)."""
    report = repository.report
    if not report:
        return None
    return {
        "truck_factor": report["truck_factor"],
        "authors": sum(1 for d in report["developers"] if d["files_authored"]),
        "files": report["files_analysed"],
        "files_with_author": sum(1 for f in report["files"] if f["authors"]),
        "commits": report["commits_analysed"],
    }


def status_view(repository: Repository) -> dict:
    """The analysis job's state for the live progress fragment and the API.

    A row that says queued or running without a live job behind it (jobs.check) is shown as "interrupted", with the
    reason as its one-line error and nothing in progress, so the Analyse button comes back."""
    total, done = repository.progress_total, repository.progress
    job = check_job(repository)
    status = INTERRUPTED if job.interrupted else repository.status
    return {
        "status": status,
        "label": "interrupted" if job.interrupted else repository.get_status_display(),
        "in_progress": repository.in_progress and not job.interrupted,
        "commits_read": done,
        "commits_total": total,
        "percent": min(100, _pct(done, total)) if total else None,
        "error": job.reason if job.interrupted else repository.error,
        "analysed_at": repository.analysed_at.isoformat() if repository.analysed_at else None,
        "last_commit": repository.last_commit,
        # The background job behind it: state, attempts, progress_at (a stalled job is told from a slow one).
        "job": describe_job(job.job) if job.job is not None else None,
    }


def knowledge_view(user, repository: Repository) -> dict:
    base = {"repository": repository, "report": repository.report, "status": status_view(repository),
            "can_manage": can_manage(user, repository.team)}  # fmt: skip
    report = repository.report
    if not report:
        return base
    names = Names(user, repository)
    modules = [{**m, "authors": _authors(names, m["authors"])} for m in report["modules"]]
    languages = [{**lang, "authors": _authors(names, lang["authors"])} for lang in report["languages"]]
    activity = []
    for dev in report["developers"]:
        person = names.people.get(dev["key"])
        if person is not None and can_view(user, person, Kind.CODE_ACTIVITY):
            activity.append({"person": person, "timing": dev["timing"]})
    former = [
        {"name": d["name"], "commits": d["commits"], "last_commit": _iso_date(d["last_commit"]),
         "pending": names(d)["pending"]}
        for d in report["developers"] if d["key"] not in names.people
    ]  # fmt: skip
    leavers = sorted({p for k, p in names.people.items() if p.pk in names.visible}, key=lambda p: p.name)
    files = report["files_analysed"]
    covered = sum(1 for f in report["files"] if f["authors"])
    authors = sum(1 for d in report["developers"] if d["files_authored"])
    pending = sum(1 for m in names.matches.values() if m.how == PROPOSED)
    defaults = load_defaults()
    return {
        **base,
        "names": names,
        "truck_factor": report["truck_factor"],
        "authors": authors,
        "files": files,
        "covered": covered,
        "covered_pct": _pct(covered, files),
        "truck_developers": [
            {
                **names(d),
                "files_authored": d["files_authored"],
                "covered_after": round(d["coverage_after"] * files),
                "coverage_after_pct": _pct(d["coverage_after"], 1),
            }
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
        "pending": pending,
        "identities": len(report["developers"]),
        "bots": len(report["bots"]),
        "filtered": len(report["files_filtered"]),
        "leave_choices": leavers,
        "idle_days_default": defaults.idle_days_suggested,
        "decay": {"tau": defaults.decay_tau_days, "window": defaults.decay_window_days},
        "last_commit_date": max((_iso_date(d["last_commit"]) for d in report["developers"]), default=""),
    }


# Leave simulation ----------------------------------------------------------------------------------------------


def _handover_link(user, person: Person) -> dict | None:
    """Where to plan the handover of a leaver: the growth app's handover page when they are a manager with a planned
    leave the viewer may open, else the delegation board. None when the growth app is not installed."""
    try:
        from pathcraft.growth.models import Leave

        board = reverse("growth:delegation")
    except (ImportError, NoReverseMatch):
        return None
    viewer = person_of(user)
    leave = None
    if person.reports.exists():
        leave = (
            Leave.objects.filter(person=person, last_day__gte=timezone.localdate())
            .order_by("first_day")
            .first()
        )
    # The growth app's rule for its handover page: the manager, their acting lead, and their own manager.
    if (
        leave is not None
        and viewer is not None
        and viewer.pk in (person.pk, leave.acting_lead_id, person.manager_id)
    ):
        return {"url": reverse("growth:handover", args=[leave.pk]), "kind": "handover",
                "text": f"Handover for {person.name}'s leave, {leave.first_day:%-d %b} – {leave.last_day:%-d %b %Y}"}  # fmt: skip
    return {"url": board, "kind": "delegation", "text": "Plan who takes over on the delegation board"}


def leave_view(user, repository: Repository, person_ids: list[int]) -> dict:
    """What if these people left: the engine's leave simulation, shown with people's names."""
    if not person_ids:
        raise InputError("choose at least one person")
    names = Names(user, repository)
    by_pk = {p.pk: (key, p) for key, p in names.people.items()}
    analysis = load_analysis(repository)
    leavers = set()
    leaving: list[Person] = []
    handovers = []
    for pid in dict.fromkeys(person_ids):
        if pid not in by_pk or pid not in names.visible:
            raise InputError("that person has no commits in this repository")
        key, person = by_pk[pid]
        leavers.add(analysis.identities.find(key))
        leaving.append(person)
        link = _handover_link(user, person)
        if link is not None:
            handovers.append({**link, "person": person.name})
    result = leave_to_dict(analysis, analysis.leave(leavers))
    for row in result["orphaned_files"]:
        row["former_authors"] = [names(d) for d in row["former_authors"]]
        row["successors"] = [{**names(s), "doa": s["doa"], "doa_normalized": s["doa_normalized"]}
                             for s in row["successors"]]  # fmt: skip
    result["leavers"] = [names(d) for d in result["leavers"]]
    result["already_gone"] = [names(d) for d in result["already_gone"]]
    result["handover"] = handovers
    _add_counts(result)
    authors = {m["module"]: {names.people[a["key"]].pk for a in m["authors"] if a["key"] in names.people}
               for m in repository.report["modules"]}  # fmt: skip
    offered = offered_successors(user, repository, leaving, authors)
    for row in [*result["modules"], *result["orphaned_files"]]:
        row["offered_successors"] = offered.get(row["module"], [])
    return result


def offered_successors(user, repository: Repository, leavers: list[Person],
                       authors: dict[str, set[int]]) -> dict[str, list[dict]]:  # fmt: skip
    """Successor candidates per module that other apps offer beside the DOA-ranked ones (the reviews app: people
    who reviewed changes to a module they do not author). An app offers them as a `leave_successors(user,
    repository, leavers, authors)` callable on its AppConfig, so this app imports none of them; AUTHORS maps each
    module to the people who author files in it. Each candidate: {"name", "person_id", "from", ...}."""
    offered: dict[str, list[dict]] = {}
    for config in django_apps.get_app_configs():
        offer = getattr(config, "leave_successors", None)
        if callable(offer):
            for module, rows in offer(user, repository, leavers, authors).items():
                offered.setdefault(module, []).extend(rows)
    return offered


def _add_counts(result: dict) -> None:
    """Files with an author before and after, as counts beside the engine's shares (numerator and denominator)."""
    for row in [result, *result["modules"], *result["languages"]]:
        row["covered_before"] = round(row["coverage_before"] * row["files"])
        row["covered_after"] = round(row["coverage_after"] * row["files"])
    result["modules_affected"] = [m for m in result["modules"] if m["orphaned"]]


# Recency: idle people treated as gone, and time decay ----------------------------------------------------------


def parse_idle_days(value) -> int:
    if value in (None, ""):
        return load_defaults().idle_days_suggested
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise InputError("idle days must be a whole number of days") from None
    if not 0 <= days <= MAX_IDLE_DAYS:
        raise InputError(f"idle days must be between 0 and {MAX_IDLE_DAYS}")
    return days


def _figure(truck, files: int) -> dict:
    covered = round(truck.coverage_before * files)
    return {"truck_factor": truck.truck_factor, "authors": truck.authors, "files_with_author": covered,
            "files": files, "coverage_pct": _pct(covered, files)}  # fmt: skip


def recency_view(user, repository: Repository, idle_days=None, reference: str | None = TODAY) -> dict:
    """The truck factor by the published method, with people idle for more than IDLE_DAYS treated as gone, with
    time decay, and with both; and the knowledge already lost (files whose every author is idle).

    Days count up to REFERENCE: today, or the repository's last analysed commit."""
    days = parse_idle_days(idle_days)
    reference = reference or TODAY
    if reference not in (TODAY, LAST_COMMIT):
        raise InputError(f"count days up to {TODAY!r} or {LAST_COMMIT!r}")
    if not repository.last_commit or not repository.state:
        raise InputError(f"{repository.name} has not been analysed yet")
    head_time = commit_time(open_repo(repository.path), repository.last_commit)
    now = int(time.time()) if reference == TODAY else head_time
    defaults = load_defaults()
    plain = load_analysis(repository, idle_days=days, reference_time=now)
    decayed = load_analysis(repository, decay=True, reference_time=now)
    k = plain.knowledge
    files = len(k.files)
    both_gone = idle_developers(decayed.knowledge, now, days)
    names = Names(user, repository)
    idle = []
    authored_by = k.authored(None, ())
    for index in plain.gone:
        dev = k.developers[index]
        authored = len(authored_by.get(index, ()))
        idle.append({**names({"key": dev.key, "name": dev.name}),
                     "last_commit": datetime.fromtimestamp(dev.last_time, UTC).date().isoformat(),
                     "days_idle": (now - dev.last_time) // 86400, "files_authored": authored})  # fmt: skip
    idle.sort(key=lambda row: (-row["files_authored"], row["name"]))
    lost = leave_to_dict(plain, plain.lost) if plain.lost is not None else None
    if lost is not None:
        for row in lost["orphaned_files"]:
            row["former_authors"] = [names(d) for d in row["former_authors"]]
            row["successors"] = [{**names(s), "doa": s["doa"]} for s in row["successors"]]
        _add_counts(lost)
    threshold = defaults.coverage_threshold
    return {
        "repository": repository,
        "idle_days": days,
        "reference": reference,
        "reference_date": datetime.fromtimestamp(now, UTC).date().isoformat(),
        "last_commit_date": datetime.fromtimestamp(head_time, UTC).date().isoformat(),
        "repository_idle_days": max(0, (int(time.time()) - head_time) // 86400),
        "decay": {"tau_days": defaults.decay_tau_days, "window_days": defaults.decay_window_days},
        "developers": len(k.developers),
        "figures": {
            "published": _figure(k.truck_factor(threshold), files),
            "idle": _figure(plain.truck, files),
            "decay": _figure(decayed.truck, files),
            "both": _figure(decayed.knowledge.truck_factor(threshold, None, both_gone), files),
        },
        "idle_people": idle,
        "lost": lost,
    }
