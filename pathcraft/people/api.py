"""People and teams in the JSON API: thin handlers over the permission core."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from pathcraft.api.pagination import paginated
from pathcraft.api.types import PathId, PathName, QueryName, WallTime, ok
from pathcraft.people.models import Person, Team
from pathcraft.people.permissions import person_of, require_view, visible_people
from pathcraft.people.policy import Kind

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    name: str
    email: str
    title: str
    team: str | None
    manager_id: int | None
    timezone: str
    location: str
    work_start: WallTime
    work_end: WallTime
    work_days: str

    @staticmethod
    def resolve_team(obj: Person) -> str | None:
        return obj.team.slug if obj.team_id else None


class TeamOut(Schema):
    slug: str
    name: str
    lead_id: int | None
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj: Team) -> list[int]:
        return sorted(member.pk for member in obj.members.all())  # prefetched by the handlers


class MeOut(Schema):
    username: str
    is_admin: bool
    person: PersonOut | None


@router.get("/me", response=ok(MeOut))
def me(request):
    return {"username": request.user.get_username(), "is_admin": request.user.is_superuser,
            "person": person_of(request.user)}  # fmt: skip


@router.get("/people", response=ok(list[PersonOut]))
@paginated
def list_people(request, team: QueryName = None):
    people = visible_people(request.user, Kind.DIRECTORY).select_related("team")
    if team:
        people = people.filter(team__slug=team)
    return people.order_by("name")


def _person(request, person_id: int, kind: Kind) -> Person:
    person = Person.objects.select_related("team").filter(pk=person_id).first()
    if person is None:
        raise Http404
    return require_view(request.user, person, kind)


@router.get("/people/{person_id}", response=ok(PersonOut, 403, 404))
def get_person(request, person_id: PathId):
    return _person(request, person_id, Kind.DIRECTORY)


@router.get("/people/{person_id}/reports", response=ok(list[PersonOut], 403, 404))
@paginated
def get_reports(request, person_id: PathId):
    person = _person(request, person_id, Kind.DIRECTORY)
    return person.reports.select_related("team").order_by("name")


@router.get("/teams", response=ok(list[TeamOut]))
@paginated
def list_teams(request):
    viewer = person_of(request.user)
    teams = Team.objects.all() if viewer is None and request.user.is_superuser else Team.objects.none()
    if viewer is not None:
        teams = Team.objects.filter(organisation_id=viewer.organisation_id)
    return teams.prefetch_related(Prefetch("members", Person.objects.only("pk", "team_id"))).order_by("name")


@router.get("/teams/{slug}", response=ok(TeamOut, 404))
def get_team(request, slug: PathName):
    viewer = person_of(request.user)
    teams = Team.objects.all() if viewer is None and request.user.is_superuser else Team.objects.none()
    if viewer is not None:
        teams = Team.objects.filter(organisation_id=viewer.organisation_id)
    return get_object_or_404(teams.prefetch_related("members"), slug=slug)
