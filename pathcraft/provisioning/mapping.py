"""Between a SCIM User (RFC 7643 §4.1, the enterprise extension §4.3) and a pathcraft person; and the PATCH
bodies identity providers actually send, made standard. Pure: plain dicts in and out, no Django."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MANAGER_PATHS = {f"{ENTERPRISE}:manager".lower(), "manager"}
# What the identity provider sends that pathcraft must never keep (RFC 7643 §4.1.1: password is writeOnly).
NEVER_STORED = ("password", "id", "meta", "groups")
UNSET = object()  # a field the resource does not mention: the person's value stays


class MappingError(ValueError):
    """One line saying what is wrong with the resource."""


@dataclass
class PersonFields:
    """What a SCIM User sets on a person. `UNSET` leaves a field as it is."""

    name: str
    email: str
    active: object  # True, False, or UNSET
    title: object = UNSET
    timezone: object = UNSET
    manager_id: object = UNSET  # a SCIM user id (str), None to clear, UNSET when not mentioned


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def display_name(data: dict) -> str:
    """pathcraft's one name field: displayName, else name.formatted, else given and family name, else userName."""
    name = data.get("name") or {}
    joined = " ".join(p for p in (_text(name.get("givenName")), _text(name.get("familyName"))) if p)
    return (
        _text(data.get("displayName"))
        or _text(name.get("formatted"))
        or joined
        or _text(data.get("userName"))
    )


def primary_email(data: dict) -> str:
    """The primary email, else the first work one, else the first; a userName that is an address otherwise."""
    emails = [e for e in data.get("emails") or [] if isinstance(e, dict) and _text(e.get("value"))]
    for rule in (lambda e: e.get("primary") is True, lambda e: e.get("type") == "work", lambda e: True):
        found = next((e for e in emails if rule(e)), None)
        if found:
            return _text(found["value"]).lower()
    user_name = _text(data.get("userName"))
    if "@" in user_name:
        return user_name.lower()
    raise MappingError("the user has no email address: send emails, or a userName that is an address")


def manager_reference(data: dict):
    extension = data.get(ENTERPRISE)
    if not isinstance(extension, dict):
        return UNSET  # a provider that does not send the extension leaves managers to pathcraft
    manager = extension.get("manager")
    value = manager.get("value") if isinstance(manager, dict) else manager
    return _text(value) or None


def person_fields(data: dict) -> PersonFields:
    active = data.get("active")
    if isinstance(active, str):  # Entra ID without aadOptscim062020 sends "True"/"False"
        active = active.strip().lower() != "false"
    # No `active` (never sent, or removed): the person stays as they are; only `false` makes a leaver.
    fields = PersonFields(name=display_name(data), email=primary_email(data),
                          active=UNSET if active is None else active is not False)  # fmt: skip
    if not fields.name:
        raise MappingError("the user has no name: send userName, displayName or name")
    fields.title = _text(data.get("title"))  # the whole resource arrives: no title is no title
    if _text(data.get("timezone")):
        fields.timezone = _text(data["timezone"])
    fields.manager_id = manager_reference(data)
    return fields


def stored(data: dict) -> dict:
    """The resource as kept: without what is never stored, nor the manager's display name (it is read live)."""
    kept = {key: value for key, value in data.items() if key not in NEVER_STORED}
    extension = kept.get(ENTERPRISE)
    if isinstance(extension, dict) and isinstance(extension.get("manager"), dict):
        kept[ENTERPRISE] = {**extension, "manager": {"value": extension["manager"].get("value")}}
    return kept


def overlay(data: dict, *, name: str, email: str, active: bool, title: str, timezone: str,
            manager: str | None, groups: list[dict]) -> dict:  # fmt: skip
    """The resource as served: what the provider sent, with the person's current values where pathcraft holds
    them (a page may have changed the name or title since), the live manager and the team as the group."""
    out = copy.deepcopy(data)
    out["schemas"] = [CORE_USER, *([ENTERPRISE] if ENTERPRISE in out or manager else [])]
    out["active"] = active
    if display_name(out) != name:
        out["displayName"] = name
    emails = [e for e in out.get("emails") or [] if isinstance(e, dict)]
    try:
        current = primary_email(out)
    except MappingError:
        current = None
    if current != email:
        emails = [{**e, "primary": False} for e in emails if _text(e.get("value")).lower() != email]
        emails.insert(0, {"value": email, "type": "work", "primary": True})
    if emails:
        out["emails"] = emails
    if "title" in out or title:
        out["title"] = title or None
    if "timezone" in out:
        out["timezone"] = timezone
    extension = dict(out.get(ENTERPRISE) or {})
    if manager:
        # No displayName: it is optional and read-only (RFC 7643 §4.3); providers neither need nor send one.
        extension["manager"] = {"value": manager, "$ref": f"Users/{manager}"}
    else:
        extension.pop("manager", None)
    if extension:
        out[ENTERPRISE] = extension
    else:
        out.pop(ENTERPRISE, None)
        out["schemas"] = [CORE_USER]
    if groups:
        out["groups"] = groups
    return {key: value for key, value in out.items() if value is not None}


