"""Who a git identity is: the report's developers matched to people of the organisation.

One rule for every page, the API and the analysis: a confirmed decision (the alias table's emails) first, then the
person's own email, then the alias table's names; a same-name match is only proposed until a lead confirms it;
everyone else is a former contributor. A rejected row blocks that email -> person pair for good."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pathcraft.code.history import HistoryState, normalize_name
from pathcraft.code.models import IdentityMatch, NameAlias, Repository
from pathcraft.code.timing import WorkingHours
from pathcraft.errors import InputError
from pathcraft.people.models import Person

# How a developer came to count as a person (shown on the identities page).
CONFIRMED, OWN_EMAIL, NAME_ALIAS, PROPOSED, FORMER = "confirmed", "email", "name alias", "proposed", "former"
HOW_LABELS = {
    CONFIRMED: "confirmed by a lead",
    OWN_EMAIL: "same email as the person",
    NAME_ALIAS: "name in the alias table",
    PROPOSED: "same name: waiting for confirmation",
    FORMER: "not in the organisation (former contributor)",
}


@dataclass
class Match:
    """A developer's match: PERSON counts (None: former contributor); PROPOSED waits for a decision."""

    person: Person | None
    how: str
    proposed: Person | None = None
    rejected: list[Person] = field(default_factory=list)

    @property
    def label(self) -> str:
        return HOW_LABELS[self.how]


class Rules:
    """The organisation's people, decisions and name aliases, loaded once for many developers."""

    def __init__(self, organisation_id: int):
        self.people = {p.pk: p for p in Person.objects.filter(organisation_id=organisation_id)}
        self.by_email = {p.email.lower(): p for p in self.people.values()}
        self.by_name: dict[str, list[Person]] = {}
        for p in self.people.values():
            self.by_name.setdefault(normalize_name(p.name), []).append(p)
        self.rows = {
            r.email.lower(): r for r in IdentityMatch.objects.filter(organisation_id=organisation_id)
        }
        self.name_aliases = {
            a.normalized: a for a in NameAlias.objects.filter(organisation_id=organisation_id)
        }

    def match(self, dev: dict) -> Match:
        """DEV is a report developer: {"key", "emails", "names", ...}."""
        emails = [dev["key"].lower(), *(e.lower() for e in dev["emails"])]
        emails = list(dict.fromkeys(e for e in emails if "@" in e))
        rows = [self.rows[e] for e in emails if e in self.rows]
        rejected = {(r.email.lower(), r.person_id) for r in rows if r.rejected}
        rejected_people = list({r.person_id: self.people[r.person_id] for r in rows if r.rejected
                                and r.person_id in self.people}.values())  # fmt: skip
        for row in rows:
            if row.confirmed and not row.rejected and row.person_id in self.people:
                how = OWN_EMAIL if row.method == IdentityMatch.Method.EMAIL else CONFIRMED
                return Match(self.people[row.person_id], how, rejected=rejected_people)
        for email in emails:
            person = self.by_email.get(email)
            if person is not None and (email, person.pk) not in rejected:
                return Match(person, OWN_EMAIL, rejected=rejected_people)
        blocked = {pid for _, pid in rejected}
        for name in dev.get("names") or [dev.get("name", "")]:
            alias = self.name_aliases.get(normalize_name(name))
            if alias is not None and alias.person_id in self.people and alias.person_id not in blocked:
                return Match(self.people[alias.person_id], NAME_ALIAS, rejected=rejected_people)
        for row in rows:
            if not row.confirmed and not row.rejected and row.person_id in self.people:
                return Match(None, PROPOSED, proposed=self.people[row.person_id], rejected=rejected_people)
        candidates = {
            p.pk: p
            for name in dev.get("names") or []
            for p in self.by_name.get(normalize_name(name), [])
            if p.pk not in blocked
        }
        if len(candidates) == 1:
            return Match(None, PROPOSED, proposed=next(iter(candidates.values())), rejected=rejected_people)
        return Match(None, FORMER, rejected=rejected_people)


def matches_for(report: dict | None, organisation_id: int) -> dict[str, Match]:
    """Developer key -> Match for every developer of a saved report."""
    rules = Rules(organisation_id)
    return {dev["key"]: rules.match(dev) for dev in (report or {}).get("developers", [])}


def people_by_key(report: dict | None, organisation_id: int) -> dict[str, Person]:
    """Developer key -> the person they count as (confirmed matches only)."""
    return {key: m.person for key, m in matches_for(report, organisation_id).items() if m.person is not None}


def aliases_for(organisation_id: int) -> dict[str, list[str]]:
    """The alias table as the engine wants it: a person's email -> their own email, every confirmed git email
    and every name alias. People with nothing beyond their own email are left out (nothing to merge)."""
    aliases: dict[str, list[str]] = {}
    rows = IdentityMatch.objects.filter(organisation_id=organisation_id, confirmed=True, rejected=False)
    for row in rows.select_related("person"):
        aliases.setdefault(row.person.email, [row.person.email.lower()]).append(row.email.lower())
    for alias in NameAlias.objects.filter(organisation_id=organisation_id).select_related("person"):
        aliases.setdefault(alias.person.email, [alias.person.email.lower()]).append(alias.name)
    return {label: handles for label, handles in aliases.items() if len(set(handles)) > 1}


