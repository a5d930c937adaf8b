"""Operations bookkeeping: periodic tasks' last enqueue, workers' heartbeats, background jobs' leases."""

from __future__ import annotations

from django.db import models


class PeriodicTaskState(models.Model):
    """One row per periodic task path. Shared by every worker process, so a restart or a second worker
    does not enqueue the same task again within its interval. Bookkeeping: not part of backups."""

    BACKUP_EXCLUDED = True

    task_path = models.CharField(max_length=255, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_result_id = models.CharField(max_length=64, blank=True)  # the DBTaskResult it created

    class Meta:
        ordering = ["task_path"]

    def __str__(self) -> str:
        return f"{self.task_path} (last enqueued {self.last_enqueued_at or 'never'})"


class WorkerHeartbeat(models.Model):
    """One row per worker process (host and pid), touched every scheduler interval: `/readyz` and
    `pathcraft status` read when a worker was last seen. Bookkeeping: not part of backups."""

    BACKUP_EXCLUDED = True

    name = models.CharField(max_length=255, unique=True)  # "host:pid"
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.name


class JobLease(models.Model):
    """pathcraft's record of one background job (a django-tasks DBTaskResult) beside the queue's own row: how
    many times it was started, which worker holds it and until when (the lease, renewed while the worker lives),
    when the job last reported progress, and why the last attempt failed. A job with a lease past its time is
    queued again (pathcraft/ops/jobs.py); one that failed `max_attempts` times is parked. Bookkeeping: not part of
    backups (the queue is not either)."""

    BACKUP_EXCLUDED = True

    result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="pathcraft_lease",
    )
    attempts = models.PositiveIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True)  # the holder of the current or last attempt
    lease_until = models.DateTimeField(null=True, blank=True, db_index=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)  # one line, secrets blanked (job_policy)
    parked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"job {self.result_id} (attempt {self.attempts})"
