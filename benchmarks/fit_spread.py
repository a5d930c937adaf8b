"""Spread of role-fit scores on the demo profiles, before (unrated_weight 1: the plain mean over the week)
and after (the catalogue's settings). Prints, per profile: min, max, range, the gap between the 1st and 5th
role, how many roles sit within 1 point of another, and the four IC roles' spread.

    .venv/bin/python benchmarks/fit_spread.py
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathcraft.settings")
django.setup()

from pathcraft.paths.demo import PROFILES, _profile  # noqa: E402
from pathcraft.paths.fit import rank_roles  # noqa: E402
from pathcraft.paths.profile import load_profile  # noqa: E402
from pathcraft.paths.roles import load_roles  # noqa: E402

IC = ("software_engineer", "senior_engineer", "staff_engineer", "tech_lead")
EXAMPLES = Path(__file__).resolve().parent.parent / "pathcraft" / "paths" / "examples"


def figures(profile, settings) -> tuple:
    fits = rank_roles(profile, load_roles(), settings=settings)
    scores = [f.score for f in fits]
    close = sum(
        1 for i, s in enumerate(scores) if any(abs(s - t) < 1 for j, t in enumerate(scores) if j != i)
    )
    ic = [f.score for f in fits if f.role_id in IC]
    return (
        min(scores),
        max(scores),
        max(scores) - min(scores),
        scores[0] - scores[4],
        close,
        max(ic) - min(ic),
    )


def main() -> None:
    after = load_roles().settings
    before = replace(after, unrated_weight=1.0)
    profiles = {key: _profile(spec, key) for key, spec in PROFILES.items()}
    profiles["issue-18 tech lead (sparse)"] = load_profile(
        "activities:\n  coding: {skill: 5, energy: 2}\n  design: {skill: 5, energy: 2}\n"
        "  mentoring: {skill: 4, energy: 2}\n  meetings: {skill: 3, energy: -2}\n  stakeholders: {skill: 3, energy: -2}\n"
    )
    for path in sorted(EXAMPLES.glob("profile-*.yaml")):
        profiles[path.stem] = load_profile(path)
    print(
        f"{'profile':30} {'':6} {'min':>5} {'max':>5} {'range':>6} {'1st-5th':>8} {'<1pt':>5} {'IC spread':>9}"
    )
    for name, profile in profiles.items():
        for label, settings in (("before", before), ("after", after)):
            lo, hi, rng, gap, close, ic = figures(profile, settings)
            print(f"{name:30} {label:6} {lo:5.1f} {hi:5.1f} {rng:6.1f} {gap:8.1f} {close:5d} {ic:9.1f}")


if __name__ == "__main__":
    main()