def version_of(resource: dict) -> str:
    """A weak ETag from the content (RFC 7644 §3.14): it changes whenever what a client reads changes, whoever
    changed it (SCIM, a page, the CSV import), without a counter to keep."""
    body = json.dumps({k: v for k, v in resource.items() if k != "meta"}, sort_keys=True, default=str)
    return f'W/"{hashlib.sha256(body.encode()).hexdigest()[:20]}"'


# PATCH bodies as identity providers send them ---------------------------------------------------------------


def _member_filters(values) -> list[str]:
    found = []
    for item in values if isinstance(values, list) else [values]:
        value = item.get("value") if isinstance(item, dict) else item
        if _text(value):
            found.append(_text(value))
    return found


def normalize_patch(body):
    """Make the PATCH bodies of Microsoft Entra ID standard RFC 7644 §3.5.2 before the library reads them.

    * `remove` of `members` with a list of values: Entra (without the aadOptscim062020 flag) means "remove these
      members"; the RFC reads a remove of `members` without a filter as "remove all". Rewritten to one
      `members[value eq "…"]` remove per value.
    * the enterprise manager sent as a bare id string (`"value": "<id>"`), in a path or in a value object: the
      schema's manager is a complex attribute, so it becomes `{"value": "<id>"}`; an empty id clears it.
    Anything else passes unchanged (the library accepts capitalised op names and "True"/"False" strings).
    """
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        return body
    operations = []
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            operations.append(operation)
            continue
        op = str(operation.get("op", "")).lower()
        path = operation.get("path")
        path_key = path.lower() if isinstance(path, str) else None
        value = operation.get("value")
        if op == "remove" and path_key == "members" and value is not None:
            operations.extend({"op": "remove", "path": f'members[value eq "{member}"]'}
                              for member in _member_filters(value))  # fmt: skip
            continue
        if path_key in MANAGER_PATHS and op in ("add", "replace"):
            manager = value.get("value") if isinstance(value, dict) else value
            if not _text(manager):
                operations.append({"op": "remove", "path": f"{ENTERPRISE}:manager"})
            else:
                operations.append(
                    {**operation, "path": f"{ENTERPRISE}:manager", "value": {"value": _text(manager)}}
                )
            continue
        if path is None and isinstance(value, dict):
            # Entra with aadOptscim062020 puts paths as keys of one value object ("name.givenName",
            # 'emails[type eq "work"].value', "urn:…:employeeNumber"): each becomes an operation with its path.
            plain = {k: v for k, v in value.items() if not _is_path(k)}
            pathed = [
                {"op": operation.get("op"), "path": k, "value": v} for k, v in value.items() if _is_path(k)
            ]
            if plain:
                operations.append({**operation, "value": plain})
            operations.extend(normalize_patch({"Operations": pathed})["Operations"])
            continue
        operations.append(operation)
    return {**body, "Operations": operations}


def normalize_resource(body):
    """A POST or PUT body with the enterprise manager as Okta and Entra send it (a bare id, or `{"value": id}`
    without the `$ref` that RFC 7643 §4.3 calls required) made what scim2-models validates."""
    if not isinstance(body, dict) or not isinstance(body.get(ENTERPRISE), dict):
        return body
    extension = dict(body[ENTERPRISE])
    if "manager" in extension:
        manager = extension["manager"]
        value = _text(manager.get("value") if isinstance(manager, dict) else manager)
        if value:
            extension["manager"] = {**(manager if isinstance(manager, dict) else {}), "value": value,
                                    "$ref": f"Users/{value}"}  # fmt: skip
        else:
            extension.pop("manager")
    return {**body, ENTERPRISE: extension}


def _is_path(key: str) -> bool:
    return "." in key or "[" in key or key.lower().startswith("urn:") or key.lower() in MANAGER_PATHS


def clears_manager(body) -> bool:
    """Whether a PATCH body removes the enterprise manager, or the whole extension (after `normalize_patch`)."""
    operations = body.get("Operations") if isinstance(body, dict) else None
    return any(
        isinstance(o, dict) and str(o.get("op", "")).lower() == "remove"
        and str(o.get("path", "")).lower() in (*MANAGER_PATHS, ENTERPRISE.lower())
        for o in operations or []
    )  # fmt: skip
