"""System checks of operations settings, run by `pathcraft check` (deployment ones with --deploy/production)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from pathcraft.errors import PathcraftError


@checks.register("pathcraft")
def check_backup_key_format(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A malformed PATHCRAFT_BACKUP_KEY fails every backup: say so before the first one is due."""
    from pathcraft.ops.backup import configured_keys

    try:
        configured_keys()
    except PathcraftError as exc:
        return [checks.Error(str(exc), hint="Generate one with `pathcraft backup-key`.", id="pathcraft.E101")]
    return []


@checks.register("pathcraft", deploy=True)
def check_backup_key_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Production without its own backup key: an error, because the failure is silent until a restore.

    Without it, backups are sealed with a key derived from SECRET_KEY, so rotating or losing the secret
    makes every earlier backup's private fields unrecoverable and a new host cannot restore. A warning
    would be read for the first time on the day of the restore; a deployment check that fails is seen
    the day it is set up, and the fix is one command. Only the deployment checks (``--deploy``, always on
    with PATHCRAFT_PRODUCTION=1) raise it, so `migrate` and `serve` keep working on an upgrade.
    """
    if not settings.PRODUCTION or getattr(settings, "BACKUP_KEY", ""):
        return []
    return [
        checks.Error(
            "PATHCRAFT_BACKUP_KEY is not set: backups would be sealed with a key derived from SECRET_KEY, so "
            "rotating the secret key or restoring on another host would lose their private fields",
            hint="Run `pathcraft backup-key`, store the key apart from the backups (docs/backup.md) and set "
            "PATHCRAFT_BACKUP_KEY.",
            id="pathcraft.E102",
        )
    ]
