"""Roll-ups by subtree: a director's organisation as one group per direct report, with counts, in one query.

A page that would list thousands of people below a viewer lists the viewer's direct reports instead, each with
the totals of the organisation below them, and links to open one of them the same way (drill-down).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from pathcraft.people.models import MAX_DEPTH, Person, below_ids


def branch_totals(root_id: int, measures: dict[str, QuerySet] | None = None) -> dict[int, dict[str, int]]:
    """{direct report of ROOT_ID: {"people": how many are below them, name: how many of those are in the
    queryset MEASURES[name]}} for every direct report who has anyone below them; one query, whatever the size.

    Each measure is a queryset of people (e.g. visible_people(...) or a filter of it): only its primary keys
    are used, as a subquery."""
    measures = measures or {}
    table = connection.ops.quote_name(Person._meta.db_table)
    columns, params = [], [root_id, MAX_DEPTH]
    for name, queryset in measures.items():
        sql, sub_params = queryset.values("pk").query.sql_with_params()
        columns.append(f"COUNT(DISTINCT CASE WHEN down.id IN ({sql}) THEN down.id END) AS {name}")
        params.extend(sub_params)
    extra = "".join(f", {column}" for column in columns)
    query = (
        f"WITH RECURSIVE down(id, branch, depth) AS ("
        f" SELECT p.id, p.manager_id, 1 FROM {table} p JOIN {table} m ON p.manager_id = m.id"
        f" WHERE m.manager_id = %s"
        f" UNION ALL SELECT p.id, down.branch, down.depth + 1 FROM {table} p JOIN down ON p.manager_id = down.id"
        f" WHERE down.depth < %s)"
        f" SELECT down.branch, COUNT(DISTINCT down.id) AS people{extra} FROM down GROUP BY down.branch"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = ["people", *measures]
        return {row[0]: dict(zip(names, row[1:], strict=True)) for row in cursor.fetchall()}


def subtree_root(viewer: Person, person_id: int | str | None) -> Person:
    """The person whose branch a drill-down opens: VIEWER themself, or someone below them (None otherwise)."""
    if person_id in (None, "", viewer.pk, str(viewer.pk)):
        return viewer
    if not str(person_id).isdigit():
        return None
    return (
        Person.objects.filter(pk=int(person_id), pk__in=below_ids(viewer.pk))
        .select_related("team", "manager")
        .first()
    )


def path_down(viewer: Person, root: Person) -> list[Person]:
    """The managers from VIEWER (included) down to ROOT (excluded), top first: the drill-down's breadcrumbs."""
    if root.pk == viewer.pk:
        return []
    chain = root.manager_chain()
    ids = [p.pk for p in chain]
    if viewer.pk not in ids:
        return []
    return list(reversed(chain[: ids.index(viewer.pk) + 1]))


def branch_map(root_id: int) -> dict[int, int]:
    """{person id: the direct report of ROOT_ID whose branch they are in} for everyone below ROOT_ID (a direct
    report maps to themself); one query."""
    table = connection.ops.quote_name(Person._meta.db_table)
    query = (
        f"WITH RECURSIVE down(id, branch, depth) AS ("
        f" SELECT id, id, 1 FROM {table} WHERE manager_id = %s"
        f" UNION ALL SELECT p.id, down.branch, down.depth + 1 FROM {table} p JOIN down ON p.manager_id = down.id"
        f" WHERE down.depth < %s)"
        f" SELECT DISTINCT id, branch FROM down WHERE id <> %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [root_id, MAX_DEPTH, root_id])
        return dict(cursor.fetchall())
