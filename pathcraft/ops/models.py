"""Operations bookkeeping: when the scheduler last enqueued each periodic task."""

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
