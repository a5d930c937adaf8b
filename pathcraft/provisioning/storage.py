"""scim2-server's storage interface over pathcraft's people and teams, for one organisation.

scim2-server does the protocol (validation, PATCH, filters' grammar, ETag preconditions, list responses); this
class reads and writes rows. Users are people (their SCIM id is the person's id), Groups are teams. Leaving
(active false, DELETE) and manager changes go through the actions of the people, growth and feedback apps.
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from scim2_models import (
    InvalidValueException,
    NotFoundException,
    NotImplementedException,
    PreconditionFailedException,
    Resource,
    ResourceType,
    ResponseParameters,
    SearchRequest,
    UniquenessException,
)
from scim2_models.path import CompareOperator, Comparison
from scim2_server.storage import ScimStorage, SearchPage

from pathcraft.errors import PathcraftError
from pathcraft.growth.actions import change_manager, remove_manager
from pathcraft.people.models import Organisation, Person, Team
from pathcraft.provisioning import leavers
from pathcraft.provisioning.mapping import (
    UNSET,
    MappingError,
    overlay,
    person_fields,
    stored,
    version_of,
)
from pathcraft.provisioning.models import ScimGroup, ScimUser

# Equality filters the database answers directly (RFC 7643 §2.2: userName and displayName are not case-exact,
# externalId is). Any other filter is evaluated by scim2-models on the organisation's resources.
USER_EQ = {"username": "user_name__iexact", "externalid": "external_id", "id": "person_id",
           "emails.value": "person__email__iexact", "emails": "person__email__iexact"}  # fmt: skip
GROUP_EQ = {"displayname": "team__name__iexact", "externalid": "external_id", "id": "team_id"}


def _iso(value) -> str:
    return value.isoformat()


def _int_id(resource_id) -> int:
    try:
        return int(str(resource_id))
    except ValueError:
        raise NotFoundException(detail=f"no resource {resource_id}") from None


class PeopleStorage(ScimStorage):
    def __init__(self, organisation: Organisation, models: dict[str, type[Resource[Any]]]):
        self.organisation = organisation
        self.models = models
        # A PATCH that removed the manager may leave no enterprise extension at all: the view says so.
        self.manager_cleared = False

    # -- rows ---------------------------------------------------------------------------------------------

    def _ensure_rows(self) -> None:
        """People and teams that existed before provisioning (CSV import, pages) get their SCIM rows, so that
        an identity provider's first `userName eq` / `displayName eq` finds and adopts them."""
        missing = Person.objects.filter(organisation=self.organisation, scim__isnull=True)
        ScimUser.objects.bulk_create(
            [ScimUser(person=p, user_name=p.email) for p in missing.only("pk", "email")],
            ignore_conflicts=True,
        )
        teams = Team.objects.filter(organisation=self.organisation, scim__isnull=True).only("pk")
        ScimGroup.objects.bulk_create([ScimGroup(team=t) for t in teams], ignore_conflicts=True)

    def _users(self):
        return ScimUser.objects.filter(
            person__organisation=self.organisation, deleted_at=None
        ).select_related("person__team__scim")

    def _groups(self):
        return ScimGroup.objects.filter(team__organisation=self.organisation, deleted_at=None).select_related(
            "team"
        )

    def _user_row(self, resource_id, lock: bool = False) -> ScimUser:
        rows = self._users()
        if lock:
            rows = rows.select_for_update(of=("self",))
        row = rows.filter(person_id=_int_id(resource_id)).first()
        if row is None:
            raise NotFoundException(detail=f"no user {resource_id}")
        return row

    def _group_row(self, resource_id, lock: bool = False) -> ScimGroup:
        rows = self._groups()
        if lock:
            rows = rows.select_for_update(of=("self",))
        row = rows.filter(team_id=_int_id(resource_id)).first()
        if row is None:
            raise NotFoundException(detail=f"no group {resource_id}")
        return row

    # -- resources ----------------------------------------------------------------------------------------

    def _user_resource(self, row: ScimUser) -> Resource[Any]:
        person = row.person
        base = row.data or {"userName": row.user_name, "name": {"formatted": person.name},
                            "emails": [{"value": person.email, "type": "work", "primary": True}]}  # fmt: skip
        team = person.team
        live_team = (
            team is not None and getattr(team, "scim", None) is not None and team.scim.deleted_at is None
        )
        data = overlay(
            base, name=person.name, email=person.email, active=person.is_active, title=person.title,
            timezone=person.timezone,
            manager=str(person.manager_id) if person.manager_id else None,
            groups=[{"value": str(team.pk), "display": team.name, "$ref": f"Groups/{team.pk}"}] if live_team else [],
        )  # fmt: skip
        data["userName"] = row.user_name
        data["id"] = str(person.pk)
        data.pop("externalId", None)
        if row.external_id:
            data["externalId"] = row.external_id
        return self._finish(self.models["User"], data, row, "User")

    def _group_resource(self, row: ScimGroup, members=None) -> Resource[Any]:
        team = row.team
        if members is None:
            members = (
                Person.objects.filter(team=team, scim__deleted_at=None).order_by("pk").only("pk", "name")
            )
        data = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "id": str(team.pk),
                "displayName": team.name}  # fmt: skip
        if row.external_id:
            data["externalId"] = row.external_id
        found = [
            {"value": str(p.pk), "display": p.name, "$ref": f"Users/{p.pk}", "type": "User"} for p in members
        ]
        if found:
            data["members"] = found
        return self._finish(self.models["Group"], data, row, "Group")

    def _user_resources(self, rows: list[ScimUser]) -> list[Resource[Any]]:
        return [self._user_resource(row) for row in rows]

    def _group_resources(self, rows: list[ScimGroup]) -> list[Resource[Any]]:
        """One query for the members of every group of the page."""
        members: dict[int, list[Person]] = {row.team_id: [] for row in rows}
        people = Person.objects.filter(team_id__in=members, scim__deleted_at=None).order_by("pk")
        for person in people.only("pk", "name", "team_id"):
            members[person.team_id].append(person)
        return [self._group_resource(row, members[row.team_id]) for row in rows]

    @staticmethod
    def _finish(model, data: dict, row, resource_type: str) -> Resource[Any]:
        data["meta"] = {"resourceType": resource_type, "created": _iso(row.created_at),
                        "lastModified": _iso(row.updated_at)}  # fmt: skip
        data["meta"]["version"] = version_of(data)
        try:
            return model.model_validate(data)
        except ValueError:
            # What an identity provider once sent no longer validates (a schema change): serve the person.
            minimal = {k: data[k] for k in ("schemas", "id", "userName", "displayName", "active", "meta",
                                            "externalId", "members") if k in data}  # fmt: skip
            return model.model_validate(minimal)

    # -- the storage interface ---------------------------------------------------------------------------

    def get(self, resource_type: ResourceType, resource_id: str, *,
            response_parameters: ResponseParameters[Any] | None = None) -> Resource[Any]:  # fmt: skip
        self._ensure_rows()
        if resource_type.name == "User":
            return self._user_resource(self._user_row(resource_id))
        return self._group_resource(self._group_row(resource_id))

    def search(self, resource_types: list[ResourceType], search_request: SearchRequest[Any], *,
               position: Any = None) -> SearchPage:  # fmt: skip
        if len(resource_types) != 1:
            raise NotImplementedException(detail="search one resource type at a time: /Users or /Groups")
        self._ensure_rows()
        is_user = resource_types[0].name == "User"
        rows = self._users() if is_user else self._groups()
        rows = rows.order_by("person_id" if is_user else "team_id")
        build = self._user_resources if is_user else self._group_resources
        start = search_request.start_index_0 or 0
        count = search_request.count
        scim_filter = search_request.filter
        if scim_filter is None:
            total = rows.count()
            page = rows[start : start + count] if count is not None else rows[start:]
            return SearchPage(total, build(list(page)))
        rows = self._prefilter(rows, scim_filter, USER_EQ if is_user else GROUP_EQ)
        found = [resource for resource in build(list(rows)) if scim_filter.match(resource)]
        stop = None if count is None else start + count
        return SearchPage(len(found), found[start:stop])

    @staticmethod
    def _prefilter(rows, scim_filter, columns: dict[str, str]):
        node = scim_filter.ast
        if isinstance(node, Comparison) and node.op == CompareOperator.eq and isinstance(node.value, str):
            column = columns.get(str(node.attr_path).lower().removeprefix(
                "urn:ietf:params:scim:schemas:core:2.0:user:").removeprefix(
                "urn:ietf:params:scim:schemas:core:2.0:group:"))  # fmt: skip
            if column:
                if column in ("person_id", "team_id") and not node.value.isdigit():
                    return rows.none()
                return rows.filter(**{column: node.value})
        return rows

    @transaction.atomic
    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        self._ensure_rows()
        data = resource.model_dump()
        if resource_type.name == "User":
            return self._user_resource(self._write_user(None, data))
        return self._group_resource(self._write_group(None, data))

    @transaction.atomic
    def update(self, resource_type: ResourceType, resource: Resource[Any], *,
               expected_version: str | None = None) -> Resource[Any]:  # fmt: skip
        is_user = resource_type.name == "User"
        row = (self._user_row if is_user else self._group_row)(resource.id, lock=True)
        current = self._user_resource(row) if is_user else self._group_resource(row)
        if expected_version is not None and current.meta.version != expected_version:
            raise PreconditionFailedException(detail="the resource changed since that version")
        data = resource.model_dump()
        if is_user:
            return self._user_resource(self._write_user(row, data))
        return self._group_resource(self._write_group(row, data))

    @transaction.atomic
    def delete(self, resource_type: ResourceType, resource_id: str, *,
               expected_version: str | None = None) -> None:  # fmt: skip
        is_user = resource_type.name == "User"
        row = (self._user_row if is_user else self._group_row)(resource_id, lock=True)
        current = self._user_resource(row) if is_user else self._group_resource(row)
        if expected_version is not None and current.meta.version != expected_version:
            raise PreconditionFailedException(detail="the resource changed since that version")
        now = timezone.now()
        if is_user:
            if row.person.is_active:
                leavers.offboard(row.person, source="scim-delete", now=now)
            row.deleted_at = now
            row.save(update_fields=["deleted_at"])
        else:
            row.deleted_at = row.updated_at = now
            row.save(update_fields=["deleted_at", "updated_at"])

    def operation(self):
        return transaction.atomic()

    # -- writing users ------------------------------------------------------------------------------------

    def _write_user(self, row: ScimUser | None, data: dict) -> ScimUser:
        try:
            fields = person_fields(data)
        except MappingError as exc:
            raise InvalidValueException(detail=str(exc)) from None
        user_name = (data.get("userName") or "").strip()
        if not user_name:
            raise InvalidValueException(detail="userName is required")
        taken = self._users().filter(user_name__iexact=user_name).exclude(pk=row.pk if row else None)
        if taken.filter(Q(data__gt={}) | ~Q(person__email__iexact=fields.email)).exists():
            raise UniquenessException(detail=f"userName {user_name} is already taken")
        if row is None:
            row = self._adoptable(fields.email)
        elif Person.objects.filter(email__iexact=fields.email).exclude(pk=row.person_id).exists():
            raise UniquenessException(detail=f"the address {fields.email} belongs to someone else")
        creating = row is None
        person = row.person if row else Person(organisation=self.organisation)
        was_active = person.is_active if not creating else True
        person.name = fields.name[:200]
        person.email = fields.email
        if fields.title is not UNSET:
            person.title = fields.title[:200]
        if fields.timezone is not UNSET:
            try:
                zoneinfo.ZoneInfo(fields.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise InvalidValueException(
                    detail=f"timezone {fields.timezone!r} is not an IANA time zone"
                ) from None
            person.timezone = fields.timezone
        active = person.is_active if fields.active is UNSET else fields.active
        if creating:
            person.is_active = active
        try:
            person.save()
        except IntegrityError:
            raise UniquenessException(detail=f"the address {fields.email} belongs to someone else") from None
        if creating:
            row = ScimUser(person=person)
        now = timezone.now()
        row.user_name = user_name
        row.external_id = (data.get("externalId") or "").strip()
        row.data = stored(data)
        row.updated_at = now
        row.deleted_at = None
        row.save()
        manager_id = None if fields.manager_id is UNSET and self.manager_cleared else fields.manager_id
        self._set_manager(person, manager_id, creating)
        if (user := person.user) and user.email.lower() != person.email:
            # The account follows the address; its login name too when it was the old address (invitations and
            # SSO make it so), unless another account already has the new one.
            taken = type(user).objects.filter(username__iexact=person.email).exclude(pk=user.pk).exists()
            if user.username.lower() == user.email.lower() and not taken:
                user.username = person.email
            user.email = person.email
            user.save(update_fields=["email", "username"])
        if was_active and not active and not creating:
            leavers.offboard(person, source="scim", now=now)
        elif not was_active and active:
            leavers.reactivate(person, now=now)
        return self._user_row(person.pk)

    def _adoptable(self, email: str) -> ScimUser | None:
        """A POST for someone pathcraft already has: a person no provider has claimed yet (imported by CSV), or
        one a provider deleted (rehired). Anyone else with the address is a conflict."""
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            return None
        row = ScimUser.objects.filter(person=person).first()
        if person.organisation_id == self.organisation.pk and row and (not row.data or row.deleted_at):
            return row
        raise UniquenessException(detail=f"the address {email} belongs to someone already provisioned")

    def _set_manager(self, person: Person, manager_id, creating: bool) -> None:
        if manager_id is UNSET:
            return
        if manager_id is None:
            if person.manager_id:
                remove_manager(person)
            return
        manager = self._find_manager(str(manager_id))
        if manager is None:
            raise InvalidValueException(detail=f"manager {manager_id} is not a user of this organisation")
        if person.manager_id == manager.pk:
            return
        try:
            if creating and person.manager_id is None:
                # A new person has no 1:1 history to hand over: no manager change to consent to.
                person.manager = manager
                person.full_clean(validate_unique=False)
                person.save(update_fields=["manager"])
            else:
                change_manager(person, manager)
        except PathcraftError as exc:
            raise InvalidValueException(detail=str(exc)) from None

    def _find_manager(self, reference: str) -> Person | None:
        """The manager's SCIM id (what Entra sends); else, for providers that cannot resolve references (Okta
        sends a profile value such as the manager's login), their externalId, userName or email address."""
        people = Person.objects.filter(organisation=self.organisation)
        if reference.isdigit() and (found := people.filter(pk=int(reference)).first()):
            return found
        for lookup in ("scim__external_id", "scim__user_name__iexact", "email__iexact"):
            found = list(people.filter(**{lookup: reference}, scim__deleted_at=None)[:2])
            if len(found) == 1:
                return found[0]
        return None

    # -- writing groups -----------------------------------------------------------------------------------

    def _write_group(self, row: ScimGroup | None, data: dict) -> ScimGroup:
        name = (data.get("displayName") or "").strip()
        if not name:
            raise InvalidValueException(detail="displayName is required")
        member_ids = []
        for member in data.get("members") or []:
            value = str(member.get("value") or "")
            if not value.isdigit():
                raise InvalidValueException(detail=f"member {value!r} is not a user of this organisation")
            member_ids.append(int(value))
        members = list(self._users().filter(person_id__in=member_ids).values_list("person_id", flat=True))
        if len(set(members)) != len(set(member_ids)):
            raise InvalidValueException(
                detail="a member is not a user of this organisation (teams hold people)"
            )
        now = timezone.now()
        if row is None:
            existing = Team.objects.filter(organisation=self.organisation, name__iexact=name).first()
            adopt = ScimGroup.objects.filter(team=existing).filter(Q(provisioned=False) | ~Q(deleted_at=None))
            if existing is not None and adopt.exists():
                row = adopt.get()
            else:
                row = ScimGroup(team=Team.objects.create(organisation=self.organisation, name=name[:200],
                                                         slug=self._free_slug(name)))  # fmt: skip
        team = row.team
        if team.name != name:
            team.name = name[:200]
            team.save(update_fields=["name"])
        row.external_id = (data.get("externalId") or "").strip()
        row.provisioned = True
        row.updated_at = now
        row.deleted_at = None
        row.save()
        # One team per person in pathcraft: joining this group moves them from their previous team.
        Person.objects.filter(team=team).exclude(pk__in=members).update(team=None)
        Person.objects.filter(pk__in=members).exclude(team=team).update(team=team)
        ScimUser.objects.filter(person_id__in=members).update(updated_at=now)
        return self._group_row(team.pk)

    def _free_slug(self, name: str) -> str:
        base = slugify(name)[:40] or "team"
        slug, n = base, 1
        while Team.objects.filter(organisation=self.organisation, slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug
