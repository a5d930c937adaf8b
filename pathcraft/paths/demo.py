"""Demo career data: frameworks, profiles over time, positions, a crafting plan and experiments.

The people in the story:
* sam (Sam Rivera, the demo manager login) is a strong engineer promoted to manager and drained by
  meetings and politics: the demo manager sees their own fit first;
* platform-1 (Jae Abebe, the demo engineer login) is a senior engineer curious about management,
  with a target position, a self-assessment and a running "shadow a manager" experiment;
* platform-2 is the specialist who takes all the hard work alone (expert at design and debugging,
  working alone), and shares career data with sam;
* a few more people with profiles, some shared with their manager.

Deterministic: fixed dates before ANCHOR and the loader's rng only.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from pathcraft.paths import actions
from pathcraft.paths.crafting import craft_plan
from pathcraft.paths.frameworks import default_framework, read_framework
from pathcraft.paths.profile import parse_profile_data
from pathcraft.people.models import Organisation, Person
from pathcraft.people.permissions import set_share
from pathcraft.people.policy import Kind, Relation

ANCHOR = dt.date(2026, 11, 23)
LIBRARY = Path(__file__).parent / "frameworks" / "library"

# activity: (hours, skill, energy)
PROFILES: dict[str, dict] = {
    # Promoted from staff engineer a year ago; the week is meetings, 1:1s and alignment, which drain.
    "sam": {
        "role": "engineering_manager",
        "answers": {
            "coding": (2, 5, 2),
            "code_review": (3, 5, 1),
            "design": (3, 5, 2),
            "debugging": (2, 5, 2),
            "infrastructure": (1, 4, 0),
            "writing": (2, 4, 0),
            "mentoring": (3, 4, 1),
            "presenting": (1, 3, -1),
            "planning": (5, 3, -1),
            "stakeholders": (6, 2, -2),
            "hiring": (4, 3, -1),
            "people_management": (9, 3, -2),
            "meetings": (13, 3, -2),
            "support": (2, 4, -1),
        },
    },
    # The specialist: expert at the hardest problems and does them alone; little sharing or teaching.
    "platform-2": {
        "role": "senior_engineer",
        "answers": {
            "coding": (14, 5, 2),
            "design": (8, 5, 2),
            "debugging": (10, 5, 2),
            "infrastructure": (5, 5, 1),
            "code_review": (2, 4, 0),
            "support": (4, 5, -1),
            "security": (2, 4, 1),
            "testing": (1, 4, 0),
            "writing": (0.5, 2, -1),
            "mentoring": (0, 2, -1),
            "teaching": (0, 1, -2),
            "presenting": (0, 1, -2),
            "meetings": (3, 3, -1),
            "planning": (0.5, 2, -1),
            "stakeholders": (0, 1, -2),
        },
    },
    # The demo engineer: a senior who enjoys mentoring and design and wonders about management.
    "platform-1": {
        "role": "senior_engineer",
        "answers": {
            "coding": (15, 4, 1),
            "code_review": (5, 4, 1),
            "design": (4, 4, 2),
            "debugging": (3, 4, 0),
            "testing": (3, 3, 0),
            "infrastructure": (2, 3, -1),
            "writing": (2, 3, 1),
            "mentoring": (2, 3, 2),
            "presenting": (1, 2, 1),
            "planning": (1, 2, 0),
            "stakeholders": (1, 2, 0),
            "hiring": (1, 2, 1),
            "people_management": (0, 1, 1),
            "meetings": (5, 3, -1),
            "support": (2, 3, -1),
        },
    },
    "platform-3": {
        "role": "sre",
        "answers": {
            "debugging": (10, 5, 2),
            "infrastructure": (12, 4, 2),
            "coding": (8, 4, 1),
            "support": (5, 4, 0),
            "security": (2, 3, 0),
            "writing": (2, 3, -1),
            "meetings": (4, 3, -1),
            "testing": (2, 3, 0),
        },
    },
    "devex-1": {
        "role": "devrel",
        "answers": {
            "presenting": (6, 4, 2),
            "teaching": (5, 4, 2),
            "writing": (8, 4, 2),
            "customer": (4, 4, 1),
            "coding": (8, 3, 1),
            "research": (2, 3, 1),
            "meetings": (4, 3, 0),
            "support": (3, 3, -1),
        },
    },
    "payments-1": {
        "role": "software_engineer",
        "answers": {
            "coding": (18, 4, 2),
            "testing": (6, 4, 1),
            "code_review": (5, 3, 0),
            "debugging": (4, 3, 1),
            "data_analysis": (2, 2, 2),
            "research": (1, 2, 2),
            "meetings": (4, 3, -1),
            "support": (2, 3, -2),
        },
    },
}
SHARED_WITH_MANAGER = ("platform-2", "platform-3")
FT_LICENCE = "MIT, Copyright (c) 2019 Financial Times (Financial-Times/engineering-progression)"
MONZO_LICENCE = "MIT, Copyright (c) 2019 Monzo Bank Limited (monzo/progression-framework)"


def _profile(spec: dict, name: str, jitter: random.Random | None = None, energy_shift: dict | None = None):
    activities = {}
    for aid, (hours, skill, energy) in spec["answers"].items():
        if jitter is not None and hours:
            hours = max(0.5, hours + jitter.choice((-1, -0.5, 0, 0, 0.5, 1)))
        energy = max(-2, min(2, energy + (energy_shift or {}).get(aid, 0)))
        activities[aid] = {"hours": hours, "skill": skill, "energy": energy}
    return parse_profile_data({"name": name, "current_role": spec["role"], "activities": activities})


def load_frameworks(org: Organisation) -> None:
    """pathcraft's default framework (active) and the shipped FT and Monzo frameworks."""
    actions.import_framework(org, default_framework(), activate=True)
    # Ids and names say whose framework it is; the licence is the one shipped beside the file.
    ft, _ = read_framework(LIBRARY / "financial_times" / "engineering.yml", "ft")
    ft.id, ft.name, ft.licence = "ft-engineering", "Financial Times — Engineering", FT_LICENCE
    actions.import_framework(org, ft, "ft", "engineering.yml")
    monzo, _ = read_framework(LIBRARY / "monzo" / "engineering-backend.md", "monzo")
    monzo.id, monzo.name, monzo.licence = "monzo-backend", "Monzo — Backend engineering", MONZO_LICENCE
    actions.import_framework(org, monzo, "monzo", "engineering-backend.md")


