"""Who may see which kind of data about whom: the one table every page, API call, export and CLI reads.

Pure: no Django. `pathcraft.people.permissions` works out the viewer's relation to the person and asks here.
"""

from __future__ import annotations

from enum import StrEnum


class Relation(StrEnum):
    SELF = "self"
    MANAGER = "manager"  # the person's direct manager
    SKIP = "skip"  # any manager above the direct one (manager's manager and up)
    PEER = "peer"  # anyone else in the same organisation
    ADMIN = "admin"  # a back-office administrator acting as such, not as a manager
    STRANGER = "stranger"  # another organisation, or nobody signed in


class Kind(StrEnum):
    DIRECTORY = "directory"  # name, title, team, time zone, location, working hours, reporting line
    CAREER = "career"  # talents and energy profile, position, readiness, crafting plan, experiments
    FEEDBACK = "feedback"  # released peer-feedback aggregates and calibration (never raw answers)
    WORKLOAD = "workload"  # load figures and early-warning signals (no meeting titles)
    CALENDAR = "calendar"  # meeting titles, attendees, descriptions
    BURNOUT = "burnout"  # the person's own burnout-survey scores
    CODE_ACTIVITY = "code_activity"  # when the person commits (nights, weekends)
    CODE_KNOWLEDGE = "code_knowledge"  # which files and modules the person knows
    GROWTH = "growth"  # shared 1:1 notes, agenda, action items, growth plan
    MOOD = "mood"  # optional 1:1 check-in mood
    ACCOUNT = "account"  # login, invitations, tokens


class Rule(StrEnum):
    ALLOW = "allow"
    CONSENT = "consent"  # allowed only when the person has shared this kind with this relation
    DENY = "deny"


A, C, D = Rule.ALLOW, Rule.CONSENT, Rule.DENY

# Columns: self, manager, skip, peer, admin, stranger. Anything not listed is denied.
_COLUMNS = (Relation.SELF, Relation.MANAGER, Relation.SKIP, Relation.PEER, Relation.ADMIN, Relation.STRANGER)
_ROWS: dict[Kind, tuple[Rule, ...]] = {
    #                     self manager skip peer admin stranger
    Kind.DIRECTORY: (A, A, A, A, A, D),
    Kind.CAREER: (A, C, C, D, D, D),
    Kind.FEEDBACK: (A, C, D, D, D, D),
    Kind.WORKLOAD: (A, A, D, D, D, D),
    Kind.CALENDAR: (A, C, D, D, D, D),
    Kind.BURNOUT: (A, D, D, D, D, D),
    Kind.CODE_ACTIVITY: (A, A, D, D, D, D),
    Kind.CODE_KNOWLEDGE: (A, A, A, A, A, D),
    Kind.GROWTH: (A, A, C, D, D, D),
    Kind.MOOD: (A, A, D, D, D, D),
    Kind.ACCOUNT: (A, D, D, D, A, D),
}

POLICY: dict[Kind, dict[Relation, Rule]] = {
    kind: dict(zip(_COLUMNS, rules, strict=True)) for kind, rules in _ROWS.items()
}

# Relations a person can grant through consent, per kind (the CONSENT cells above).
SHAREABLE: dict[Kind, tuple[Relation, ...]] = {
    kind: tuple(rel for rel, rule in row.items() if rule is Rule.CONSENT) for kind, row in POLICY.items()
}


def decide(kind: Kind | str, relations: set[Relation], shared_with: set[Relation]) -> bool:
    """True when any of the viewer's relations to the person allows this kind, consent included."""
    row = POLICY[Kind(kind)]
    for relation in relations:
        rule = row.get(relation, Rule.DENY)
        if rule is Rule.ALLOW or (rule is Rule.CONSENT and relation in shared_with):
            return True
    return False
