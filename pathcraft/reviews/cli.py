"""`pathcraft code reviews REPO`: who reviews how much, and how fairly, from git trailers, merges and exports.

It joins the `code` group of pathcraft/code/cli.py (the code engine knows nothing of reviews: this module adds
the command to that group, as paths/cli.py does for `framework`). Pure: no server, no database.

JSON (stable keys): {repository, head, commits_read, since, sources: {git, github, gitlab}, events,
people: [{person, name, given, share, received, by_kind: {kind: changes}}], team: {counts, shares, total, gini,
normalised_gini, enough_data, reason, top, top_share, top_over_fair, above_alert_line,
concentration_people, concentration_share, summary: the pages' "N people give X%"},
modules: {module: {person: changes}} (with --modules)}.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import UTC

import click

from pathcraft.cli.output import echo_json
from pathcraft.code.cli import DATE_FORMATS, code
from pathcraft.errors import InputError
from pathcraft.reviews.trailers import MERGE_POLICIES


@contextmanager
def _progress():
    """A spinner with the commit count on stderr while git log streams (only on a terminal)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=Console(stderr=True),
        transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("reading history…")
        yield lambda count: bar.update(task, description=f"reading history: {count:,} commits")


def _aliases(values: tuple[str, ...]) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {}
    for value in values:
        label, sep, handles = value.partition("=")
        if not sep or not label.strip() or not handles.strip():
            raise InputError(f"--alias wants PERSON=EMAIL_OR_NAME[,...], not {value!r}")
        aliases.setdefault(label.strip(), []).extend(h.strip() for h in handles.split(",") if h.strip())
    return aliases


@code.command("reviews")
@click.argument("repo", type=click.Path(file_okay=False, path_type=str))
@click.option("--ref", default=None, help="Branch, tag or commit to read up to (default HEAD).")
@click.option(
    "--since",
    type=click.DateTime(DATE_FORMATS),
    default=None,
    help="Only reviews on or after this date (UTC).",
)
@click.option(
    "--github",
    "github",
    multiple=True,
    metavar="DIR",
    help="A folder of GitHub API exports (pulls.json, pulls/N/reviews.json, …) or its pulls.json; repeatable.",
)
@click.option(
    "--gitlab",
    "gitlab",
    multiple=True,
    metavar="DIR",
    help="A folder of GitLab API exports (merge_requests.json, merge_requests/IID/…); repeatable.",
)
@click.option(
    "--merges",
    type=click.Choice(MERGE_POLICIES),
    default="pull-requests",
    show_default=True,
    help="Which merge commits count as the merger's review of the branch.",
)
@click.option(
    "--modules", is_flag=True, help="Also read the files each commit changed: reviewers per module."
)
@click.option(
    "--module-depth",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Directory levels that make a module.",
)
@click.option(
    "--alias", multiple=True, metavar="PERSON=HANDLE,...", help="Merge these emails/names into one person."
)
@click.option(
    "--bot", multiple=True, metavar="REGEX", help="Extra bot pattern; bots' reviews count for nobody."
)
@click.option(
    "--include-self", is_flag=True, help="Count reviews of one's own changes too (git shortlog does)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (keys: see the module doc).")
