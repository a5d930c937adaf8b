"""`pathcraft fit PROFILE.yaml`: rank roles for a profile file, with explanations. No server, no database."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pathcraft.paths.activities import load_activities
from pathcraft.paths.fit import compare_roles, comparison_to_dict, fit_to_dict, rank_roles
from pathcraft.paths.profile import load_profile
from pathcraft.paths.roles import load_roles
from pathcraft.paths.strengths import classify_strengths, group_by_class

JSON_FORMAT_VERSION = 1


@click.command("fit")
@click.argument("profile_path", metavar="PROFILE.yaml", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (stable format, see docs/paths-fit.md).")
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="How many roles to show."
)
@click.option(
    "--role", "role_id", metavar="ID", help="Show only this role (e.g. engineering_manager), with its rank."
)
@click.option(
    "--compare",
    nargs=2,
    metavar="ROLE_A ROLE_B",
    help="Compare two roles: whether they are effectively tied and which activities tip the balance.",
)
def fit_command(
    profile_path: str, as_json: bool, top: int, role_id: str | None, compare: tuple[str, str] | None
) -> None:
    """Rank career roles by how their typical week fits your energy and skills.

    PROFILE.yaml lists, per activity, hours a week, skill (1-5) and energy (-2 drains .. +2 energises);
    see docs/paths-fit.md and pathcraft/paths/examples/profile-*.yaml.
    """
    activities = load_activities()
    roles = load_roles()
    profile = load_profile(Path(profile_path), activities)
    if compare:
        comparison = compare_roles(profile, *compare, roles=roles, activities=activities)
        if as_json:
            data = {"format": JSON_FORMAT_VERSION, **comparison_to_dict(comparison)}
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            for sentence in comparison.sentences:
                click.echo(sentence)
        return
    fits = rank_roles(profile, roles, activities)
    if role_id is not None:
        wanted = roles.get(role_id).id  # unknown ids raise InputError with a suggestion
        shown = [f for f in fits if f.role_id == wanted]
    else:
        shown = fits[:top]
    strengths = classify_strengths(profile, activities)
    if as_json:
        click.echo(json.dumps(_as_json(profile, shown, strengths, roles), indent=2, ensure_ascii=False))
        return
    _print_text(profile, shown, strengths, activities, len(fits))


def _as_json(profile, fits, strengths, roles) -> dict:
    return {
        "format": JSON_FORMAT_VERSION,
        "profile": {
            "name": profile.name or None,
            "taken_on": profile.taken_on.isoformat() if profile.taken_on else None,
            "current_role": profile.current_role,
            "total_hours": profile.total_hours,
        },
        "settings": {
            "energy_weight": roles.settings.energy_weight,
            "unknown_energy": roles.settings.unknown_energy,
            "unknown_skill": roles.settings.unknown_skill,
        },
        "roles": [fit_to_dict(f) for f in fits],
        "strengths": [
            {"activity": s.activity_id, "class": s.category, "label": s.label, "reason": s.reason}
            for s in strengths
        ],
    }


def _print_text(profile, fits, strengths, activities, total_roles: int) -> None:
    who = profile.name or "this profile"
    when = f" ({profile.taken_on.isoformat()})" if profile.taken_on else ""
    click.echo(f"Role fit for {who}{when}: {len(fits)} of {total_roles} roles, best first.")
    click.echo("Scores are 0-100: energy fit, skill fit and their weighted mix (see docs/paths-fit.md).")
    for fit in fits:
        click.echo("")
        click.echo(
            f"{fit.rank:>2}. {fit.role_name}: {fit.score:.0f}  (energy fit {fit.energy_fit:.0f}, skill fit {fit.skill_fit:.0f})"
        )
        for sentence in fit.explanation:
            click.echo(f"    - {sentence}")
    grouped = group_by_class(strengths)
    if grouped:
        click.echo("")
        click.echo("Your strengths map (performance x energy x use):")
        for items in grouped.values():
            names = ", ".join(activities[i.activity_id].name for i in items)
            click.echo(f"  {items[0].label}: {names}")


commands = [fit_command]
