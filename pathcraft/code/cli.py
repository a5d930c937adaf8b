"""`pathcraft code ...`: knowledge in the code.

`analyze` and `leaves` read any local git repository and need no server or database. `repos`, `register`,
`refresh` and `knows` work on the repositories registered in the app (they set up Django first).

JSON (stable keys): `repos --json` is a list of {id, name, team, team_name, path, ref, include, exclude, status,
error, last_commit, analysed_at, commits_analysed, files_analysed, truck_factor, partial}; `register --json` is one
such row; `refresh --json` adds {incremental, commits_read} to each row (with `--queue`: the rows as queued);
`knows --json` is {person: {name, email}, repositories: [{repository, team, commit, analysed_at, files_analysed,
truck_factor, in_truck_factor, commits, first_commit, last_commit, files: [{path, module, language, doa,
doa_normalized, created, co_authors, only_author}], only_author: [path], modules: [{module, files, files_authored,
truck_factor, only_author, other_authors}], languages: [the same with language]}], files_authored,
files_only_author, timing: {commits, night, weekend, outside_working_hours, working_hours_known, timezone} or null
where the viewer may not see when the person commits}.

JSON is indented at a terminal and compact when piped or redirected (the git/git report is 3 MB).
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pathcraft.cli.output import echo_json
from pathcraft.errors import InputError, PathcraftError

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
        echo_json(data)
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
        echo_json(data)
    else:
        from pathcraft.code.render import print_leave

        print_leave(data)


def _db():
    """Django for the commands that read registered repositories (imported late: analyze stays light)."""
    from pathcraft.cli.main import setup_django

    setup_django()
    from pathcraft.code import commands as db

    return db


def _echo_json(data) -> None:
    echo_json(data)


def _row_line(row: dict) -> str:
    tf = "-" if row["truck_factor"] is None else row["truck_factor"]
    commit = (row["last_commit"] or "-")[:10]
    when = (row["analysed_at"] or "-")[:16].replace("T", " ")
    line = f"{row['name']:<24} {row['team']:<14} {row['ref']:<12} {commit:<10} {when:<16} {row['status']:<11} {tf!s:>3}"
    return line + (f"  ({row['error']})" if row["error"] else "")


@code.command("repos")
@click.option("--team", default=None, metavar="TEAM", help="Only this team's repositories (slug or name).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list (stable keys; see the module doc).")
def repos(team, as_json) -> None:
    """List the registered repositories: team, ref, last analysed commit and time, status, truck factor."""
    db = _db()
    rows = [db.repository_row(r) for r in db.repositories(team)]
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("No repository is registered yet: pathcraft code register --team TEAM PATH")
        return
    click.echo(
        f"{'repository':<24} {'team':<14} {'ref':<12} {'commit':<10} {'analysed (UTC)':<16} {'status':<11} {'TF':>3}"
    )
    for row in rows:
        click.echo(_row_line(row))


@code.command("register")
@click.argument("path", type=click.Path(path_type=str))
@click.option("--team", required=True, metavar="TEAM", help="The team that owns it (slug or name; ORG/TEAM).")
@click.option("--name", default=None, help="Name in the app (default: the folder's name without .git).")
@click.option("--ref", default="", help="Branch, tag or commit to analyse (default HEAD).")
@click.option("--include", multiple=True, metavar="GLOB", help="Only files matching a glob (repeatable).")
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Leave out files matching a glob (repeatable)."
)
@click.option("--remote", is_flag=True, help="PATH is a remote URL (https, ssh, git, file or git@host:path): "
              "the worker keeps a mirror and fetches it on a schedule.")  # fmt: skip
@click.option("--secret-file", type=click.File("r"), default=None,
              help="A file holding the access token or deploy key of a private remote (read once, stored encrypted).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the registered repository as JSON.")
def register(path, team, name, ref, include, exclude, remote, secret_file, as_json) -> None:
    """Register the git repository at PATH (a work tree or a bare mirror the server can read), or a remote URL
    with --remote, for TEAM."""
    db = _db()
    if remote:
        from pathcraft.code.remotes import register_remote_repository

        label = (name or "").strip() or path.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(
            ".git"
        )
        repository = register_remote_repository(db.find_team(team), label or "repository", path, ref,
                                                secret_file.read() if secret_file else "", include, exclude)  # fmt: skip
        click.echo(f"Registered {repository.name} for {repository.team.name}, a mirror of {repository.remote_shown}; "
                   "`pathcraft worker` clones and analyses it (or: pathcraft code refresh " + repository.name + ")")  # fmt: skip
        return
    repository = db.register(team, path, name, ref, include, exclude)
    row = db.repository_row(repository)
    if as_json:
        _echo_json(row)
        return
    click.echo(f"Registered {row['name']} for {row['team_name']} at {row['path']} (ref {row['ref']}); "
               f"analyse it with: pathcraft code refresh {row['name']}")  # fmt: skip
    for note in getattr(repository, "notes", None) or []:
        click.echo(f"note: {note}", err=True)


def _stderr_console():
    """A rich console on stderr when stderr is a terminal (progress is for people, not for pipes), else None."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console

    return Console(stderr=True)


def commits_line(name: str, read: int, total: int) -> str:
    """What the refresh progress shows beside its bar: REPOSITORY: read of total commits."""
    if not total:
        return f"{name}: {read:,} commits read"
    return f"{name}: {read:,} of {total:,} commits read"


