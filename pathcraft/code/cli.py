"""`pathcraft code analyze` and `pathcraft code leaves`: knowledge in the code from any local git repository."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pathcraft.errors import InputError

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def _parse_aliases(values: tuple[str, ...]) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for value in values:
        label, sep, handles = value.partition("=")
        if not sep or not label.strip() or not handles.strip():
            raise InputError(f"--alias wants PERSON=EMAIL_OR_NAME[,...], not {value!r}")
        aliases.setdefault(label.strip(), []).extend(h.strip() for h in handles.split(",") if h.strip())
    return aliases


@contextmanager
def _progress(enabled: bool):
    """A rich spinner with the commit count on stderr while git log streams (only on a terminal)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("reading history…")

        def report(what: str, count: int) -> None:
            bar.update(task, description=f"reading history: {count:,} {what}")

        yield report


def _common(func):
    options = [
        click.argument("repo", type=click.Path(file_okay=False, path_type=str)),
        click.option("--ref", default=None, help="Branch, tag or commit to analyse (default HEAD)."),
        click.option(
            "--as-of", "as_of", type=click.DateTime(DATE_FORMATS), default=None,
            help="Analyse the last commit of REF on or before this date (UTC; a date means its end).",
        ),
        click.option("--include", multiple=True, metavar="GLOB", help="Only files matching a glob (repeatable)."),
        click.option("--exclude", multiple=True, metavar="GLOB", help="Leave out files matching a glob (repeatable)."),
        click.option("--module-depth", type=click.IntRange(0), default=None, help="Directory levels that make a module (default 1)."),
        click.option(
            "--author-rule", type=click.Choice(["reference", "paper"]), default=None,
            help="reference: the published tool's rule (default); paper: DOA >= 3.293 for everyone.",
        ),
        click.option("--alias", multiple=True, metavar="PERSON=HANDLE,...", help="Merge these emails/names into one person."),
        click.option("--bot", multiple=True, metavar="REGEX", help="Extra bot pattern; bot commits count for nobody."),
        click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (see docs/code.md)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _options(ref, as_of, include, exclude, module_depth, author_rule, alias, bot, **extra):
    from pathcraft.code.analysis import AnalysisOptions

    return AnalysisOptions(
        ref=ref,
        as_of=as_of,
        include=tuple(include),
        exclude=tuple(exclude),
        module_depth=module_depth,
        author_rule=author_rule,
        aliases=_parse_aliases(alias),
        extra_bots=tuple(bot),
        **extra,
    )


def _load_state(path: Path | None):
    from pathcraft.code.history import HistoryState

    if path is None or not path.exists():
        return None
    try:
        return HistoryState.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a saved analysis state ({exc})") from exc


@click.group(name="code")
def code() -> None:
    """Knowledge in the code: degree of authorship, truck factor, what a departure would orphan."""


@code.command()
@_common
@click.option(
    "--idle-days", type=click.IntRange(0), default=None, help="Treat developers idle this long as gone."
)
@click.option("--decay", is_flag=True, help="Weight changes by exp(-days/90) over the last 547 days.")
@click.option(
    "--state", "state_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Read and update a saved state here: later runs read only the new commits.",
)  # fmt: skip
def analyze(repo, as_json, idle_days, decay, state_file, **kwargs) -> None:
    """Truck factor of REPO, who authors what, per module and language."""
    from pathcraft.code.analysis import analyze_repository
    from pathcraft.code.report import analysis_to_dict

    options = _options(**kwargs, idle_days=idle_days, decay=decay)
    with _progress(True) as report:
        analysis = analyze_repository(repo, options, state=_load_state(state_file), progress=report)
    if state_file is not None:
        state_file.write_text(json.dumps(analysis.state.to_dict()), encoding="utf-8")
    data = analysis_to_dict(analysis)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        from pathcraft.code.render import print_analysis

        print_analysis(data)


@code.command()
@_common
@click.option("--person", multiple=True, metavar="EMAIL", help="Who leaves: an email or name (repeatable).")
@click.option("--idle-days", type=click.IntRange(0), default=None, help="Everyone idle this long leaves.")
def leaves(repo, as_json, person, idle_days, **kwargs) -> None:
    """What if PERSON leaves: orphaned files, successors, coverage and truck factor before and after."""
    from pathcraft.code.analysis import analyze_repository
    from pathcraft.code.report import leave_to_dict

    if not person and idle_days is None:
        raise InputError("say who leaves: --person EMAIL (repeatable) or --idle-days N")
    with _progress(True) as report:
        analysis = analyze_repository(repo, _options(**kwargs), progress=report)
    leavers = {analysis.identities.find(p) for p in person}
    if idle_days is not None:
        leavers |= set(analysis.idle_developers(idle_days))
    data = leave_to_dict(analysis, analysis.leave(leavers))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        from pathcraft.code.render import print_leave

        print_leave(data)


commands = [code]
