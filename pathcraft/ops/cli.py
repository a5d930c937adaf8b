"""Operations: serve, migrate, demo, backup and restore, background worker, API tokens, Django passthrough."""

from __future__ import annotations

from pathlib import Path

import click

from pathcraft.cli.main import setup_django
from pathcraft.errors import InputError, PathcraftError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload/--no-reload", default=False, show_default=True, help="Restart on code changes.")
@click.option(
    "--production/--development",
    default=None,
    help="gunicorn (the default when PATHCRAFT_PRODUCTION=1) or Django's development server.",
)
@click.option("--workers", type=click.IntRange(min=1), help="gunicorn worker processes [2 x cores + 1].")
@click.option("--threads", type=click.IntRange(min=1), help="Threads per gunicorn worker [2].")
def serve(
    host: str, port: int, reload: bool, production: bool | None, workers: int | None, threads: int | None
) -> None:
    """Serve the web app and API: gunicorn in production (JSON access logs; SIGTERM finishes the requests in
    hand, SIGHUP reloads), Django's development server otherwise (what `make demo` runs)."""
    setup_django()
    from django.conf import settings

    if production is None:
        production = settings.PRODUCTION
    if production:
        import os

        from pathcraft.ops.server import gunicorn_argv

        if settings.STATIC_ROOT and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            # Every page would fail on its stylesheet; say so once, before gunicorn starts.
            raise PathcraftError(
                f"no static files collected in {settings.STATIC_ROOT}: run `pathcraft migrate`"
            )

        argv = gunicorn_argv(host, port, workers, threads)
        os.execv(argv[0], argv)  # gunicorn becomes this process: systemd's signals reach it directly
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=reload)


