"""The database side of `pathcraft code repos/register/refresh/knows`: find a team, a repository or a person by
what a user types, one stable row per repository, and a person's knowledge as JSON.

Thin over the code app: registering and analysing go through `actions`, what a person knows through `person`
(the same figures as their page), so the command line cannot disagree with the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pathcraft.code import actions
from pathcraft.code.jobs import INTERRUPTED
from pathcraft.code.jobs import check as check_job
from pathcraft.code.models import Repository
from pathcraft.errors import InputError
from pathcraft.ops.jobs import describe as describe_job
from pathcraft.people.models import Person, Team


def find_team(text: str) -> Team:
    """A team by slug or name (case ignored); ORG/TEAM when several organisations have one of that name."""
    text = text.strip()
    org, sep, wanted = text.rpartition("/")
    teams = Team.objects.select_related("organisation")
    if sep:
        teams = teams.filter(organisation__slug__iexact=org.strip())
    found = [t for t in teams if wanted.strip().lower() in (t.slug.lower(), t.name.lower())]
    if not found:
        known = ", ".join(sorted({t.slug for t in Team.objects.all()})) or "none yet"
        raise InputError(f"no team {text!r} (teams: {known})")
    if len(found) > 1:
        orgs = ", ".join(sorted(f"{t.organisation.slug}/{t.slug}" for t in found))
        raise InputError(f"team {text!r} exists in several organisations; say which: {orgs}")
    return found[0]


def find_person(email: str) -> Person:
    person = Person.objects.filter(email__iexact=email.strip()).select_related("user", "team").first()
    if person is None:
        raise InputError(f"no person with the email {email}")
    return person


def repositories(team: str | None = None) -> list[Repository]:
    rows = Repository.objects.select_related("team", "team__organisation")
    if team:
        rows = rows.filter(team=find_team(team))
    return list(rows.order_by("team__name", "name", "pk"))


def find_repositories(name: str | None, every: bool, team: str | None = None) -> list[Repository]:
    """The repositories a command works on: one by NAME (within TEAM when names repeat), or EVERY one."""
    if every and name:
        raise InputError("give a repository name or --all, not both")
    if not every and not name:
        raise InputError("say which repository: REPO_NAME, or --all")
    rows = repositories(team)
    if every:
        if not rows:
            raise InputError("no repository is registered yet (pathcraft code register --team TEAM PATH)")
        return rows
    chosen = [r for r in rows if r.name == name.strip()]
    if not chosen:
        known = ", ".join(sorted({r.name for r in rows})) or "none yet"
        raise InputError(f"no registered repository named {name!r} (registered: {known})")
    if len(chosen) > 1:
        teams = ", ".join(sorted(r.team.slug for r in chosen))
        raise InputError(f"several teams have a repository named {name!r} ({teams}); add --team")
    return chosen


def repository_row(repository: Repository) -> dict:
    """One repository as `pathcraft code repos --json` prints it (stable keys)."""
    report = repository.report or {}
    job = check_job(repository)  # a queued/running row without a live job is "interrupted", with the reason
    return {
        "id": repository.pk,
        "name": repository.name,
        "team": repository.team.slug,
        "team_name": repository.team.name,
        "path": repository.path,
        "ref": repository.ref or "HEAD",
        "include": list(repository.include or []),
        "exclude": list(repository.exclude or []),
        "status": INTERRUPTED if job.interrupted else repository.status,
        "error": (job.reason if job.interrupted else repository.error) or None,
        "last_commit": repository.last_commit or None,
        "analysed_at": repository.analysed_at.isoformat() if repository.analysed_at else None,
        "commits_analysed": report.get("commits_analysed"),
        "files_analysed": report.get("files_analysed"),
        "truck_factor": report.get("truck_factor"),
        "partial": report.get("partial"),
        "job": describe_job(job.job) if job.job is not None else None,  # state, attempts, progress_at, error
    }


def register(
    team: str, path: str, name: str | None = None, ref: str = "", include=(), exclude=()
) -> Repository:
    """Register PATH for TEAM. A relative path is made absolute here (the server and the worker do not share the
    caller's directory); `actions.register_repository` checks everything else before it saves anything."""
    found = find_team(team)
    where = Path(path).expanduser()
    absolute = str(where.resolve() if where.exists() else where.absolute())
    label = (name or "").strip() or Path(absolute).name.removesuffix(".git") or "repository"
    return actions.register_repository(found, label, absolute, ref, include=include, exclude=exclude)


@dataclass
class Refreshed:
    repository: Repository
    commits_before: int

    def to_dict(self) -> dict:
        report = self.repository.report or {}
        if self.repository.status != Repository.Status.DONE:
            return {**repository_row(self.repository), "incremental": None, "commits_read": None}
        incremental = bool(report.get("incremental"))
        after = report.get("commits_analysed") or 0
        read = after - self.commits_before if incremental else after
        return {**repository_row(self.repository), "incremental": incremental, "commits_read": read}


def refresh(
    chosen: Iterable[Repository],
    full: bool = False,
    started: Callable[[Repository], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Refreshed]:
    """Analyse each repository now (incrementally from its saved state unless FULL); failures are on the rows.

    Each run is recorded as a job (jobs.run_here), so the pages show it running, or interrupted if this process is
    killed. STARTED(repository) is called before each one, PROGRESS(commits read, commits to read) as it reads."""
    from pathcraft.code.jobs import run_here

    results = []
    for repository in chosen:
        if started is not None:
            started(repository)
        before = int((repository.state or {}).get("commits") or 0)
        if repository.is_remote:  # bring the mirror up to date first (clone it the first time)
            from pathcraft.code.remotes import sync_remote

            fetched = sync_remote(repository, analyse=False)
            if fetched.result == "failed":
                repository.refresh_from_db()
                results.append(Refreshed(repository, before))
                continue
            full = full or fetched.rewritten
        results.append(Refreshed(run_here(repository.pk, full=full, progress=progress), before))
    return results


def queue(chosen: Iterable[Repository], full: bool = False) -> list[Repository]:
    """Hand each repository to the background worker (`pathcraft worker`); one already waiting stays queued once."""
    return [actions.enqueue_analysis(repository, full=full) for repository in chosen]


def knowledge_json(viewer: Person, person: Person) -> dict:
    """What PERSON knows across their organisation's analysed repositories, as `knows --json` prints it.

    The figures are the person page's (`person.person_knowledge`); commit timing only where the permission core
    lets VIEWER see CODE_ACTIVITY (the person and their manager). The caller checked CODE_KNOWLEDGE."""
    from pathcraft.code.person import person_knowledge

    data = person_knowledge(viewer.user, person, Repository.objects.select_related("team"))
    found = []
    for r in data["repositories"]:
        repository = r["repository"]
        found.append(
            {
                "repository": repository.name,
                "team": repository.team.slug,
                "commit": repository.last_commit or None,
                "analysed_at": repository.analysed_at.isoformat() if repository.analysed_at else None,
                "files_analysed": r["files_analysed"],
                "truck_factor": r["truck_factor"],
                "in_truck_factor": r["in_truck_factor"],
                "commits": r["commits"],
                "first_commit": r["first_commit"],
                "last_commit": r["last_commit"],
                "files": [
                    {
                        "path": f["path"],
                        "module": f["module"],
                        "language": f["language"],
                        "doa": f["doa"],
                        "doa_normalized": f["doa_normalized"],
                        "created": f["created"],
                        "co_authors": f["co_authors"],
                        "only_author": f["sole"],
                    }
                    for f in r["files"]
                ],  # fmt: skip
                "only_author": [f["path"] for f in r["sole_files"]],
                "modules": [_group(g, "module") for g in r["modules"]],
                "languages": [_group(g, "language") for g in r["languages"]],
            }
        )
    return {
        "person": {"name": person.name, "email": person.email},
        "repositories": found,
        "files_authored": data["files"],
        "files_only_author": data["sole_files"],
        "timing": _timing(data["timing"]) if data["show_timing"] and data["timing"] else None,
    }


def _group(group: dict, kind: str) -> dict:
    return {kind: group["name"], "files": group["files"], "files_authored": group["authored"],
            "truck_factor": group["truck_factor"], "only_author": group["sole"], "other_authors": group["others"]}  # fmt: skip


def _timing(timing: dict) -> dict:
    return {
        "commits": timing["commits"],
        "night": timing["night"]["count"],
        "weekend": timing["weekend"]["count"],
        "outside_working_hours": timing["outside"]["count"],
        "working_hours_known": timing["hours_known"],
        "timezone": timing["timezone"],
    }
