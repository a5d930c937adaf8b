"""Page and API data for review load, with every person shown through the permission core.

Per-person review figures (given, share, turnaround, hours) are Kind.WORKLOAD: the person and their manager, never
peers. A team's aggregate (Gini, "two people give 71%", the weekly total) is shown to anyone who belongs to the team
or may see one of its members' load; the people the viewer may not see are folded into one row."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathcraft.people.models import Person, Team
from pathcraft.people.permissions import can_view, is_admin, person_of, require_view, visible_people
from pathcraft.people.policy import Kind
from pathcraft.reviews.attribution import People, organisation_reviews
from pathcraft.reviews.charts import share_chart, trend_chart
from pathcraft.reviews.defaults import load_defaults
from pathcraft.reviews.models import ReviewImport
from pathcraft.reviews.shares import TeamLoad, review_hours, team_load, turnaround

KIND = Kind.WORKLOAD  # review load is a load figure: the person and their direct manager (as commit timing)


def _pct(value: float) -> int:
    return round(100 * value)


def team_for(user, team: int | str) -> Team:
    """A team of the viewer's organisation by id or slug (admins without a person: any); 404 otherwise."""
    viewer = person_of(user)
    teams = Team.objects.select_related("organisation")
    if viewer is not None:
        teams = teams.filter(organisation_id=viewer.organisation_id)
    elif not is_admin(user):
        raise Http404("No such team")
    found = (
        teams.filter(pk=int(team)).first() if str(team).isdigit() else teams.filter(slug=str(team)).first()
    )
    if found is None:
        raise Http404("No such team")
    return found


def members_of(team: Team) -> list[Person]:
    return list(Person.objects.filter(team=team, is_active=True).order_by("name", "pk"))


def require_team_view(user, team: Team, members: list[Person], visible: set[int]) -> None:
    """Members of the team, its lead, anyone who may see a member's load (their managers) and administrators."""
    viewer = person_of(user)
    if is_admin(user) and (viewer is None or viewer.organisation_id == team.organisation_id):
        return
    if viewer is None or viewer.organisation_id != team.organisation_id:
        raise Http404("No such team")
    if viewer.team_id == team.pk or team.lead_id == viewer.pk or any(m.pk in visible for m in members):
        return
    raise PermissionDenied("Only the team's members, its lead and their managers see its review load.")


def _visible_ids(user) -> set[int]:
    return set(visible_people(user, KIND).values_list("pk", flat=True))


def team_view(user, team: Team) -> dict:
    """The team review load page and its API answer."""
    members = members_of(team)
    visible = _visible_ids(user)
    require_team_view(user, team, members, visible)
    reviews, _people = organisation_reviews(team.organisation_id, involving=[m.pk for m in members])
    load = team_load(reviews, [m.pk for m in members])
    return _team_context(team, members, visible, load)


def _team_context(team: Team, members: list[Person], visible: set[int], load: TeamLoad) -> dict:
    d = load_defaults()
    by_pk = {m.pk: m for m in members}
    rows, hidden = [], []
    for pk in sorted(load.members, key=lambda pk: (-load.given[pk], by_pk[pk].name)):
        person = by_pk[pk]
        if pk not in visible:
            hidden.append(pk)
            continue
        sustained = load.sustained.get(pk)
        rows.append({
            "person": person, "person_id": pk, "name": person.name, "given": load.given[pk],
            "received": load.received[pk], "share": load.shares[pk], "share_pct": _pct(load.shares[pk]),
            "over_fair": round(load.shares[pk] / load.fair_share, 1) if load.fair_share else None,
            "flagged": pk in load.above_fair, "most_loaded": bool(load.above_fair) and pk == load.above_fair[0],
            "sustained": bool(sustained),
            "sustained_weeks": len(sustained.hits) if sustained else 0,
            "weekly": load.weekly[pk],
            "modules": [m for m, _ in load.modules[pk].most_common(3)],
        })  # fmt: skip
    others = None
    if hidden:
        given = sum(load.given[pk] for pk in hidden)
        others = {
            "count": len(hidden),
            "given": given,
            "share_pct": _pct(given / load.total) if load.total else 0,
        }
    top = load.concentration.people
    names = [by_pk[pk].name for pk in top] if top and all(pk in visible for pk in top) else None
    s = load.spread
    chart_rows = [(r["name"], r["share"], f"{r['share_pct']}% ({r['given']})", r["flagged"]) for r in rows]
    if others:
        label = f"{others['count']} colleague{'s' if others['count'] != 1 else ''}"
        chart_rows.append((label, others["given"] / load.total if load.total else 0,
                           f"{others['share_pct']}% ({others['given']})", False))  # fmt: skip
    state = ReviewImport.objects.filter(repository__team__organisation_id=team.organisation_id)
    return {
        "team": team,
        "members": len(members),
        "total": load.total,
        "outside_team": load.outside_team,
        "fair_share_pct": _pct(load.fair_share),
        "over_fair": load.over_fair,
        "over_fair_source": d.source("over_fair"),
        "rows": rows,
        "others": others,
        "sentence": load.concentration.sentence(names) if load.total else "",
        "concentration_people": len(top),
        "concentration_pct": _pct(load.concentration.share),
        "spread": asdict(s),
        "gini": s.gini,
        "normalised_gini": s.normalised_gini,
        "flagged": [r for r in rows if r["flagged"]],
        "sustained": [r for r in rows if r["sustained"]],
        "weeks": [w.isoformat() for w in load.weeks],
        "weekly_total": load.weekly_total,
        "first_week": load.first_week.isoformat() if load.first_week else None,
        "last_week": load.last_week.isoformat() if load.last_week else None,
        "chart": share_chart(
            chart_rows, load.fair_share, "Share of the team's reviews given per person, with an equal share"
        )
        if load.total
        else "",  # fmt: skip
        "trend": trend_chart(
            load.weeks, load.weekly_total, [(r["name"], r["weekly"]) for r in rows if r["flagged"]]
        )
        if load.weeks
        else "",
        "repositories": sum(1 for _ in state),
        "window": {
            "weeks": d.window_weeks,
            "min_weeks": d.min_weeks,
            "min_team": d.min_team_reviews_per_week,
        },
    }