@click.command()
def migrate() -> None:
    """Create or update the database tables (and the data folder, for a new SQLite installation)."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)

    call_command("migrate", interactive=False, verbosity=1)
    if settings.PRODUCTION:
        # Upgrades are "migrate, then restart": collecting here means new static files can never be forgotten.
        call_command("collectstatic", interactive=False, verbosity=0)
        click.echo(f"Static files collected in {settings.STATIC_ROOT}")


@click.command()
@click.option(
    "--reset", is_flag=True, help="Delete the SQLite database file first (refused for other databases)."
)
@click.option(
    "--size",
    type=click.IntRange(min=70, max=200_000),
    default=None,
    help="Generate an organisation of this many people (the small demo whole inside it, under a CEO).",
)
def demo(reset: bool, size: int | None) -> None:
    """Migrate and load the demo organisation (about 60 people, or --size N) into the configured database."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if reset:
        if connection.vendor != "sqlite":
            raise PathcraftError("--reset only deletes a SQLite file; empty other databases yourself")
        connection.close()
        Path(settings.DATABASES["default"]["NAME"]).unlink(missing_ok=True)
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import DEMO_PASSWORD

    logins = load_demo(progress=lambda name: click.echo(f"  demo data: {name}", err=True), size=size)
    click.echo("Demo organisation loaded. Log in at http://127.0.0.1:8000/ with password " + DEMO_PASSWORD)
    for role in ("engineer", "manager", "director", "ceo", "admin"):
        if role not in logins:
            continue
        click.echo(f"  as {role + ':':<10} {logins[role]}")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_cmd(file: Path) -> None:
    """Write a full backup of the installation to FILE.json (re-loadable with `pathcraft restore`)."""
    setup_django()
    from pathcraft.ops.backup import SECRET_KEY_SEAL, sealing_fingerprint, write_backup

    counts = write_backup(file)
    sealed = sealing_fingerprint()
    click.echo(f"Wrote {sum(counts.values())} records to {file}, private fields sealed with "
               + ("the SECRET_KEY-derived key (set PATHCRAFT_BACKUP_KEY, see docs/backup.md)"
                  if sealed == SECRET_KEY_SEAL else f"backup key {sealed}"))  # fmt: skip


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Load a backup written by `pathcraft export` into an empty installation (all or nothing)."""
    setup_django()
    from django.core.management import call_command

    from pathcraft.ops.backup import read_backup, restore_backup

    document = read_backup(file)
    call_command("migrate", interactive=False, verbosity=0)
    counts = restore_backup(document)
    click.echo(f"Restored {sum(counts.values())} records from {file}")


@click.command()
@click.option(
    "--batch", is_flag=True, help="Enqueue the periodic tasks that are due, run what is queued, then exit."
)
@click.option("--max-tasks", type=int, default=None, help="Exit after this many tasks.")
@click.option(
    "--interval", type=float, default=1.0, show_default=True, help="Seconds between polls when idle."
)
@click.option(
    "--schedule/--no-schedule", default=True, show_default=True,
    help="Enqueue the apps' periodic tasks (e.g. reminder emails) when due; safe with several workers.",
)  # fmt: skip
@click.option(
    "--schedule-every", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
    help="Seconds between looks for due periodic tasks.",
)  # fmt: skip
def worker(
    batch: bool, max_tasks: int | None, interval: float, schedule: bool, schedule_every: float
) -> None:
    """Run background jobs from the database queue, and enqueue periodic ones when due.

    SIGTERM finishes the job in hand and leaves queued jobs queued. `pathcraft schedule` lists the periodic
    tasks.
    """
    setup_django()
    from pathcraft.ops.worker import run_worker

    run_worker(batch=batch, max_tasks=max_tasks, interval=interval, schedule=schedule,
               schedule_every=schedule_every)  # fmt: skip


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print what /readyz answers, as JSON.")
def status(as_json: bool) -> None:
    """Is this installation ready: database, migrations, a worker seen recently, the queue (as /readyz).

    Exits 0 when ready, 1 when not."""
    setup_django()
    import json

    from pathcraft.ops.health import readiness

    report = readiness()
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        click.echo("ready" if report["ready"] else "NOT READY")
        for name, check in report["checks"].items():
            details = ", ".join(f"{k} {v}" for k, v in check.items() if k not in ("ok", "reason"))
            mark = "ok  " if check["ok"] else "FAIL"
            line = f"  {mark} {name}" + (f": {details}" if details else "")
            click.echo(line + (f" ({check['reason']})" if check.get("reason") else ""))
    raise SystemExit(0 if report["ready"] else 1)


@click.command()
@click.option("--tick", is_flag=True, help="Enqueue the tasks that are due now (what the worker does).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: a list of {task, every_seconds, "
              "last_enqueued_at, next_due_at, open_runs}.")  # fmt: skip
def schedule(tick: bool, as_json: bool) -> None:
    """The periodic tasks the apps declare: interval, last enqueued, next due, runs queued or running."""
    setup_django()
    import json

    from pathcraft.ops import scheduler

    if tick:
        for result in scheduler.tick():
            if not as_json:
                click.echo(f"{result.task}: {result.reason}")
    rows = scheduler.status()
    items = _scheduled_items()
    if as_json:
        click.echo(json.dumps(rows + items, indent=1))
        return
    for row in rows:
        every = row["every_seconds"] / 60
        click.echo(f"{row['task']}: every {every:g} min, last enqueued {row['last_enqueued_at'] or 'never'}, "
                   f"next due {row['next_due_at']}, queued or running {row['open_runs']}")  # fmt: skip
    if not rows:
        click.echo("No periodic tasks are declared.")
    for item in items:
        click.echo(f"  {item['item']}: every {item['every_seconds'] / 60:g} min, next run "
                   f"{item['next_due_at'] or 'paused'}, last synced {item['last_synced_at'] or 'never'}, "
                   f"{item['state']}")  # fmt: skip


def _scheduled_items() -> list[dict]:
    """What the apps schedule inside a periodic task (each calendar feed's own next run), as schedule rows."""
    from django.apps import apps

    items = []
    for config in apps.get_app_configs():
        for row in getattr(config, "schedule_rows", lambda: [])():
            items.append({
                "task": row["task"], "item": row["item"], "every_seconds": row["every_minutes"] * 60,
                "next_due_at": row["next_run_at"], "last_synced_at": row["last_synced_at"], "state": row["state"],
            })  # fmt: skip
    return items


@click.group()
def token() -> None:
    """API tokens for scripts."""


@token.command("create")
@click.argument("username", required=False)
@click.option("--name", default=None, help="What the token is for (default: script, or scim with --scim).")
@click.option(
    "--scim", is_flag=True, help="A SCIM provisioning token for /scim/v2/ (no USERNAME; opens only SCIM)."
)
@click.option(
    "--org", "org_slug", default=None, help="With --scim: the organisation (default: the only one)."
)
def token_create(username: str | None, name: str | None, scim: bool, org_slug: str | None) -> None:
    """Create a token for USERNAME (or, with --scim, for the identity provider) and print it once.

    Only its hash is stored. A SCIM token opens /scim/v2/ of one organisation and nothing else; an API token
    opens the JSON API as USERNAME and not SCIM."""
    setup_django()
    from django.contrib.auth import get_user_model

    from pathcraft.api.models import ApiToken

    if scim:
        if username:
            raise InputError("a SCIM token belongs to the organisation, not a user: drop USERNAME")
        from pathcraft.people.models import Organisation
        from pathcraft.provisioning.models import ScimToken

        orgs = Organisation.objects.filter(slug=org_slug) if org_slug else Organisation.objects.all()
        found = list(orgs[:2])
        if not found:
            raise InputError(f"no organisation with slug {org_slug!r}" if org_slug else "no organisation yet")
        if len(found) > 1:
            raise InputError("several organisations exist: choose one with --org")
        _, clear = ScimToken.issue(found[0], name or "scim")
        click.echo(clear)
        return
    if not username:
        raise InputError("give the USERNAME the API token acts as (or --scim for a provisioning token)")
    name = name or "script"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InputError(f"no user named {username!r}")
    _, clear = ApiToken.issue(user, name)
    click.echo(clear)


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `pathcraft manage createsuperuser`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pathcraft manage", *args])


@click.command()
@click.option(
    "--deploy", is_flag=True, help="Also run the deployment checks (always on with PATHCRAFT_PRODUCTION=1)."
)
def check(deploy: bool) -> None:
    """Run Django's system checks on the configuration."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("check", deploy=deploy or settings.PRODUCTION)


@click.command()
@click.argument("who")
def unlock(who: str) -> None:
    """Lift a login lockout for WHO: a user name or a client IP address."""
    setup_django()
    import ipaddress

    from axes.utils import reset

    try:
        ipaddress.ip_address(who)
    except ValueError:
        count = reset(username=who)
    else:
        count = reset(ip=who)
    if not count:
        raise InputError(f"no failed logins recorded for {who!r}")
    click.echo(f"Lifted the lockout for {who} ({count} record(s) removed).")


@click.command("backup-key")
@click.option(
    "--fingerprints", is_flag=True, help="Show the fingerprints of the keys in PATHCRAFT_BACKUP_KEY instead."
)
def backup_key(fingerprints: bool) -> None:
    """Generate a new backup key for PATHCRAFT_BACKUP_KEY (prints the key once, and its fingerprint).

    Keep it apart from the backups (docs/backup.md). To rotate, put the new key first and keep the old
    ones after it, comma-separated: the first seals new backups, all of them open old ones.
    """
    from pathcraft.ops.backup import fingerprint, generate_key

    if fingerprints:
        setup_django()
        from pathcraft.ops.backup import configured_keys

        keys = configured_keys()
        if not keys:
            raise PathcraftError("PATHCRAFT_BACKUP_KEY is not set; `pathcraft backup-key` generates one")
        for position, key in enumerate(keys, start=1):
            click.echo(f"{position}. {fingerprint(key)}{'  (seals new backups)' if position == 1 else ''}")
        return
    key = generate_key()
    click.echo(key)
    click.echo(f"fingerprint {fingerprint(key)}: set PATHCRAFT_BACKUP_KEY={key} and store the key apart from "
               "the backups (docs/backup.md)", err=True)  # fmt: skip


@click.command()
@click.option(
    "--state", "states", multiple=True, type=click.Choice(["queued", "retrying", "running", "stalled", "done",
    "failed", "parked"]), help="Only jobs in this state (repeat for several).",
)  # fmt: skip
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Newest jobs first.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, task, state, attempts, "
              "max_attempts, enqueued_at, started_at, progress_at, lease_until, next_try_at, finished_at, "
              "stalled, error}.")  # fmt: skip
def jobs(states: tuple[str, ...], limit: int, as_json: bool) -> None:
    """Background jobs, newest first: state, attempts, last progress, and the error of failed and parked ones.

    A running job whose progress_at is old is "stalled" (data/jobs.yaml: stalled_after_seconds); a job whose worker
    died is queued again after its lease; one that failed max_attempts times is "parked". Job arguments are never
    shown (they may name a person)."""
    setup_django()
    import json

    from pathcraft.ops import jobs as job_states

    found = job_states.recent(tuple(states), limit)
    if as_json:
        click.echo(json.dumps(found, indent=2))
        return
    if not found:
        click.echo("no jobs" + (f" in state {', '.join(states)}" if states else ""))
        return
    for job in found:
        line = (
            f"{job['id']}  {job['state']:<8}  {job['task']}  attempt {job['attempts']}/{job['max_attempts']}"
        )
        if job["progress_at"] and job["state"] in ("running", "stalled"):
            line += f", progress at {job['progress_at']}"
        if job["next_try_at"]:
            line += f", next try at {job['next_try_at']}"
        if job["error"]:
            line += f": {job['error']}"
        click.echo(line)


commands = [
    serve,
    migrate,
    demo,
    export_cmd,
    restore,
    worker,
    jobs,
    schedule,
    status,
    token,
    manage,
    check,
    unlock,
    backup_key,
]