@contextmanager
def _refresh_progress(count: int, console=None):
    """A rich bar of commits read of commits to read for the repository in hand (with [n/COUNT] when there are
    several), a spinner and the elapsed time, on stderr. Yields (started, progress) callbacks, or (None, None)
    when there is no terminal."""
    console = console or _stderr_console()
    if console is None:
        yield None, None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:  # fmt: skip
        task = bar.add_task("analysing…", total=None)
        current = {"name": "", "n": 0}

        def started(repository) -> None:
            current["n"] += 1
            prefix = f"[{current['n']}/{count}] " if count > 1 else ""
            current["name"] = prefix + repository.name
            bar.update(task, description=commits_line(current["name"], 0, 0), completed=0, total=None)

        def progress(read: int, total: int) -> None:
            done = read >= total > 0
            text = commits_line(current["name"], read, total) + ("; working out authorship" if done else "")
            bar.update(task, description=text, completed=read, total=total or None)

        yield started, progress


@code.command("refresh")
@click.argument("repo_name", required=False, metavar="[REPO_NAME]")
@click.option("--all", "every", is_flag=True, help="Every registered repository (of --team, if given).")
@click.option("--team", default=None, metavar="TEAM", help="Look the name up in this team (slug or name).")
@click.option("--full", is_flag=True, help="Read the whole history again instead of only the new commits.")
@click.option(
    "--queue", "to_queue", is_flag=True, help="Queue the analysis for the worker instead of running it now."
)
@click.option("--json", "as_json", is_flag=True, help="Print the rows after the run as JSON.")
def refresh(repo_name, every, team, full, to_queue, as_json) -> None:
    """Analyse REPO_NAME (or --all) now, reading only the commits since the last analysis; or --queue it."""
    db = _db()
    chosen = db.find_repositories(repo_name, every, team)
    if to_queue:
        rows = [db.repository_row(r) for r in db.queue(chosen, full=full)]
        if as_json:
            _echo_json(rows)
        else:
            for row in rows:
                click.echo(f"{row['name']} ({row['team']}): {row['status']}; `pathcraft worker` runs it")
        return
    with _refresh_progress(len(chosen)) as (started, progress):
        results = [r.to_dict() for r in db.refresh(chosen, full=full, started=started, progress=progress)]
    failed = [r for r in results if r["status"] != "done"]
    if as_json:
        _echo_json(results)
    else:
        for row in results:
            if row in failed:
                click.echo(f"{row['name']} ({row['team']}): failed: {row['error']}")
                continue
            how = (
                f"{row['commits_read']} new commit(s)"
                if row["incremental"]
                else f"{row['commits_read']} commits"
            )
            click.echo(f"{row['name']} ({row['team']}): analysed {how} up to {row['last_commit'][:10]}; "
                       f"{row['files_analysed']} files, truck factor {row['truck_factor']}")  # fmt: skip
    if failed:
        names = ", ".join(f"{r['name']}: {r['error']}" for r in failed)
        raise PathcraftError(f"{len(failed)} of {len(results)} analyses failed ({names})")


@code.command("knows")
@click.option("--person", "email", required=True, metavar="EMAIL", help="Whose knowledge to show.")
@click.option(
    "--as", "viewer_email", default=None, metavar="EMAIL", help="View as this person (default: PERSON)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable keys; see the module doc).")
def knows(email, viewer_email, as_json) -> None:
    """What PERSON knows across the analysed repositories: files they author (DOA), and those only they know."""
    db = _db()
    person = db.find_person(email)
    viewer = person
    if viewer_email and viewer_email.strip().lower() != person.email.lower():
        from pathcraft.people.permissions import can_view
        from pathcraft.people.policy import Kind

        viewer = db.find_person(viewer_email)
        if viewer.user is None or not can_view(viewer.user, person, Kind.CODE_KNOWLEDGE):
            raise InputError(f"{viewer.email} may not see what {person.email} knows in the code")
    data = db.knowledge_json(viewer, person)
    if as_json:
        _echo_json(data)
        return
    _print_knows(data)


def _print_knows(data: dict) -> None:
    who = data["person"]["name"]
    rows = data["repositories"]
    if not rows:
        click.echo(f"{who} has no commits in any analysed repository.")
        return
    where = "1 analysed repository" if len(rows) == 1 else f"{len(rows)} analysed repositories"
    click.echo(f"{who} authors {data['files_authored']} file(s) in {where}; "
               f"{data['files_only_author']} only they know.")  # fmt: skip
    timing = data["timing"]
    if timing and timing["commits"]:
        hours = "their working hours" if timing["working_hours_known"] else "default office hours"
        click.echo(f"Of {timing['commits']} commits ({timing['timezone']} time): {timing['night']} at night, "
                   f"{timing['weekend']} at weekends, {timing['outside_working_hours']} outside {hours}.")  # fmt: skip
    for repo in rows:
        when = (repo["analysed_at"] or "-")[:16].replace("T", " ")
        click.echo(f"\n{repo['repository']} ({repo['team']}), analysed {when} UTC at {(repo['commit'] or '-')[:10]}: "
                   f"{repo['commits']} commit(s), the last on {(repo['last_commit'] or '-')[:10]}")  # fmt: skip
        if repo["only_author"]:
            click.echo(f"  only {who} knows: {', '.join(repo['only_author'])}")
        for group in (*repo["modules"], *repo["languages"]):
            name = f"module {group['module']}" if "module" in group else f"language {group['language']}"
            if group["only_author"]:
                click.echo(f"  single point of failure: {name} ({group['files']} files, truck factor "
                           f"{group['truck_factor']})")  # fmt: skip
        if not repo["files"]:
            click.echo("  authors no file (changes too few to count as knowing one)")
            continue
        click.echo(f"  {'file':<40} {'DOA':>6} {'norm':>5} {'co-authors':>10}")
        for f in repo["files"]:
            click.echo(
                f"  {f['path']:<40} {f['doa']:>6.2f} {f['doa_normalized']:>5.2f} {f['co_authors']:>10}"
            )


commands = [code]
