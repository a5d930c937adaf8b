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
    "pathcraft.reviews.cli",  # adds `code reviews` to the code group (pathcraft.code never imports reviews)
    "pathcraft.growth.cli",
    "pathcraft.sso.cli",
    "pathcraft.provisioning.cli",
]

# Which modules to import for one command, so `pathcraft code …` does not import the calendar and framework
# libraries (half a second). A name not listed here loads every module; a test keeps the table in step.
COMMAND_SOURCES = {
    **dict.fromkeys(
        ["serve", "migrate", "demo", "export", "restore", "worker", "schedule", "token", "manage", "check"],
        ("pathcraft.ops.cli",),
    ),
    "unlock": ("pathcraft.ops.cli",),
    "backup-key": ("pathcraft.ops.cli",),
    "status": ("pathcraft.ops.cli",),
    "jobs": ("pathcraft.ops.cli",),
    "import": ("pathcraft.people.cli",),
    "people": ("pathcraft.people.cli",),
    "fit": ("pathcraft.paths.cli_fit",),
    "framework": ("pathcraft.paths.cli_framework", "pathcraft.paths.cli"),  # paths.cli adds import and list
    "feedback": ("pathcraft.feedback.cli",),
    "calendar": ("pathcraft.workload.cli_calendar",),
    "overlap": ("pathcraft.workload.cli_overlap",),
    "workload": ("pathcraft.workload.cli",),
    "code": ("pathcraft.code.cli", "pathcraft.reviews.cli"),
    "growth": ("pathcraft.growth.cli",),
    "sso": ("pathcraft.sso.cli",),
    "leave": ("pathcraft.provisioning.cli",),
}


def setup_django() -> None:
    """Configure Django for commands that need the database (pure commands never call this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
    import django

    django.setup()


class _AppCommands(click.Group):
    """The root group; the apps' commands are added on first use, not when this module is imported.

    An app's cli.py imports `setup_django` from here: loading every app's commands at import time made
    `import pathcraft.growth.cli` before this module see its own half-imported module and lose its commands.
    """

    _loaded = False

    @property
    def commands(self) -> dict[str, click.Command]:
        self.load()
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        # Straight into the table: going through `commands` would load every app's commands.
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._commands[name] = cmd

    def load(self) -> None:
        if not self._loaded:
            self._loaded = True
            _load_commands(self)

    def list_commands(self, ctx):
        self.load()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        if not self._loaded and name in COMMAND_SOURCES:
            _load_commands(self, COMMAND_SOURCES[name])
            found = self._commands.get(name)
            if found is not None:
                return found
        self.load()
        return super().get_command(ctx, name)


@click.group(cls=_AppCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pathcraft")
def cli() -> None:
    """pathcraft: career paths beyond the single ladder, and team health without surveillance.

    Commands that analyse files (fit, calendar, overlap, code) need no server and no database.
    """


def _load_commands(group: click.Group, modules=COMMAND_MODULES) -> None:
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that app has no CLI (yet); anything else is a real error
                continue
            raise
        for command in getattr(module, "commands", []):
            group.add_command(command)


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