def teams_of_viewer(user) -> list[Team]:
    """Teams whose review load the viewer may open: their own, those they lead, and those of people they manage."""
    viewer = person_of(user)
    if viewer is None:
        return list(Team.objects.order_by("name")) if is_admin(user) else []
    visible = visible_people(user, KIND).exclude(team=None).values_list("team_id", flat=True)
    ids = set(visible) | set(Team.objects.filter(lead=viewer).values_list("pk", flat=True))
    if viewer.team_id:
        ids.add(viewer.team_id)
    return list(Team.objects.filter(pk__in=ids, organisation_id=viewer.organisation_id).order_by("name"))


def person_view(user, person: Person) -> dict:
    """A person's review share, turnaround, hours and modules (Kind.WORKLOAD: self and manager)."""
    require_view(user, person, KIND)
    d = load_defaults()
    people = People(person.organisation_id)
    members = members_of(person.team) if person.team_id else [person]
    if person.pk not in {m.pk for m in members}:
        members.append(person)
    reviews, _ = organisation_reviews(
        person.organisation_id, people, hours=True, involving=[m.pk for m in members]
    )
    load = team_load(reviews, [m.pk for m in members])
    mine = [r for r in reviews if r.reviewer == person.pk and r.author != person.pk]
    per_week = Counter(r.week for r in mine)
    estimate = review_hours(dict(per_week))
    turn = turnaround(mine)
    outside_known = [r for r in mine if r.outside_hours is not None]
    modules = Counter(m for r in mine for m in r.modules)
    reviewed = Counter(r.author for r in mine if r.author is not None)
    received = [r for r in reviews if r.author == person.pk and r.reviewer != person.pk]
    sustained = load.sustained.get(person.pk)
    return {
        "person": person,
        "team": person.team,
        "given": len(mine),
        "team_total": load.total,
        "share_pct": _pct(load.shares.get(person.pk, 0.0)),
        "fair_share_pct": _pct(load.fair_share),
        "team_size": len(members),
        "flagged": person.pk in load.above_fair,
        "sustained": {"weeks": [(w.isoformat(), n, t) for w, n, t in sustained.hits], "seen": sustained.seen}
        if sustained
        else None,
        "received": len(received),
        "people_reviewed": len(reviewed),
        "modules": modules.most_common(8),
        "turnaround": asdict(turn),
        "outside_hours": sum(1 for r in outside_known if r.outside_hours),
        "outside_known": len(outside_known),
        "estimate": asdict(estimate) if estimate else None,
        "minutes_source": d.source("minutes_per_review"),
        "weeks": [w.isoformat() for w in load.weeks],
        "weekly": load.weekly.get(person.pk, []),
        "weekly_total": load.weekly_total,
        "trend": trend_chart(
            load.weeks, load.weekly_total, [("reviews given", load.weekly.get(person.pk, []))]
        )
        if load.weeks
        else "",
        "can_see_team": person.team_id is not None,
        "is_self": person_of(user) == person,
        "manager_view": can_view(user, person, KIND) and person_of(user) != person,
    }
