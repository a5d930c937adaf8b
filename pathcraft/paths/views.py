"""Career pages: questionnaire, results, comparison, position and readiness, plan, experiments, history.

Thin: every person goes through `career.career_person` (the permission core, Kind.CAREER); only the
person themself may change their data. Charts are server-side SVG from svg.py, inline in the page.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pathcraft.errors import InputError
from pathcraft.paths import actions
from pathcraft.paths.activities import load_activities
from pathcraft.paths.career import (
    career_experiment,
    career_person,
    crafting_proposal,
    fit_results,
    framework_for,
    frameworks_for,
    latest_profile,
    own_person,
    position_view,
    route_between,
)
from pathcraft.paths.experiments import DECISIONS, load_experiment_templates, suggest_experiments
from pathcraft.paths.fit import compare_roles
from pathcraft.paths.frameworks import Position
from pathcraft.paths.frameworks.readiness import LABELS as RATING_LABELS
from pathcraft.paths.models import CraftingPlan, Experiment, ProfileSnapshot
from pathcraft.paths.profile import ENERGY_WORDS, parse_profile_data
from pathcraft.paths.roles import load_roles
from pathcraft.paths.strengths import group_by_class
from pathcraft.paths.svg import ranked_roles_svg, roles_side_by_side_svg, strengths_map_svg
from pathcraft.people.models import Person
from pathcraft.people.permissions import person_of, visible_people
from pathcraft.people.policy import Kind
from pathcraft.people.rollup import branch_totals, path_down, subtree_root

ENERGY_CHOICES = [(-2, "drains"), (-1, "drains a little"), (0, "neutral"), (1, "energises a little"),
                  (2, "energises")]  # fmt: skip
SKILL_CHOICES = [(1, "1 new to it"), (2, "2 learning"), (3, "3 can do it"), (4, "4 strong"), (5, "5 expert")]
TOP_ROLES = 5


def _page(request, template: str, person, tab: str, **context):
    context.update(nav="career", person=person, tab=tab, is_self=person_of(request.user) == person)
    return render(request, template, context)


@login_required
def index(request):
    person = own_person(request.user)
    if not ProfileSnapshot.objects.filter(person=person).exists():
        return redirect("paths:profile", person_id=person.pk)
    return redirect("paths:results", person_id=person.pk)


# --- questionnaire ---------------------------------------------------------------------------


def _questionnaire_rows(profile, posted=None):
    catalogue = load_activities()
    rows, group = [], None
    order = list(catalogue.groups)  # grouped as in activities.yaml `groups`, catalogue order within
    for activity in sorted(catalogue, key=lambda a: order.index(a.group) if a.group in order else len(order)):
        if posted is not None:
            values = {k: posted.get(f"{k}-{activity.id}", "") for k in ("hours", "skill", "energy")}
        else:
            answer = profile.answer(activity.id) if profile else None
            values = {
                "hours": f"{answer.hours:g}" if answer and activity.id in profile.answers else "",
                "skill": "" if not answer or answer.skill is None else str(answer.skill),
                "energy": "" if not answer or answer.energy is None else str(answer.energy),
            }
        rows.append({"activity": activity, "group": catalogue.groups.get(activity.group, activity.group)
                     if activity.group != group else None, **values})  # fmt: skip
        group = activity.group
    return rows


def _profile_from_post(post, name: str) -> dict:
    activities = {}
    problems = []
    for activity in load_activities():
        hours, skill, energy = (
            post.get(f"{k}-{activity.id}", "").strip() for k in ("hours", "skill", "energy")
        )
        if not (hours or skill or energy):
            continue
        entry: dict = {}
        try:
            entry["hours"] = float(hours.replace(",", ".")) if hours else 0
            if skill:
                entry["skill"] = int(skill)
            if energy:
                entry["energy"] = int(energy)
        except ValueError:
            problems.append(f"{activity.name}: hours, skill and energy must be numbers")
            continue
        activities[activity.id] = entry
    if problems:
        raise InputError("Some answers could not be read.", problems)
    if not activities:
        raise InputError("Fill in at least one activity: hours a week, skill and energy.")
    data = {"name": name, "activities": activities}
    if post.get("current_role"):
        data["current_role"] = post["current_role"]
    return data


@login_required
def profile_form(request, person_id: int):
    person = career_person(request.user, person_id, edit=True)
    snapshot, profile = latest_profile(person)
    errors: list[str] = []
    if request.method == "POST":
        try:
            data = _profile_from_post(request.POST, person.name)
            profile_data = parse_profile_data(data, source="questionnaire")
            actions.save_profile(person, profile_data, source="questionnaire")
        except InputError as exc:
            errors = [str(exc).splitlines()[0], *exc.problems]
            errors = [e.replace("questionnaire: ", "") for e in errors]
        else:
            messages.success(request, "Saved. Here is how the roles fit your answers.")
            return redirect("paths:results", person_id=person.pk)
    rows = _questionnaire_rows(profile, request.POST if request.method == "POST" else None)
    current_role = request.POST.get("current_role") if request.method == "POST" else (
        profile.current_role if profile else "")  # fmt: skip
    return _page(request, "paths/profile_form.html", person, "profile", rows=rows, errors=errors,
                 snapshot=snapshot, skill_choices=SKILL_CHOICES, energy_choices=ENERGY_CHOICES,
                 roles=list(load_roles()), current_role=current_role or "")  # fmt: skip


# --- results -----------------------------------------------------------------------------------


@login_required
def results(request, person_id: int):
    person = career_person(request.user, person_id)
    snapshot, profile = latest_profile(person)
    if profile is None:
        return _page(request, "paths/no_profile.html", person, "results")
    found = fit_results(profile)
    roles = list(load_roles())
    a, b = found.fits[0].role_id, (found.fits[1].role_id if len(found.fits) > 1 else found.fits[0].role_id)
    grouped = group_by_class(found.strengths)
    names = {x.id: x.name for x in load_activities()}
    return _page(
        request, "paths/results.html", person, "results", snapshot=snapshot, profile=profile,
        fits=found.fits[:TOP_ROLES], more_fits=found.fits[TOP_ROLES:], role_count=len(found.fits),
        ranked_svg=mark_safe(ranked_roles_svg(found.fits)),
        strengths_svg=mark_safe(strengths_map_svg(profile)),
        strength_groups=[(items[0].label, items[0].advice, [(names[i.activity_id], i) for i in items])
                         for items in grouped.values()],
        roles=roles, compare=_comparison(profile, a, b),
        offered=offered_suggestions(request, person) if person_of(request.user) == person else [],
    )  # fmt: skip


def offered_suggestions(request, person) -> list[str]:
    """Rendered suggestions other apps make for the person's own profile week (the reviews app: show the review
    hours their review count suggests), as `profile_suggestions(request, person)` callables on their AppConfig, so
    this app imports none of them."""
    found: list[str] = []
    for config in django_apps.get_app_configs():
        offer = getattr(config, "profile_suggestions", None)
        if callable(offer):
            found.extend(offer(request, person))
    return found


def _comparison(profile, a: str, b: str) -> dict:
    catalogue = load_roles()
    role_a, role_b = catalogue.get(a), catalogue.get(b)
    found = compare_roles(profile, role_a.id, role_b.id, roles=catalogue)
    return {"a": role_a, "b": role_b, "fit_a": found.a, "fit_b": found.b, "balance": found.sentences,
            "svg": mark_safe(roles_side_by_side_svg(role_a, role_b, profile=profile))}  # fmt: skip


@login_required
def compare(request, person_id: int):
    person = career_person(request.user, person_id)
    _snapshot, profile = latest_profile(person)
    if profile is None:
        raise Http404("No profile yet")
    try:
        comparison = _comparison(profile, request.GET.get("a", ""), request.GET.get("b", ""))
    except InputError as exc:
        return render(request, "paths/_compare.html", {"error": str(exc), "person": person}, status=400)
    template = "paths/_compare.html" if request.htmx else "paths/compare.html"
    return _page(request, template, person, "results", compare=comparison, roles=list(load_roles()))


# --- history -----------------------------------------------------------------------------------


@login_required
def history(request, person_id: int):
    person = career_person(request.user, person_id)
    snapshots = list(ProfileSnapshot.objects.filter(person=person))
    names = {x.id: x.name for x in load_activities()}
    rows = []
    for i, snap in enumerate(snapshots):
        older = snapshots[i + 1].profile if i + 1 < len(snapshots) else None
        changes = []
        if older is not None:
            for aid, answer in snap.profile.answers.items():
                before = older.answer(aid)
                if answer.energy is not None and before.energy is not None and answer.energy != before.energy:
                    changes.append(f"{names[aid]}: energy {before.energy:+d} → {answer.energy:+d}")
                if answer.skill is not None and before.skill is not None and answer.skill != before.skill:
                    changes.append(f"{names[aid]}: skill {before.skill} → {answer.skill}")
        fits = fit_results(snap.profile).fits[:3]
        rows.append({"snapshot": snap, "top": fits, "changes": changes,
                     "hours": snap.profile.total_hours})  # fmt: skip
    return _page(request, "paths/history.html", person, "history", rows=rows)


# --- position, self-assessment, readiness ------------------------------------------------------


@login_required
def position(request, person_id: int):
    person = career_person(request.user, person_id)
    view = position_view(person)
    framework = view.framework or actions.active_framework(person.organisation)
    if request.GET.get("framework"):  # looking at another framework's positions before choosing one
        framework = frameworks_for(request.user).filter(key=request.GET["framework"]).first() or framework
    errors: list[str] = []
    if request.method == "POST":
        career_person(request.user, person_id, edit=True)
        try:
            if request.POST.get("form") == "position":
                chosen = frameworks_for(request.user).filter(key=request.POST.get("framework", "")).first()
                actions.set_position(person, chosen or framework, request.POST.get("current", ""),
                                     request.POST.get("target", ""))  # fmt: skip
                messages.success(request, "Position saved.")
            else:
                _save_assessment(request, person, view)
                messages.success(request, "Self-assessment saved.")
        except InputError as exc:
            errors = [str(exc)]
        else:
            return redirect("paths:position", person_id=person.pk)
    level = None
    if view.position and view.position.target:
        level = view.framework.data.level(view.position.target_position)
    ratings = view.assessment.ratings if view.assessment else {}
    areas = []
    if level is not None:
        data = view.framework.data
        for comp in level.competencies:
            area = data.area(comp.area)
            areas.append({"name": area.name if area else comp.area, "criteria": [
                {"criterion": c, "rating": ratings.get(c.id, {}).get("rating", ""),
                 "evidence": ratings.get(c.id, {}).get("evidence", "")} for c in comp.criteria]})  # fmt: skip
    titles = dict(_position_choices(view.framework)) if view.framework else {}
    steps = [{"source": titles.get(str(st.source), str(st.source)), "target": titles.get(str(st.target), str(st.target)),
              "kind": st.kind, "note": st.note} for st in view.route]  # fmt: skip
    return _page(
        request, "paths/position.html", person, "position", view=view, framework=framework, steps=steps,
        current_title=titles.get(view.position.current, "") if view.position else "",
        target_title=titles.get(view.position.target, "") if view.position else "",
        frameworks=frameworks_for(request.user) if person_of(request.user) == person else [],
        positions=_position_choices(framework), level=level, areas=areas, errors=errors,
        rating_choices=list(RATING_LABELS.items()),
    )  # fmt: skip


def _save_assessment(request, person, view) -> None:
    if view.position is None or not view.position.target:
        raise InputError("choose a target position first")
    level = view.framework.data.require_level(view.position.target_position)
    ratings = {}
    for criterion in level.criteria():
        rating = request.POST.get(f"rating-{criterion.id}")
        if rating is None:
            continue
        ratings[criterion.id] = {
            "rating": rating,
            "evidence": request.POST.get(f"evidence-{criterion.id}", ""),
        }
    actions.save_assessment(person, view.framework, view.position.target, ratings)


def _position_choices(framework) -> list[tuple[str, str]]:
    return [(f"{t.id}/{lv.id}", f"{t.name} — {lv.title}") for t in framework.data.tracks for lv in t.levels]


# --- frameworks ----------------------------------------------------------------------------------


@login_required
def framework_list(request):
    person = own_person(request.user)
    actions.active_framework(person.organisation)  # the default framework appears on first use
    return render(request, "paths/framework_list.html",
                  {"nav": "career", "frameworks": frameworks_for(request.user), "me": person})  # fmt: skip


@login_required
def framework_detail(request, key: str):
    me = own_person(request.user)
    row = framework_for(request.user, key)
    data = row.data
    mine = getattr(me, "career_position", None)
    start = request.GET.get("from") or (mine.current if mine and mine.framework_id == row.pk else "")
    target = request.GET.get("to", "")
    steps, route_error = [], ""
    if start and target:
        try:
            steps = route_between(row, start, target)
            if not steps and start != target:
                route_error = "No route connects these positions in this framework."
        except InputError as exc:
            route_error = str(exc)
    titles = {f"{t.id}/{lv.id}": f"{t.name} — {lv.title}" for t in data.tracks for lv in t.levels}
    steps = [{"source": titles[str(st.source)], "target": titles[str(st.target)], "kind": st.kind,
              "note": st.note} for st in steps]  # fmt: skip
    context = {
        "nav": "career", "framework": row, "data": data, "areas": {a.id: a for a in data.areas},
        "positions": _position_choices(row), "start": start, "target": target, "steps": steps,
        "route_error": route_error, "level": _level_detail(data, request.GET.get("level", ""), titles),
        "bridges": [{"source": titles[str(b.source)], "target": titles[str(b.target)], "to": str(b.target),
                     "note": b.note} for b in data.bridges],
        "start_title": titles.get(start, start), "target_title": titles.get(target, target),
    }  # fmt: skip
    if request.htmx and request.GET.get("part") == "route":
        return render(request, "paths/_route.html", context)
    return render(request, "paths/framework_detail.html", context)


def _level_detail(data, text: str, titles: dict[str, str]) -> dict | None:
    """One level's competencies with area names and its bridges, for the browser; None if not chosen."""
    try:
        position = Position.parse(text)
    except InputError:
        return None
    level = data.level(position)
    if level is None:
        return None
    areas = {a.id: a.name for a in data.areas}
    return {
        "title": level.title, "track": data.track(position.track).name, "rank": level.rank,
        "summary": level.summary,
        "competencies": [(areas.get(c.area, c.area), c.criteria) for c in level.competencies],
        "bridges": [{"to": str(b.target), "target": titles[str(b.target)], "note": b.note}
                    for b in data.bridges_from(position)],
    }  # fmt: skip


