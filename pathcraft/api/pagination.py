"""Every API list is a page: ``?limit=&offset=`` in, ``{"items": [...], "count": total}`` out (django-ninja's
limit/offset pagination), so no response carries thousands of rows whatever the organisation's size.

A handler returns its whole collection, a queryset where it can (then the page is one ``LIMIT/OFFSET`` query
and the total one ``COUNT``), and ``@paginated`` under its route cuts the page. Bounds: ``limit`` 1 to
MAX_LIMIT (default DEFAULT_LIMIT), ``offset`` 0 to what the database can address; past either is a 422.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from pathcraft.api.types import MAX_ID

DEFAULT_LIMIT = 50  # a screenful of rows
MAX_LIMIT = 200  # the largest page: 200 people is ~50 KB of JSON


class PageInput(Schema):  # its own name: ninja's default "Input" says nothing in the OpenAPI components
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"items per page, at most {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_ID, description="items to skip")


class Page(LimitOffsetPagination):
    Input = PageInput

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="all items of the list, not only this page's")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def paginated(view: Callable) -> Callable:
    """``@paginate(Page)``, for handlers in modules with postponed annotations: ninja reads the wrapper's
    signature in ninja's own namespace, where the handler's types (PathId, ...) are unknown, so they are resolved
    here first, in the handler's."""
    view.__annotations__ = typing.get_type_hints(view, include_extras=True)
    return paginate(Page)(view)
