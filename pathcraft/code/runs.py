"""Running one repository's analysis: what the background job and the CLI execute, and the what-if reloads.

Below jobs.py and tasks.py (they call it; it calls neither), so the code app depends one way:
actions -> jobs -> tasks -> runs -> matching -> models.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from pathcraft.code.analysis import Analysis, AnalysisOptions, analyze_repository
from pathcraft.code.gitrepo import is_ancestor, open_repo, resolve_commit, run_git
from pathcraft.code.history import HistoryState
from pathcraft.code.matching import aliases_for, match_identities, working_hours_for
from pathcraft.code.models import Repository
from pathcraft.code.report import analysis_to_dict
from pathcraft.errors import InputError, PathcraftError
from pathcraft.ops.jobs import report_progress

log = logging.getLogger("pathcraft.code.actions")  # the name the logs have always used


def _options(repository: Repository, **extra) -> AnalysisOptions:
    org_id = repository.team.organisation_id
    return AnalysisOptions(
        include=tuple(repository.include or ()),
        exclude=tuple(repository.exclude or ()),
        aliases=aliases_for(org_id),
        working_hours=working_hours_for(org_id),
        **extra,
    )


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:500]


def _commits_to_read(repository: Repository, state: HistoryState | None) -> int:
    """How many commits this run reads (git rev-list --count: far cheaper than the log itself)."""
    repo = open_repo(repository.path)
    commit = resolve_commit(repo, repository.ref or None)
    if state is not None and state.head and is_ancestor(repo, state.head, commit):
        revisions = [f"{state.head}..{commit}"]
    else:
        revisions = [commit]
    done = run_git(repo, ["rev-list", "--count", *revisions, "--"])
    text = done.stdout.decode().strip()
    return int(text) if done.returncode == 0 and text.isdigit() else 0


def run_analysis(
    repository_id: int, full: bool = False, progress: Callable[[int, int], None] | None = None
) -> Repository:
    """Analyse one repository (incrementally from its saved state unless FULL); what the background job runs.

    Progress (commits read of commits to read) is saved on the row as it goes, and given to PROGRESS(read, total)
    when a caller wants it too (the CLI): once with (0, total) before the history is read, then as the engine reports,
    ending at (total, total). Any failure is stored on the row as one line (status "failed"); nothing is raised to the
    worker. A run stopped by the user (Ctrl-C) is marked failed on the way out, so the row never stays "running"."""
    repository = Repository.objects.select_related("team").get(pk=repository_id)
    Repository.objects.filter(pk=repository.pk).update(
        status=Repository.Status.RUNNING, progress=0, progress_total=0, error=""
    )
    total = 0

    def record(_stage: str, count: int) -> None:
        Repository.objects.filter(pk=repository.pk).update(progress=count)
        report_progress()  # the job's progress_at, so a stalled analysis is told from a slow one
        if progress is not None:
            progress(count, max(total, count))

    try:
        state = None
        if repository.state and not full:
            try:
                state = HistoryState.from_dict(repository.state)
            except InputError:
                state = None  # an old format: a full run rebuilds it
        total = _commits_to_read(repository, state)
        Repository.objects.filter(pk=repository.pk).update(progress_total=total)
        if progress is not None:
            progress(0, total)
        options = _options(repository, ref=repository.ref or None)
        analysis = analyze_repository(repository.path, options, state=state, progress=record)
        report_dict = analysis_to_dict(analysis)
    except PathcraftError as exc:
        return _fail(repository, _one_line(exc))
    except Exception as exc:  # noqa: BLE001 - a broken repository must not kill the worker or show a traceback
        log.exception("code analysis failed", extra={"repository": repository.pk})
        return _fail(
            repository, f"the analysis failed unexpectedly ({type(exc).__name__}); see the server log"
        )
    except BaseException:
        # Ctrl-C or SystemExit in a CLI run: say so on the row, then let it stop the process.
        _fail(repository, "the analysis was stopped before it finished")
        raise
    with transaction.atomic():
        repository.state = analysis.state.to_dict()
        repository.report = report_dict
        repository.last_commit = analysis.commit
        repository.status = Repository.Status.DONE
        repository.progress = analysis.state.commits if not analysis.incremental else total
        repository.progress_total = total
        repository.error = ""
        repository.analysed_at = timezone.now()
        repository.save()
        match_identities(repository)
    after_analysis(repository)
    return repository


def after_analysis(repository: Repository) -> None:
    """Let other apps read the freshly analysed repository (the reviews app: its review trailers), through
    `after_code_analysis(repository)` callables on their AppConfig, so this app imports none of them. Their failure
    is logged and never fails the analysis, which is already saved."""
    for config in django_apps.get_app_configs():
        hook = getattr(config, "after_code_analysis", None)
        if not callable(hook):
            continue
        try:
            hook(repository)
        except Exception:  # noqa: BLE001 - another capability's failure must not undo or fail this one
            log.exception(
                "after-analysis hook failed", extra={"repository": repository.pk, "app": config.label}
            )


def _fail(repository: Repository, message: str) -> Repository:
    Repository.objects.filter(pk=repository.pk).update(status=Repository.Status.FAILED, error=message)
    repository.refresh_from_db()
    return repository


def load_analysis(repository: Repository, **extra) -> Analysis:
    """The last analysis again, from the saved state at the saved commit (reads no history; for what-ifs).

    EXTRA are AnalysisOptions such as idle_days, decay, reference_time; the alias table is the current one."""
    if not repository.last_commit or not repository.state:
        raise InputError(f"{repository.name} has not been analysed yet")
    options = _options(repository, ref=repository.last_commit, **extra)
    return analyze_repository(repository.path, options, state=HistoryState.from_dict(repository.state))


def remap(repository: Repository) -> Repository:
    """Rebuild the saved report from the saved state with the current alias table (no history is read)."""
    analysis = load_analysis(repository)
    report = analysis_to_dict(analysis)
    Repository.objects.filter(pk=repository.pk).update(report=report, state=analysis.state.to_dict())
    repository.refresh_from_db()
    return repository