# --- job crafting ----------------------------------------------------------------------------------


@login_required
def plan(request, person_id: int):
    person = career_person(request.user, person_id)
    _snapshot, profile = latest_profile(person)
    proposal = crafting_proposal(profile) if profile else None
    if request.method == "POST":
        career_person(request.user, person_id, edit=True)
        if proposal is None:
            raise Http404("No profile yet")
        chosen = [int(i) for i in request.POST.getlist("shift") if i.isdigit()]
        actions.accept_crafting_plan(person, proposal, request.POST.get("note", ""), chosen)
        messages.success(request, "Plan saved.")
        return redirect("paths:plan", person_id=person.pk)
    accepted = CraftingPlan.objects.filter(person=person).first()
    names = {x.id: x.name for x in load_activities()}
    return _page(
        request, "paths/plan.html", person, "plan", proposal=proposal, accepted=accepted,
        proposal_shifts=[(s.hours, names[s.from_activity], names[s.to_activity]) for s in proposal.shifts]
        if proposal else [],
        accepted_shifts=[(s["hours"], names.get(s["from"], s["from"]), names.get(s["to"], s["to"]))
                         for s in accepted.shifts] if accepted else [],
    )  # fmt: skip


# --- experiments -----------------------------------------------------------------------------------


@login_required
def experiments(request, person_id: int):
    person = career_person(request.user, person_id)
    errors: list[str] = []
    if request.method == "POST":
        career_person(request.user, person_id, edit=True)
        try:
            start = _date(request.POST.get("start"), "start date")
            weeks = request.POST.get("weeks", "").strip()
            experiment = actions.start_experiment(
                person, request.POST.get("template", ""), start, request.POST.get("hypothesis", "").strip(),
                int(weeks) if weeks.isdigit() else None, request.POST.get("target_role") or None,
            )  # fmt: skip
        except InputError as exc:
            errors = [str(exc)]
        else:
            messages.success(request, f"Experiment “{experiment.name}” started.")
            return redirect("paths:experiment", experiment_id=experiment.pk)
    _snapshot, profile = latest_profile(person)
    templates = load_experiment_templates()
    suggested = [t.id for t in suggest_experiments(profile)] if profile else []
    return _page(request, "paths/experiments.html", person, "experiments",
                 experiments=Experiment.objects.filter(person=person).prefetch_related("checkins"),
                 templates=list(templates.values()), suggested=suggested, errors=errors,
                 today=timezone.localdate(), roles=list(load_roles()))  # fmt: skip


