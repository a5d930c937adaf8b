"""What review load offers the lower apps, through attributes of ReviewsConfig (so they import nothing from here):

* `leave_successors`: for the code app's "what if X leaves", people who reviewed changes to a module they do not
  author are candidates to take it over (review knowledge, beside the DOA-ranked successors);
* `workload_signals`: for the workload app's early-warning signals, a person whose share of the team's reviews
  stays far above an equal share for several weeks.
"""

from __future__ import annotations

from collections import Counter

from django.template.loader import render_to_string

from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view, person_of, visible_people
from pathcraft.people.policy import Kind
from pathcraft.reviews.attribution import organisation_reviews
from pathcraft.reviews.defaults import load_defaults
from pathcraft.reviews.presenters import KIND, person_view
from pathcraft.reviews.shares import Sustained, module_reviewers, team_load
from pathcraft.reviews.suggestions import week_suggestion
from pathcraft.workload import manager_load
from pathcraft.workload.signals import Signal

SUCCESSORS_PER_MODULE = 3


def leave_successors(
    user, repository, leavers: list[Person], authors: dict[str, set[int]]
) -> dict[str, list[dict]]:
    """Module -> reviewers of that module in REPOSITORY who are not leaving and author nothing in it, most reviews
    first. Names through Kind.CODE_KNOWLEDGE (as the code app's successors); review counts only where the viewer may
    see the person's review load."""
    reviews, people = organisation_reviews(repository.team.organisation_id, repositories=[repository.pk])
    gone = {p.pk for p in leavers}
    counts: dict[str, Counter] = {}
    for module, by_person in module_reviewers(reviews).items():
        if module in authors:
            kept = Counter(
                {pk: n for pk, n in by_person.items() if pk not in gone and pk not in authors[module]}
            )
            if kept:
                counts[module] = kept
    if not counts:
        return {}
    named = set(visible_people(user, Kind.CODE_KNOWLEDGE).values_list("pk", flat=True))
    loads = set(visible_people(user, KIND).values_list("pk", flat=True))
    offers = {}
    for module, by_person in counts.items():
        rows = []
        for pk, n in sorted(by_person.items(), key=lambda kv: (-kv[1], kv[0])):
            person = people.people.get(pk)
            if person is None or not person.is_active:
                continue
            shown = pk in named
            rows.append({"name": person.name if shown else "a colleague", "person_id": pk if shown else None,
                         "reviews": n if pk in loads else None, "from": "reviews"})  # fmt: skip
            if len(rows) == SUCCESSORS_PER_MODULE:
                break
        if rows:
            offers[module] = rows
    return offers


def workload_sections(user, person: Person) -> list[str]:
    """The person's review share and turnaround for their workload page, when the viewer may see it and there is
    anything to show."""
    if not can_view(user, person, KIND):
        return []
    data = person_view(user, person)
    if not data["given"] and not data["received"]:
        return []
    return [render_to_string("reviews/_summary.html", {"p": data})]


def profile_suggestions(request, person: Person) -> list[str]:
    """For the person's own career page: the review hours their review count suggests for their profile week."""
    if person_of(request.user) != person:
        return []
    data = person_view(request.user, person)
    suggestion = week_suggestion(person, data["estimate"])
    if suggestion is None:
        return []
    context = {"suggestion": suggestion, "person_id": person.pk, "minutes_source": data["minutes_source"],
               "next": request.get_full_path()}  # fmt: skip
    return [render_to_string("reviews/_week_suggestion.html", context, request=request)]


def review_signal(sustained: Sustained) -> Signal:
    d = load_defaults()
    hits = ", ".join(f"week of {w.isoformat()}: {n} of {t}" for w, n, t in sustained.hits)
    return Signal(
        "review_share",
        "warning",
        "A large share of the team's reviews",
        f"above {sustained.over_fair:g}x an equal share ({sustained.fair_share:.0%}) in {len(sustained.hits)} of the "
        f"last {sustained.seen} active weeks, {sustained.share:.0%} of the team's reviews over them ({hits})",
        f"{sustained.over_fair:g}x an equal share of the team's reviews in at least {sustained.needed} of the last "
        f"{d.window_weeks} weeks with {d.min_team_reviews_per_week} or more reviews in the team",
        d.source("over_fair"),
        {
            "share": round(sustained.share, 3),
            "fair_share": round(sustained.fair_share, 3),
            "weeks": [(w.isoformat(), n, t) for w, n, t in sustained.hits],
        },  # fmt: skip
    )


def _gini_line_source() -> str:
    """Where the escalation-spread alert line comes from (data/manager_load.yaml), said as the workload app says it."""
    entry = manager_load.data()["incident_fairness"]["gini_alert"]
    if entry.get("source"):
        return " ".join(str(entry["source"]).split())
    return "our estimate: " + " ".join(str(entry.get("reason", "")).split())


def workload_team_signals(manager: Person, reports: list[Person]) -> list[Signal]:
    """ "Reviews are unevenly spread" over a manager and their reports, by the same inequality engine and alert line
    as escalations (the team-health page; the caller passes only the reports the viewer may see)."""
    team = [manager, *reports]
    reviews, _ = organisation_reviews(manager.organisation_id, involving=[p.pk for p in team])
    load = team_load(reviews, [p.pk for p in team])
    s = load.spread
    if not (s.enough_data and s.above_alert_line):
        return []
    names = {p.pk: p.name for p in team}
    top = [names[pk] for pk in load.concentration.people]
    return [
        Signal(
            "team_review_spread",
            "warning",
            "Reviews are unevenly spread",
            f"normalised Gini {s.normalised_gini:.2f} over {s.people} people and {s.events:g} reviews; "
            + load.concentration.sentence(top),
            f"normalised Gini {s.alert_line:.2f} or more ({s.reason})",
            _gini_line_source(),
            {"normalised_gini": s.normalised_gini, "top_share": s.top_share},
            subject="team",
        )
    ]


def workload_signals(people: list[Person]) -> dict[int, list[Signal]]:
    """Person id -> their review-load signal, for people whose team's load was worked out (one pass per team)."""
    found: dict[int, list[Signal]] = {}
    by_org: dict[int, set[int]] = {}
    for p in people:
        if p.team_id:
            by_org.setdefault(p.organisation_id, set()).add(p.team_id)
    wanted = {p.pk for p in people}
    for org_id, team_ids in by_org.items():
        members: dict[int, list[int]] = {}
        for pk, team_id in Person.objects.filter(team_id__in=team_ids, is_active=True).values_list(
            "pk", "team_id"
        ):
            members.setdefault(team_id, []).append(pk)
        reviews, _ = organisation_reviews(org_id, involving=[pk for ids in members.values() for pk in ids])
        if not reviews:
            continue
        for team_members in members.values():
            load = team_load(reviews, team_members)
            for pk, sustained in load.sustained.items():
                if pk in wanted:
                    found.setdefault(pk, []).append(review_signal(sustained))
    return found
