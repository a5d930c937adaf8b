"""Read side shared by pages and API: whose career data may be seen, and the engines' results for it.

Every person-level lookup goes through the permission core with Kind.CAREER; changing data is for
the person themself only (a manager sees what a report shares, read-only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from pathcraft.paths.activities import load_activities
from pathcraft.paths.crafting import craft_plan
from pathcraft.paths.fit import RoleFit, rank_roles
from pathcraft.paths.frameworks import Position, Readiness, assess_readiness, parse_assessment, route
from pathcraft.paths.models import CareerPosition, Experiment, Framework, ProfileSnapshot, SelfAssessment
from pathcraft.paths.profile import Profile
from pathcraft.paths.roles import load_roles
from pathcraft.paths.strengths import StrengthItem, classify_strengths
from pathcraft.people.models import Person
from pathcraft.people.permissions import is_admin, person_of, require_view
from pathcraft.people.policy import Kind


def career_person(user, person_id: int, edit: bool = False) -> Person:
    """The person whose career data the viewer may see (404 unknown/stranger, 403 otherwise).

    With `edit`, only the person themself passes: consent lets a manager look, never change."""
    person = Person.objects.select_related("team", "manager").filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    require_view(user, person, Kind.CAREER)
    if edit and person_of(user) != person:
        raise PermissionDenied(f"Only {person.name} can change their own career data.")
    return person


def own_person(user) -> Person:
    person = person_of(user)
    if person is None:
        raise PermissionDenied(
            "Career pages are for people in the organisation; your account is not linked to a person."
        )
    return person


def career_experiment(user, experiment_id: int, edit: bool = False) -> Experiment:
    experiment = Experiment.objects.select_related("person").filter(pk=experiment_id).first()
    if experiment is None:
        raise Http404("No such experiment")
    career_person(user, experiment.person_id, edit=edit)
    return experiment


def frameworks_for(user) -> QuerySet[Framework]:
    """Frameworks are organisation data, not personal: people see their organisation's, an admin all."""
    person = person_of(user)
    if person is not None:
        return Framework.objects.filter(organisation_id=person.organisation_id)
    if is_admin(user):
        return Framework.objects.all()
    return Framework.objects.none()


def framework_for(user, key: str) -> Framework:
    row = frameworks_for(user).filter(key=key).first()
    if row is None:
        raise Http404("No such framework")
    return row


def latest_profile(person: Person) -> tuple[ProfileSnapshot | None, Profile | None]:
    snapshot = ProfileSnapshot.objects.filter(person=person).first()
    return snapshot, (snapshot.profile if snapshot else None)


@dataclass
class FitResults:
    fits: list[RoleFit]
    strengths: list[StrengthItem]


def fit_results(profile: Profile) -> FitResults:
    return FitResults(fits=rank_roles(profile), strengths=classify_strengths(profile))


def crafting_proposal(profile: Profile):
    role = profile.current_role if profile.current_role in load_roles() else None
    return craft_plan(profile, role)


@dataclass
class PositionView:
    position: CareerPosition | None
    framework: Framework | None
    assessment: SelfAssessment | None
    readiness: Readiness | None
    route: list


def position_view(person: Person) -> PositionView:
    """Current and target position, the self-assessment against the target and its readiness."""
    position = CareerPosition.objects.select_related("framework").filter(person=person).first()
    if position is None:
        return PositionView(None, None, None, None, [])
    framework = position.framework
    assessment = readiness = None
    steps: list = []
    if position.target:
        assessment = SelfAssessment.objects.filter(
            person=person, framework=framework, target=position.target
        ).first()
        parsed = parse_assessment(
            {"target": position.target, "current": position.current or None,
             "ratings": assessment.ratings if assessment else {}},
            "self-assessment",
        )  # fmt: skip
        readiness = assess_readiness(framework.data, parsed.target, parsed)
        steps = readiness.route
    return PositionView(position, framework, assessment, readiness, steps)


def route_between(framework: Framework, start: str, target: str) -> list:
    return route(framework.data, Position.parse(start), Position.parse(target))


def activity_names() -> dict[str, str]:
    return {a.id: a.name for a in load_activities()}
