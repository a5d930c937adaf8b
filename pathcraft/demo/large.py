"""A large demo organisation of N people, generated from a fixed seed. Pure: no Django.

The small demo (Northwind's ~60 people, with its profiles, feedback, calendars, 1:1s, burnout answers and
repository) stays whole under one VP; a CEO sits above it and the rest of the organisation is generated around
it: reporting lines 5-6 levels deep (CEO, VPs, directors, senior managers, managers, engineers), spans from 3 to
15, one team per first-line manager, each team in one home time zone. The same N and seed always give the same
organisation, so query counts and benchmarks compare like with like.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from pathcraft.demo.organisation import DOMAIN, FIRST, LAST, SEED, DemoOrganisation, DemoPerson, generate

MIN_SPAN, MAX_SPAN = 3, 15  # direct reports of any manager (span of control)
MANAGER_SPAN = (3, 8)  # managers of managers: six to eight is the usual advice; 3 keeps small branches real
LEAF_TEAM = (5, 15)  # a first-line team's size is drawn from this range

ZONES = [
    ("Europe/London", "London"), ("Europe/Berlin", "Berlin"), ("Europe/Lisbon", "Lisbon"),
    ("Europe/Warsaw", "Warsaw"), ("America/New_York", "New York"), ("America/Chicago", "Chicago"),
    ("America/Los_Angeles", "San Francisco"), ("America/Sao_Paulo", "São Paulo"), ("Asia/Kolkata", "Bengaluru"),
    ("Asia/Singapore", "Singapore"), ("Asia/Tokyo", "Tokyo"), ("Australia/Sydney", "Sydney"),
    ("Africa/Lagos", "Lagos"), ("Europe/Stockholm", "Stockholm"),
]  # fmt: skip
AREAS = [
    "Payments", "Search", "Identity", "Billing", "Checkout", "Messaging", "Maps", "Ads", "Storage", "Compute",
    "Network", "Observability", "Growth", "Analytics", "Mobile", "Web", "Data", "Platform", "Security", "Trust",
]  # fmt: skip
PARTS = [
    "Core",
    "API",
    "Apps",
    "Pipelines",
    "Tools",
    "Services",
    "Experience",
    "Reliability",
    "Infrastructure",
]
IC_TITLES = [
    "Software Engineer", "Senior Software Engineer", "Staff Engineer", "Site Reliability Engineer",
    "Data Engineer", "QA Engineer", "Security Engineer", "Developer Advocate", "Technical Writer",
]  # fmt: skip
TITLES_BY_DEPTH = {1: "VP Engineering", 2: "Director of Engineering", 3: "Senior Engineering Manager"}


@dataclass(frozen=True)
class Shape:
    people: int
    teams: int
    depth: int  # levels of reporting lines, the CEO being level 1
    min_span: int
    max_span: int


def generate_large(size: int, seed: int = SEED) -> DemoOrganisation:
    """The organisation of SIZE people (at least the small demo's size plus a CEO)."""
    small = generate(seed)
    floor = len(small.people) + 1 + MIN_SPAN
    if size < floor:
        raise ValueError(f"a large demo needs at least {floor} people, not {size}")
    rng = random.Random(seed * 31 + size)
    org = DemoOrganisation(small.name, small.slug, dict(small.teams), [])
    names = _names(rng)
    used_emails = {p.email for p in small.people}

    def add(key, title, team, zone, manager, login=None):
        first, last = next(names)
        plain = unicodedata.normalize("NFKD", f"{first} {last}").encode("ascii", "ignore").decode()
        local = ".".join(part.strip(".") for part in plain.lower().split())
        email = f"{local}@{DOMAIN}"
        n = 2
        while email in used_emails:
            email = f"{local}.{n}@{DOMAIN}"
            n += 1
        used_emails.add(email)
        person = DemoPerson(
            key, f"{first} {last}", email, title, team, zone[0], zone[1], manager, login=login
        )
        org.people.append(person)
        return person

    ceo = add("ceo", "Chief Technology Officer", "", ZONES[0], None, login="ceo")
    for p in small.people:
        org.people.append(p if p.manager else DemoPerson(**{**p.__dict__, "manager": ceo.key}))
    remaining = size - len(org.people)
    counter = {"team": 0, "person": 0}
    sizes: dict[str, int] = {}  # a generated manager's branch, themselves included

    def build(manager_key: str, budget: int, depth: int) -> None:
        """Place BUDGET people below MANAGER_KEY, who sits at DEPTH (the CEO is 0, first-line managers 4)."""
        if budget <= 0:
            return
        if depth >= FIRST_LINE or budget < 3 * (MIN_SPAN + 1) or budget <= rng.randint(*LEAF_TEAM):
            _leaf(manager_key, budget)
            return
        need = -(-budget // _capacity(depth + 1))  # enough children that each share fits under its own spans
        span = min(MAX_SPAN, max(need, MIN_SPAN, min(rng.randint(*MANAGER_SPAN), budget // (MIN_SPAN + 1))))
        for share in _split(budget, span, rng, least=MIN_SPAN + 1, most=_capacity(depth + 1)):
            counter["person"] += 1
            key = f"m{counter['person']}"
            title = TITLES_BY_DEPTH.get(depth + 1, "Engineering Manager")
            add(key, title, "", rng.choice(ZONES), manager_key)
            sizes[key] = share
            build(key, share - 1, depth + 1)

    def _leaf(manager_key: str, reports: int) -> None:
        counter["team"] += 1
        n = counter["team"]
        area, part = AREAS[n % len(AREAS)], PARTS[(n // len(AREAS)) % len(PARTS)]
        slug = f"team-{n}"
        org.teams[slug] = f"{area} {part} {n // (len(AREAS) * len(PARTS)) + 1}"
        manager = next(p for p in reversed(org.people) if p.key == manager_key)
        manager.team, manager.title = slug, "Engineering Manager"
        zone = (manager.timezone, manager.location)
        for i in range(reports):
            counter["person"] += 1
            title = IC_TITLES[i] if i < 3 else rng.choice(IC_TITLES)
            add(f"e{counter['person']}", title, slug, zone, manager_key)

    # The small demo's VP gets a third director (spans from 3), then the CEO's other VPs share the rest.
    third = min(remaining, _capacity(2), max(MIN_SPAN + 1, remaining // 8))
    counter["person"] += 1
    add(f"m{counter['person']}", "Director of Engineering", "", ZONES[0], "vp")
    sizes[f"m{counter['person']}"] = third
    build(f"m{counter['person']}", third - 1, 2)
    remaining -= third
    if remaining:
        vps = max(MIN_SPAN - 1, min(MAX_SPAN - 1, -(-remaining // _capacity(1))))
        vps = min(vps, max(1, remaining // (MIN_SPAN + 1)))
        for budget in _split(remaining, vps, rng, least=min(remaining, MIN_SPAN + 1), most=_capacity(1)):
            counter["person"] += 1
            key = f"m{counter['person']}"
            add(key, "VP Engineering", "", rng.choice(ZONES), ceo.key)
            build(key, budget - 1, 1)
    # The demo's director login: the generated director with the largest organisation below them.
    directors = [p for p in org.people if p.title == "Director of Engineering" and p.key in sizes]
    if directors:
        max(directors, key=lambda p: sizes[p.key]).login = "director"
    else:  # too small an organisation for a generated director: Northwind's own
        next(p for p in org.people if p.key == "dana").login = "director"
    return org


FIRST_LINE = 4  # depth of first-line managers: CEO 0, VPs 1, directors 2, senior managers 3


def _capacity(depth: int) -> int:
    """The most people (the manager included) a manager at DEPTH can have in their branch."""
    if depth >= FIRST_LINE:
        return 1 + MAX_SPAN
    return 1 + MAX_SPAN * _capacity(depth + 1)


def _split(total: int, parts: int, rng: random.Random, least: int = 1, most: int | None = None) -> list[int]:
    """TOTAL people in PARTS uneven shares, each between LEAST and MOST, summing exactly to TOTAL."""
    parts = max(1, min(parts, total // max(1, least)))
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = (total - parts * least) / sum(weights)
    shares = [least + int(w * scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    if most is not None:  # move what is above the cap to the shares that still have room
        excess = sum(max(0, share - most) for share in shares)
        shares = [min(share, most) for share in shares]
        for i in range(parts):
            room = most - shares[i]
            moved = min(room, excess)
            shares[i] += moved
            excess -= moved
    return shares


def _names(rng: random.Random):
    """Endless (first, last) pairs, shuffled; initials make 39,000 distinct names before any repeats."""
    initials = "ABCDEFGHJKLMNPRSTVW"
    pairs = [(f, la) for f in FIRST for la in LAST]
    rng.shuffle(pairs)
    yield from pairs
    round_ = 0
    while True:
        for first, last in pairs:
            yield f"{first} {initials[round_ % len(initials)]}.", last
        round_ += 1


def shape(org: DemoOrganisation) -> Shape:
    """People, teams, depth and the range of spans of an organisation (for tests and the CLI's summary)."""
    by_key = {p.key: p for p in org.people}
    spans: dict[str, int] = {}
    for p in org.people:
        if p.manager:
            spans[p.manager] = spans.get(p.manager, 0) + 1

    def depth(p: DemoPerson) -> int:
        d = 1
        while p.manager:
            p, d = by_key[p.manager], d + 1
        return d

    return Shape(
        people=len(org.people),
        teams=len({p.team for p in org.people if p.team}),
        depth=max(depth(p) for p in org.people),
        min_span=min(spans.values()),
        max_span=max(spans.values()),
    )
