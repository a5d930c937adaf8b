"""State changes of the code app: register a repository, analyse it (the job's body), match git identities."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from pathcraft.code.analysis import Analysis, AnalysisOptions, analyze_repository
from pathcraft.code.gitrepo import open_repo
from pathcraft.code.history import HistoryState, normalize_name
from pathcraft.code.models import IdentityMatch, Repository
from pathcraft.code.report import analysis_to_dict
from pathcraft.errors import InputError, PathcraftError
from pathcraft.people.models import Person, Team

log = logging.getLogger(__name__)
PROGRESS_EVERY = 1000  # commits; the engine reports every 1,000 anyway


def register_repository(team: Team, name: str, path: str, ref: str = "") -> Repository:
    """Register a repository the server can read; a path that is not a git repository is refused here."""
    name, path = name.strip(), path.strip()
    if not name:
        raise InputError("a repository needs a name")
    open_repo(path)  # InputError with a one-line reason when it is not a repository
    if Repository.objects.filter(team=team, name=name).exists():
        raise InputError(f"team {team.name} already has a repository named {name!r}")
    return Repository.objects.create(team=team, name=name, path=path, ref=ref.strip())


def aliases_for(repository: Repository) -> dict[str, list[str]]:
    """The alias table as the engine wants it: a person's label -> every git email matched to them."""
    aliases: dict[str, list[str]] = {}
    matches = IdentityMatch.objects.filter(
        organisation_id=repository.team.organisation_id, confirmed=True
    ).select_related("person")
    for match in matches:
        aliases.setdefault(match.person.email, [match.person.email]).append(match.email)
    return {label: emails for label, emails in aliases.items() if len(set(emails)) > 1}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:500]


def enqueue_analysis(repository: Repository) -> Repository:
    from pathcraft.code.tasks import analyze_repository_task

    Repository.objects.filter(pk=repository.pk).update(status=Repository.Status.QUEUED, progress=0, error="")
    analyze_repository_task.enqueue(repository.pk)
    repository.refresh_from_db()
    return repository


def run_analysis(repository_id: int, full: bool = False) -> Repository:
    """Analyse one repository (incrementally from its saved state unless FULL); what the background job runs.

    Any failure is stored on the row as one line (status "failed"); nothing is raised to the worker."""
    repository = Repository.objects.select_related("team").get(pk=repository_id)
    Repository.objects.filter(pk=repository.pk).update(status=Repository.Status.RUNNING, progress=0, error="")

    def progress(_stage: str, count: int) -> None:
        Repository.objects.filter(pk=repository.pk).update(progress=count)

    try:
        state = None
        if repository.state and not full:
            try:
                state = HistoryState.from_dict(repository.state)
            except InputError:
                state = None  # an old format: a full run rebuilds it
        options = AnalysisOptions(ref=repository.ref or None, aliases=aliases_for(repository))
        analysis = analyze_repository(repository.path, options, state=state, progress=progress)
        report = analysis_to_dict(analysis)
    except PathcraftError as exc:
        return _fail(repository, _one_line(exc))
    except Exception as exc:  # noqa: BLE001 - a broken repository must not kill the worker or show a traceback
        log.exception("code analysis failed", extra={"repository": repository.pk})
        return _fail(
            repository, f"the analysis failed unexpectedly ({type(exc).__name__}); see the server log"
        )
    with transaction.atomic():
        repository.state = analysis.state.to_dict()
        repository.report = report
        repository.last_commit = analysis.commit
        repository.status = Repository.Status.DONE
        repository.progress = analysis.state.commits
        repository.error = ""
        repository.analysed_at = timezone.now()
        repository.save()
        match_identities(repository)
    return repository


def _fail(repository: Repository, message: str) -> Repository:
    Repository.objects.filter(pk=repository.pk).update(status=Repository.Status.FAILED, error=message)
    repository.refresh_from_db()
    return repository


def match_identities(repository: Repository) -> list[IdentityMatch]:
    """Match the report's developers to people: by email (confirmed), else by name (to be confirmed)."""
    org_id = repository.team.organisation_id
    people = list(Person.objects.filter(organisation_id=org_id))
    by_email = {p.email.lower(): p for p in people}
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(normalize_name(p.name), []).append(p)
    known = set(IdentityMatch.objects.filter(organisation_id=org_id).values_list("email", flat=True))
    created = []
    for dev in (repository.report or {}).get("developers", []):
        emails = [e.lower() for e in dev["emails"]]
        person = next((by_email[e] for e in emails if e in by_email), None)
        method = IdentityMatch.Method.EMAIL
        if person is None:
            candidates = {p.pk: p for n in dev["names"] for p in by_name.get(normalize_name(n), [])}
            if len(candidates) != 1:
                continue  # nobody, or ambiguous: a former contributor until someone matches them by hand
            person, method = next(iter(candidates.values())), IdentityMatch.Method.NAME
        for email in emails:
            if email not in known:
                known.add(email)
                created.append(IdentityMatch.objects.create(
                    organisation_id=org_id, email=email, name=dev["name"], person=person, method=method,
                    confirmed=method == IdentityMatch.Method.EMAIL,
                ))  # fmt: skip
    return created


def load_analysis(repository: Repository) -> Analysis:
    """The last analysis again, from the saved state at the saved commit (reads no history; for what-ifs)."""
    if not repository.last_commit or not repository.state:
        raise InputError(f"{repository.name} has not been analysed yet")
    options = AnalysisOptions(ref=repository.last_commit, aliases=aliases_for(repository))
    return analyze_repository(repository.path, options, state=HistoryState.from_dict(repository.state))