def reviews(
    repo, ref, since, github, gitlab, merges, modules, module_depth, alias, bot, include_self, as_json
):
    """Per-person review counts, shares and the team's Gini for REPO (trailers, merges, GitHub/GitLab exports)."""  # fmt: skip
    from pathcraft.code.defaults import load_defaults
    from pathcraft.reviews.forges import read_github, read_gitlab
    from pathcraft.reviews.load import load_to_dict, resolve_reviewers
    from pathcraft.reviews.trailers import read_git_reviews

    since_utc = since.replace(tzinfo=UTC) if since is not None else None
    with _progress() as report:
        found = read_git_reviews(repo, ref, paths=modules, merges=merges, since=since_utc, progress=report)
    events = list(found.events)
    sources = {"git": len(events), "github": 0, "gitlab": 0}
    for name, reader, folders in (("github", read_github, github), ("gitlab", read_gitlab, gitlab)):
        for folder in folders:
            read = [e for e in reader(folder) if since_utc is None or e.at >= since_utc]
            sources[name] += len(read)
            events.extend(read)
    reviewers = resolve_reviewers(
        events, found.mailmap, (*load_defaults().bot_patterns, *bot), _aliases(alias)
    )
    data = {
        "repository": repo,
        "head": found.head,
        "commits_read": found.commits,
        "since": since_utc.date().isoformat() if since_utc else None,
        "sources": sources,
        **load_to_dict(events, reviewers, None, module_depth, not include_self, modules),
    }
    if as_json:
        echo_json(data)
        return
    _print(data)


def _print(data: dict) -> None:
    team = data["team"]
    click.echo(
        f"{data['repository']} up to {data['head'][:10]} ({data['commits_read']:,} commits read): "
        f"{team['total']:,} reviews by {len(team['counts'])} people"
    )
    sources = ", ".join(f"{n} {name}" for name, n in data["sources"].items() if n)
    click.echo(f"events: {sources or 'none'}")
    if team["gini"] is not None:
        click.echo(f"Gini {team['gini']:.3f} (normalised {team['normalised_gini']:.3f}); {team['reason']}")
    else:
        click.echo(team["reason"])
    click.echo(team["summary"])
    if not data["people"]:
        return
    givers = [row for row in data["people"] if row["given"]]
    click.echo(f"\n{'person':<48} {'reviews':>7} {'share':>6} {'received':>8}")
    for row in givers:
        label = f"{row['name']} <{row['person']}>" if "@" in row["person"] else row["name"]
        if len(label) > 48:
            label = label[:47] + "…"
        click.echo(f"{label:<48} {row['given']:>7} {100 * row['share']:>5.1f}% {row['received']:>8}")
    others = len(data["people"]) - len(givers)
    if others:
        click.echo(f"({others} more people had changes reviewed and gave no review)")
    for module, people in (data.get("modules") or {}).items():
        top = ", ".join(f"{p} ({n})" for p, n in list(people.items())[:3])
        click.echo(f"module {module}: {top}")


@code.command("import-reviews")
@click.argument("repo_name", metavar="REPO_NAME")
@click.option("--team", default=None, metavar="TEAM", help="Look the name up in this team (slug or name).")
@click.option(
    "--github", multiple=True, type=click.Path(exists=True, file_okay=False),
    help="A folder of GitHub REST API exports (pulls.json, pulls/N/reviews.json …; repeatable).",
)  # fmt: skip
@click.option(
    "--gitlab", multiple=True, type=click.Path(exists=True, file_okay=False),
    help="A folder of GitLab API exports (merge_requests.json, merge_requests/IID/approvals.json …; repeatable).",
)  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print {repository, team, stored: {source: events}}.")
def import_reviews(repo_name, team, github, gitlab, as_json):
    """Store the reviews of GitHub/GitLab exports for the registered repository REPO_NAME (the app's pages show
    them beside those from git). Each source's import replaces its earlier one; the git reviews stay."""
    from pathcraft.cli.main import setup_django

    setup_django()
    from pathcraft.code.commands import find_repositories
    from pathcraft.reviews.actions import import_forge_exports

    (repository,) = find_repositories(repo_name, False, team)
    stored = import_forge_exports(repository, github, gitlab)
    if as_json:
        echo_json({"repository": repository.name, "team": repository.team.slug, "stored": stored})
        return
    listed = ", ".join(f"{n} {source}" for source, n in stored.items())
    click.echo(f"{repository.name} ({repository.team.slug}): review events stored: {listed}")


# The command joins the `code` group above; nothing to add at the top level.
commands: list[click.Command] = []