def _date(text: str | None, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise InputError(f"{label} must be a date like 2026-03-02") from None


@login_required
def experiment_detail(request, experiment_id: int):
    experiment = career_experiment(request.user, experiment_id)
    person = experiment.person
    errors: list[str] = []
    if request.method == "POST":
        career_experiment(request.user, experiment_id, edit=True)
        try:
            if request.POST.get("form") == "checkin":
                actions.add_checkin(experiment, _date(request.POST.get("on"), "check-in date"),
                                    request.POST.get("note", ""))  # fmt: skip
                messages.success(request, "Check-in saved.")
            else:
                energy, skill = {}, {}
                for aid in experiment.activities:
                    if request.POST.get(f"energy-{aid}"):
                        energy[aid] = int(request.POST[f"energy-{aid}"])
                    if request.POST.get(f"skill-{aid}"):
                        skill[aid] = int(request.POST[f"skill-{aid}"])
                actions.record_outcome(experiment, _date(request.POST.get("ended_on"), "end date"), energy,
                                       skill, request.POST.get("decision", ""), request.POST.get("notes", ""))  # fmt: skip
                messages.success(request, "Outcome saved: your profile has a new snapshot.")
        except (InputError, ValueError) as exc:
            errors = [str(exc)]
        else:
            return redirect("paths:experiment", experiment_id=experiment.pk)
    _snapshot, profile = latest_profile(person)
    names = {x.id: x.name for x in load_activities()}
    tried = [{"id": a, "name": names.get(a, a),
              "energy": profile.answer(a).energy if profile else None,
              "skill": profile.answer(a).skill if profile else None} for a in experiment.activities]  # fmt: skip
    return _page(request, "paths/experiment_detail.html", person, "experiments", experiment=experiment,
                 tried=tried, errors=errors, decisions=DECISIONS, today=timezone.localdate(),
                 energy_choices=ENERGY_CHOICES, skill_choices=SKILL_CHOICES,
                 energy_words={v: k for k, v in ENERGY_WORDS.items()})  # fmt: skip


# --- a manager's view ------------------------------------------------------------------------------


@login_required
def team(request):
    """A manager's reports and what they share; past the direct reports, rolled up by subtree: each report who
    manages people is one row of counts the viewer may open (`?under=`), so a CEO's page has a dozen rows, not
    thousands, in the same few queries."""
    me = own_person(request.user)
    root = subtree_root(me, request.GET.get("under"))
    if root is None:
        raise Http404("Nobody with this id reports to you.")
    shared = visible_people(request.user, Kind.CAREER)
    with_profile = shared.filter(Exists(ProfileSnapshot.objects.filter(person=OuterRef("pk"))))
    children = list(
        Person.objects.filter(manager=root)
        .annotate(has_profile=Exists(ProfileSnapshot.objects.filter(person=OuterRef("pk"))))
        .order_by("name", "pk")
    )
    shared_ids = set(shared.filter(manager=root).values_list("pk", flat=True))
    totals = branch_totals(root.pk, {"shared": shared, "profiles": with_profile})
    rows = [{"person": child, "shared": child.pk in shared_ids, "direct": child.manager_id == me.pk,
             "has_profile": child.pk in shared_ids and child.has_profile, "below": totals.get(child.pk)}
            for child in children]  # fmt: skip
    return render(request, "paths/team.html", {"nav": "career", "rows": rows, "me": me, "root": root,
                  "path": path_down(me, root), "privacy_url_id": me.pk,
                  "branches": [row for row in rows if row["below"]]})  # fmt: skip


@login_required
@require_POST
def activate(request, key: str):
    """Only an admin changes the organisation's active framework (people choose per position)."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only an administrator can choose the organisation's framework.")
    actions.activate_framework(framework_for(request.user, key))
    return redirect("paths:framework", key=key)
