"""The `pathcraft` command: one click group; each app adds its commands from its own cli.py."""

from __future__ import annotations

import importlib
import os
import sys

import click

from pathcraft.errors import PathcraftError

# Each module exports `commands`: a list of click commands or groups.
COMMAND_MODULES = [
    "pathcraft.ops.cli",
    "pathcraft.people.cli",
    "pathcraft.paths.cli_fit",
    "pathcraft.paths.cli_framework",
    "pathcraft.paths.cli",
    "pathcraft.feedback.cli",
    "pathcraft.workload.cli_calendar",
    "pathcraft.workload.cli_overlap",
    "pathcraft.workload.cli",
    "pathcraft.code.cli",
    "pathcraft.growth.cli",
]


def setup_django() -> None:
    """Configure Django for commands that need the database (pure commands never call this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
    import django

    django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathcraft")
def cli() -> None:
    """pathcraft: career paths beyond the single ladder, and team health without surveillance.

    Commands that analyse files (fit, calendar, overlap, code) need no server and no database.
    """


def _load_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that app has no CLI (yet); anything else is a real error
                continue
            raise
        for command in getattr(module, "commands", []):
            cli.add_command(command)


_load_commands()


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one line on stderr and exit status 2."""
    try:
        cli.main(args=argv, prog_name="pathcraft", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "pathcraft"
        click.echo(f"error: {exc.format_message()} (see '{where} --help')", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except PathcraftError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if os.environ.get("PATHCRAFT_DEBUG"):
            raise
        click.echo(f"error: {type(exc).__name__}: {exc} (set PATHCRAFT_DEBUG=1 for details)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