def working_hours_for(organisation_id: int) -> dict[str, WorkingHours]:
    """Every known email of every person -> their working hours (directory data), for the timing figures."""
    hours: dict[str, WorkingHours] = {}
    people = Person.objects.filter(organisation_id=organisation_id)
    for p in people:
        days = tuple(int(d) - 1 for d in p.work_days if d.isdigit() and 1 <= int(d) <= 7)
        end = p.work_end.hour + (1 if p.work_end.minute else 0)
        hours[p.email.lower()] = WorkingHours(p.work_start.hour, end % 24, days)
    rows = IdentityMatch.objects.filter(organisation_id=organisation_id, confirmed=True, rejected=False)
    for row in rows.select_related("person"):
        if row.person.email.lower() in hours:
            hours[row.email.lower()] = hours[row.person.email.lower()]
    return hours


# The identities page --------------------------------------------------------------------------------------------

ORDER = {PROPOSED: 0, FORMER: 1, NAME_ALIAS: 2, CONFIRMED: 2, OWN_EMAIL: 2}


def identities_view(repository) -> dict:
    """Every git identity of the last analysis with its match, the bots, and the counts the page heads with."""
    report = repository.report or {}
    rules = Rules(repository.team.organisation_id)
    rows = []
    for dev in report.get("developers", []):
        match = rules.match(dev)
        rows.append({
            # The git name (an alias-merged developer is labelled with the person's email by the engine).
            "key": dev["key"], "name": (dev["names"] or [dev["name"]])[0], "names": dev["names"], "emails": dev["emails"],
            "commits": dev["commits"], "first_commit": dev["first_commit"][:10], "last_commit": dev["last_commit"][:10],
            "files_authored": dev["files_authored"], "match": match, "person": match.person,
            "proposed": match.proposed, "how": match.how, "label": match.label, "rejected": match.rejected,
        })  # fmt: skip
    rows.sort(key=lambda r: (ORDER[r["how"]], -r["commits"], r["key"]))
    try:
        state = HistoryState.from_dict(repository.state) if repository.state else HistoryState()
        commits = {s.key: s.commits for s in state.identities}
    except InputError:
        commits = {}  # a state of another format: the counts are unknown until the next analysis
    bots = []
    for key in report.get("bots", []):
        email, _, name = key.partition("\t")
        bots.append({"name": name, "email": email, "commits": commits.get(key)})
    counts = {how: sum(1 for r in rows if r["how"] == how) for how in HOW_LABELS}
    return {
        "rows": rows,
        "bots": bots,
        "total": len(rows),
        "matched": sum(1 for r in rows if r["person"] is not None),
        "pending": counts[PROPOSED],
        "former": counts[FORMER],
    }


def alias_table(organisation_id: int) -> list[dict]:
    """The organisation's alias table: per person, the git emails and names that count as them (beyond their
    own email)."""
    table: dict[int, dict] = {}

    def entry(person: Person) -> dict:
        return table.setdefault(person.pk, {"person": person, "emails": [], "names": []})

    rows = IdentityMatch.objects.filter(organisation_id=organisation_id, confirmed=True, rejected=False)
    for row in rows.select_related("person").order_by("email"):
        if row.email.lower() != row.person.email.lower():
            entry(row.person)["emails"].append(
                {"id": row.pk, "value": row.email, "how": row.get_method_display()}
            )
    for alias in NameAlias.objects.filter(organisation_id=organisation_id).select_related("person"):
        entry(alias.person)["names"].append({"id": alias.pk, "value": alias.name})
    return sorted(table.values(), key=lambda e: e["person"].name)


def match_identities(repository: Repository) -> list[IdentityMatch]:
    """Record the report's developers matched to people: by email (confirmed), else by name (to be confirmed).
    Emails with a row already (a decision, or a rejection) are left as they are."""
    org_id = repository.team.organisation_id
    people = list(Person.objects.filter(organisation_id=org_id))
    by_email = {p.email.lower(): p for p in people}
    by_name: dict[str, list[Person]] = {}
    for p in people:
        by_name.setdefault(normalize_name(p.name), []).append(p)
    known = set(IdentityMatch.objects.filter(organisation_id=org_id).values_list("email", flat=True))
    created = []
    for dev in (repository.report or {}).get("developers", []):
        emails = [e.lower() for e in dev["emails"]]
        person = next((by_email[e] for e in emails if e in by_email), None)
        method = IdentityMatch.Method.EMAIL
        if person is None:
            candidates = {p.pk: p for n in dev["names"] for p in by_name.get(normalize_name(n), [])}
            if len(candidates) != 1:
                continue  # nobody, or ambiguous: a former contributor until someone matches them by hand
            person, method = next(iter(candidates.values())), IdentityMatch.Method.NAME
        for email in emails:
            if email not in known:
                known.add(email)
                created.append(IdentityMatch.objects.create(
                    organisation_id=org_id, email=email, name=dev["name"], person=person, method=method,
                    confirmed=method == IdentityMatch.Method.EMAIL,
                ))  # fmt: skip
    return created


def files_only_known_by(person: Person) -> list[str]:
    """Files of the person's organisation's analysed repositories whose only author is this person, as
    "repository: path", or "team / repository: path" when another team of the organisation has a repository of
    that name (read by the growth app's handover page through growth/sources.py)."""
    repositories = list(
        Repository.objects.filter(team__organisation_id=person.organisation_id)
        .select_related("team")
        .defer("state")  # the incremental-analysis aggregate: large, and not needed here
    )
    names = Counter(repository.name for repository in repositories)
    found = []
    for repository in repositories:
        if repository.report is None:
            continue
        matches = matches_for(repository.report, person.organisation_id)
        keys = {key for key, m in matches.items() if m.person is not None and m.person.pk == person.pk}
        if not keys:
            continue
        label = repository.name if names[repository.name] == 1 else str(repository)
        for f in repository.report["files"]:
            if f["authors"] and all(a["key"] in keys for a in f["authors"]):
                found.append(f"{label}: {f['path']}")
    return found