def load_demo(org: Organisation, people: dict[str, Person], rng: random.Random) -> None:
    load_frameworks(org)
    framework = actions.active_framework(org)
    for key, spec in PROFILES.items():
        person = people[key]
        # An older snapshot, a little different, so the history page has something to show.
        older = _profile(spec, person.name, jitter=random.Random(rng.random()),
                         energy_shift={"meetings": 1, "people_management": 1} if key == "sam" else None)  # fmt: skip
        actions.save_profile(person, older, source="demo", taken_on=ANCHOR - dt.timedelta(days=182))
        actions.save_profile(person, _profile(spec, person.name), source="demo",
                             taken_on=ANCHOR - dt.timedelta(days=14))  # fmt: skip
    for key in SHARED_WITH_MANAGER:
        set_share(people[key], Kind.CAREER, Relation.MANAGER, True)

    sam = people["sam"]
    actions.set_position(sam, framework, "management/manager", "ic/staff")
    actions.save_assessment(sam, framework, "ic/staff", _ratings(framework, "ic/staff", {
        "craft": ("met", "Designed the platform's job scheduler, still the core of the system"),
        "delivery": ("met", "Led the 2025 storage migration across four teams"),
        "communication": ("partly", ""),
        "leadership": ("met", "Mentored three engineers to senior"),
    }))  # fmt: skip
    plan = craft_plan(_profile(PROFILES["sam"], sam.name))
    actions.accept_crafting_plan(sam, plan, "Agreed with Dana in our 1:1; review at the end of the quarter.")

    jae = people["platform-1"]
    actions.set_position(jae, framework, "ic/senior", "management/manager")
    actions.save_assessment(jae, framework, "management/manager", _ratings(framework, "management/manager", {
        "people": ("partly", "Onboarding buddy for two new joiners"),
        "delivery": ("met", "Shipped the build cache project on time"),
    }))  # fmt: skip
    experiment = actions.start_experiment(jae, "shadow_manager", ANCHOR - dt.timedelta(weeks=3),
                                          target_role="engineering_manager")  # fmt: skip
    actions.add_checkin(experiment, ANCHOR - dt.timedelta(weeks=2),
                        "Sat in on Sam's 1:1 preparation and a hiring debrief. More structure than I expected.")  # fmt: skip
    actions.add_checkin(experiment, ANCHOR - dt.timedelta(weeks=1),
                        "Ran the planning meeting myself. Tiring, but the team left with a clear plan.")  # fmt: skip
    finished = actions.start_experiment(jae, "mentor", ANCHOR - dt.timedelta(weeks=30))
    actions.add_checkin(
        finished, ANCHOR - dt.timedelta(weeks=26), "First month with Wen: weekly pairing works."
    )
    actions.record_outcome(finished, ANCHOR - dt.timedelta(weeks=18), energy={"mentoring": 2},
                           skill={"mentoring": 3}, decision="adopt",
                           notes="Mentoring energises me; keep one mentee at a time.")  # fmt: skip
    # The outcome snapshot is older than the latest questionnaire, so the current profile stays the latest.


def _ratings(framework, target: str, by_area: dict[str, tuple[str, str]]) -> dict:
    """The same rating for every criterion of an area of the target level (demo shorthand)."""
    from pathcraft.paths.frameworks import Position

    level = framework.data.require_level(Position.parse(target))
    ratings = {}
    for competency in level.competencies:
        if competency.area in by_area:
            rating, evidence = by_area[competency.area]
            for criterion in competency.criteria:
                ratings[criterion.id] = {"rating": rating, "evidence": evidence}
    return ratings
