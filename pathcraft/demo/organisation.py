"""The demo organisation, generated deterministically from a seed. Pure: no Django.

About 60 people in eight teams; reporting lines four levels deep (VP, directors, managers, engineers);
one manager (Sam Rivera, Platform) with 13 direct reports; one team (Edge) spread across time zones
from Los Angeles to Singapore (9 to 16 hours apart).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

SEED = 20261123
DOMAIN = "demo.pathcraft.test"
DEMO_PASSWORD = "pathcraft-demo"

FIRST = [
    "Ada", "Bilal", "Chen", "Dagny", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kavya", "Luca", "Mei",
    "Nadia", "Oren", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia",
    "Akira", "Beatriz", "Caleb", "Dmitri", "Elif", "Felix", "Grace", "Hugo", "Isla", "Jae", "Kofi", "Lena", "Mateo",
    "Noor", "Omar", "Paula", "Rafael", "Sofia", "Tomas", "Valeria", "Wanjiru", "Yara", "Zain", "Anouk",
]  # fmt: skip
LAST = [
    "Abebe", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Gupta", "Hoang", "Ivanova", "Jensen", "Kaur", "Lopez",
    "Mensah", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Wong", "Yilmaz",
    "Zhou", "Andersen", "Banerjee", "Castillo", "Dlamini", "Ekström",
]  # fmt: skip


@dataclass
class DemoPerson:
    key: str
    name: str
    email: str
    title: str
    team: str
    timezone: str
    location: str
    manager: str | None
    work_start: dt.time = dt.time(9)
    work_end: dt.time = dt.time(17)
    login: str | None = None  # "engineer", "manager" or "admin" for the printed demo logins


@dataclass
class DemoOrganisation:
    name: str
    slug: str
    teams: dict[str, str]  # slug -> name
    people: list[DemoPerson] = field(default_factory=list)

    def by_key(self, key: str) -> DemoPerson:
        return next(p for p in self.people if p.key == key)


# team slug, team name, manager key, size (reports of the manager), home zone and location, titles
TEAMS = [
    ("platform", "Platform", "sam", 13, ("Europe/London", "London"),
     ["Senior Software Engineer", "Software Engineer", "Staff Engineer", "Site Reliability Engineer"]),
    ("edge", "Edge", "mira", 6, None, ["Senior Software Engineer", "Software Engineer"]),
    ("payments", "Payments", "tomasz", 7, ("Europe/Berlin", "Berlin"),
     ["Software Engineer", "Senior Software Engineer", "QA Engineer"]),
    ("mobile", "Mobile", "ayo", 7, ("Europe/Lisbon", "Lisbon"), ["Software Engineer", "Senior Software Engineer"]),
    ("data", "Data", "lin", 6, ("America/New_York", "New York"), ["Data Engineer", "Senior Data Engineer", "Researcher"]),
    ("devex", "Developer Experience", "ravi", 5, ("Europe/Dublin", "Dublin"),
     ["Developer Advocate", "Technical Writer", "Software Engineer"]),
    ("security", "Security", "kim", 4, ("Europe/Amsterdam", "Amsterdam"), ["Security Engineer", "Senior Security Engineer"]),
]  # fmt: skip

# Edge is the distributed team: Los Angeles to Berlin is 9 h, to Singapore 16 h (15 h in northern summer).
EDGE_ZONES = [
    ("America/Los_Angeles", "Los Angeles"), ("America/New_York", "New York"), ("Europe/Berlin", "Berlin"),
    ("Asia/Kolkata", "Bengaluru"), ("Asia/Singapore", "Singapore"), ("America/Los_Angeles", "San Francisco"),
]  # fmt: skip

MANAGERS = {
    "sam": ("Sam Rivera", "Engineering Manager", "dana"),
    "mira": ("Mira Patel", "Engineering Manager", "dana"),
    "tomasz": ("Tomasz Nowak", "Engineering Manager", "dana"),
    "ayo": ("Ayo Adeyemi", "Engineering Manager", "joao"),
    "lin": ("Lin Zhang", "Engineering Manager", "joao"),
    "ravi": ("Ravi Menon", "Developer Relations Manager", "joao"),
    "kim": ("Kim Larsen", "Security Lead", "joao"),
}


def generate(seed: int = SEED) -> DemoOrganisation:
    rng = random.Random(seed)
    org = DemoOrganisation(
        name="Northwind Software", slug="northwind", teams={slug: name for slug, name, *_ in TEAMS}
    )
    used: set[str] = set()

    def add(key, name, title, team, zone, manager, login=None):
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        local = ascii_name.lower().replace(" ", ".")
        email = f"{local}@{DOMAIN}"
        used.add(name)
        person = DemoPerson(key, name, email, title, team, zone[0], zone[1], manager, login=login)
        org.people.append(person)
        return person

    add("vp", "Amara Okafor", "VP Engineering", "", ("Europe/London", "London"), None)
    add("dana", "Dana Whitfield", "Director of Engineering", "", ("Europe/London", "London"), "vp")
    add("joao", "João Ferreira", "Director of Engineering", "", ("Europe/Lisbon", "Lisbon"), "vp")
    for key, (name, title, boss) in MANAGERS.items():
        team = next(t for t in TEAMS if t[2] == key)
        zone = team[4] or ("America/Los_Angeles", "Los Angeles")
        add(key, name, title, team[0], zone, boss, login="manager" if key == "sam" else None)

    names = [f"{first} {last}" for first in FIRST for last in LAST]
    rng.shuffle(names)
    pool = iter(n for n in names if n not in used)
    for slug, _name, manager_key, size, zone, titles in TEAMS:
        for i in range(size):
            name = next(pool)
            while name.split()[0] in {p.name.split()[0] for p in org.people}:
                name = next(pool)
            person_zone = EDGE_ZONES[i % len(EDGE_ZONES)] if zone is None else zone
            title = titles[0] if i == 0 else rng.choice(titles)
            key = f"{slug}-{i + 1}"
            login = "engineer" if key == "platform-1" else None
            add(key, name, title, slug, person_zone, manager_key, login=login)
    return org
