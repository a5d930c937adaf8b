"""Background jobs in the JSON API: what `pathcraft jobs` shows, for the installation's administrators only.

A job's arguments and traceback are never returned (they may name a person or carry a secret); its state,
attempts, progress_at and one-line error are (pathcraft/ops/jobs.py: describe)."""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router

from pathcraft.api.pagination import paginated
from pathcraft.api.types import Name, Object, Objects, PathKey, ok
from pathcraft.errors import InputError
from pathcraft.ops import jobs
from pathcraft.people.permissions import is_admin

router = Router(tags=["operations"])


def _require_admin(request) -> None:
    if not is_admin(request.user):
        raise PermissionDenied("only an administrator sees the background jobs")


class _NewestJobs:
    """The job list as the paginator cuts it: only the page asked for is read and described, newest first."""

    def __init__(self, states: tuple[str, ...]) -> None:
        self.states = states

    def __getitem__(self, page: slice) -> list[dict]:
        return jobs.recent(self.states, page.stop)[page.start :]

    def __len__(self) -> int:
        return jobs.count(self.states)


@router.get("/jobs", response=ok(Objects, 400, 403))
@paginated
def list_jobs(request, state: Annotated[list[Name], Query(max_length=20)] = []):  # noqa: B006 - ninja copies it
    """The newest background jobs: state (queued, retrying, running, stalled, done, failed, parked), attempts,
    progress_at, next try, error."""
    _require_admin(request)
    unknown = sorted(set(state) - set(jobs.STATES))
    if unknown:
        raise InputError(f"unknown job state {', '.join(unknown)}: use one of {', '.join(jobs.STATES)}")
    return _NewestJobs(tuple(state))


@router.get("/jobs/{job_id}", response=ok(Object, 403, 404))
def get_job(request, job_id: PathKey):
    """One background job's state."""
    _require_admin(request)
    from django.core.exceptions import ValidationError
    from django_tasks_db.models import DBTaskResult

    try:
        job = DBTaskResult.objects.select_related("pathcraft_lease").get(pk=job_id)
    except (DBTaskResult.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    return jobs.describe(job)
