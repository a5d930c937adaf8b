"""The API contract's building blocks: bounded input types, the one error shape, and what each operation declares.

Every request value is bounded by what the database can hold, so out-of-range input is a 422 naming the field in
the request, never a database error (a 500): ids are positive 64-bit integers, strings are no longer than their
column, lists and maps have a maximum size. The handlers' modules import these instead of bare ``int``/``str``.

Errors come back in the shape the exception handlers in pathcraft/api/urls.py and ninja's validation give:
``{"detail": "one line"}``, or for 422 ``{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}``. Each
operation declares its success and the codes its handler can answer with, ``response=ok(Model, 403, 404)``; 401
(every authenticated operation) and 422 (every operation that takes input) are added by
:func:`declare_framework_errors`, because the framework, not the handler, decides them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Path, Query, Schema
from pydantic import Field, PlainSerializer, WithJsonSchema

# The database's integer columns (bigint on PostgreSQL, SQLite's INTEGER) hold up to 2^63 - 1.
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1  # a count or a number of days: PositiveIntegerField's range everywhere
MAX_IDS = 200  # people in one request (feedback, leave simulation): more than any team
MAX_ITEMS = 200  # entries of a list or map in one request body
EMAIL_LENGTH = 254  # EmailField's max_length (RFC 5321's path limit)
NAME_LENGTH = 200  # names, titles, slugs and references: the CharFields' max_length of 200
KEY_LENGTH = 100  # catalogue keys (activities, roles, templates, competencies, frameworks)
TEXT_LENGTH = 10_000  # free text (notes, agenda items, answers, hypotheses): a long page, not a file

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Email = Annotated[str, Field(max_length=EMAIL_LENGTH)]
Name = Annotated[str, Field(max_length=NAME_LENGTH)]
Key = Annotated[str, Field(max_length=KEY_LENGTH)]
Text = Annotated[str, Field(max_length=TEXT_LENGTH)]
IdList = Annotated[list[Id], Field(max_length=MAX_IDS)]
EmailList = Annotated[list[Email], Field(max_length=MAX_IDS)]
KeyList = Annotated[list[Key], Field(max_length=MAX_ITEMS)]
NameList = Annotated[list[Name], Field(max_length=MAX_ITEMS)]

# Path and query parameters: the same bounds, in the place ninja reads them from.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PathKey = Annotated[str, Path(max_length=KEY_LENGTH)]
PathName = Annotated[str, Path(max_length=NAME_LENGTH)]
QueryName = Annotated[str | None, Query(max_length=NAME_LENGTH)]
QueryKey = Annotated[str | None, Query(max_length=KEY_LENGTH)]

# TimeField values go out as Django stores them, "09:00:00": no UTC offset, so not RFC 3339's `time`.
WallTime = Annotated[
    dt.time,
    PlainSerializer(lambda t: t.strftime("%H:%M:%S"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}:\d{2}$", "examples": ["09:00:00"]}),
]


def bounded_map(value: Any, max_items: int = MAX_ITEMS) -> Any:
    """A JSON object of at most MAX_ITEMS entries whose keys are catalogue keys."""
    return Annotated[dict[Key, value], Field(max_length=max_items)]


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    """Every error the API gives: one line, or (422) one entry per field that failed validation. A refused
    all-or-nothing import adds every problem with its place (line or JSON item, and field)."""

    detail: str | list[FieldError]
    problems: list[str] | None = None


def errors(*codes: int) -> dict[int, type[Error]]:
    """The error responses an operation's handler can give (400, 403, 404, 409), for its ``response=``."""
    return {code: Error for code in codes}


# What handlers that build their JSON by hand return, declared as such rather than not at all.
Object = dict[str, Any]
Objects = list[dict[str, Any]]


def ok(model: Any, *codes: int, status: int = 200) -> dict[int, Any]:
    """``response=`` for an operation: its success (status and body model; None for an empty 204) and the errors
    its handler can give."""
    return {status: model, **errors(*codes)}


def declare_framework_errors(api) -> None:
    """Add 401 to every operation that authenticates and 422 to every one that takes input: ninja answers those
    before the handler runs, so no handler declares them. Run once, after every router is added."""
    from ninja.constants import NOT_SET
    from ninja.operation import Operation

    error_model = Operation._create_response_model(None, Error)
    for router in {id(r): r for _prefix, r in api._routers}.values():
        inherited = router.auth if router.auth is not NOT_SET else api.auth
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                auth = inherited if operation.auth_param is NOT_SET else operation.auth_param
                if auth not in (None, NOT_SET):
                    operation.response_models.setdefault(401, error_model)
                if _takes_input(operation):
                    operation.response_models.setdefault(422, error_model)


def _takes_input(operation) -> bool:
    return any(model.model_fields for model in operation.models)
