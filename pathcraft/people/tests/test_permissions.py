"""The permission matrix: every kind of data × every relation, written out here as the specification."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from pathcraft.people.permissions import can_view, relations, require_view, set_share, visible_people
from pathcraft.people.policy import Kind, Relation
from pathcraft.people.tests.factories import small_org

pytestmark = pytest.mark.django_db

# The subject is always "dev". Viewer key -> the relation they have to dev.
VIEWERS = {
    "dev": Relation.SELF,
    "lead": Relation.MANAGER,
    "boss": Relation.SKIP,
    "dev2": Relation.PEER,
    "other": Relation.PEER,
    "admin": Relation.ADMIN,
    "stranger": Relation.STRANGER,
}

# Y = allowed, N = denied, C = only after dev consents. Columns: self manager skip peer admin stranger.
MATRIX = """
directory       Y Y Y Y Y N
career          Y C C N N N
feedback        Y C N N N N
workload        Y Y N N N N
calendar        Y C N N N N
burnout         Y N N N N N
code_activity   Y Y N N N N
code_knowledge  Y Y Y Y Y N
growth          Y Y C N N N
mood            Y Y N N N N
account         Y N N N Y N
"""
COLUMNS = [Relation.SELF, Relation.MANAGER, Relation.SKIP, Relation.PEER, Relation.ADMIN, Relation.STRANGER]
CASES = [
    (Kind(kind), relation, mark)
    for kind, *marks in (line.split() for line in MATRIX.strip().splitlines())
    for relation, mark in zip(COLUMNS, marks, strict=True)
]


def _user(org, key):
    return org[key] if key == "admin" else org[key].user


def test_matrix_covers_every_kind():
    assert {kind for kind, _, _ in CASES} == set(Kind)


@pytest.mark.parametrize("viewer_key,relation", VIEWERS.items())
def test_relation_is_worked_out(viewer_key, relation):
    org = small_org()
    assert relation in relations(_user(org, viewer_key), org["dev"])


@pytest.mark.parametrize("kind,relation,mark", CASES, ids=[f"{k}-{r}" for k, r, _ in CASES])
def test_matrix(kind, relation, mark):
    org = small_org()
    dev = org["dev"]
    viewers = [key for key, rel in VIEWERS.items() if rel is relation]
    for key in viewers:
        user = _user(org, key)
        assert can_view(user, dev, kind) is (mark == "Y"), f"{key} ({relation}) on {kind} before consent"
        ids = set(visible_people(user, kind).values_list("pk", flat=True))
        assert (dev.pk in ids) is (mark == "Y"), f"visible_people disagrees for {key} on {kind}"
    if mark == "C":
        set_share(dev, kind, relation, True)
        for key in viewers:
            user = _user(org, key)
            assert can_view(user, dev, kind), f"{key} ({relation}) on {kind} after consent"
            assert dev.pk in set(visible_people(user, kind).values_list("pk", flat=True))
        set_share(dev, kind, relation, False)
        assert not any(can_view(_user(org, key), dev, kind) for key in viewers), (
            "withdrawing consent must work"
        )


def test_consent_for_one_relation_does_not_open_another():
    org = small_org()
    set_share(org["dev"], Kind.CAREER, Relation.MANAGER, True)
    assert can_view(org["lead"].user, org["dev"], Kind.CAREER)
    assert not can_view(org["boss"].user, org["dev"], Kind.CAREER)
    assert not can_view(org["dev2"].user, org["dev"], Kind.CAREER)


@pytest.mark.parametrize(
    "kind,relation",
    [
        (Kind.BURNOUT, Relation.MANAGER),
        (Kind.CAREER, Relation.PEER),
        (Kind.WORKLOAD, Relation.SKIP),
        (Kind.DIRECTORY, Relation.MANAGER),
    ],
)
def test_only_consent_cells_can_be_granted(kind, relation):
    org = small_org()
    with pytest.raises(ValueError, match="cannot be shared"):
        set_share(org["dev"], kind, relation, True)


def test_anonymous_sees_nothing():
    org = small_org()
    anonymous = AnonymousUser()
    for kind in Kind:
        assert not can_view(anonymous, org["dev"], kind)
        assert not visible_people(anonymous, kind).exists()


def test_require_view_hides_existence_from_strangers_and_forbids_peers():
    org = small_org()
    with pytest.raises(Http404):
        require_view(org["stranger"].user, org["dev"], Kind.DIRECTORY)
    with pytest.raises(PermissionDenied):
        require_view(org["dev2"].user, org["dev"], Kind.WORKLOAD)
    assert require_view(org["lead"].user, org["dev"], Kind.WORKLOAD) == org["dev"]


def test_manager_chain_of_any_depth_is_skip_level():
    org = small_org()
    from pathcraft.people.tests.factories import make_person

    deep = org["dev"]
    for i in range(5):
        deep = make_person(org["org"], f"Level {i}", manager=deep)
    assert Relation.SKIP in relations(org["boss"].user, deep)
    assert Relation.MANAGER in relations(deep.manager.user, deep)
    assert deep.pk in set(visible_people(org["lead"].user, Kind.DIRECTORY).values_list("pk", flat=True))


def _line(org, depth: int):
    """A line of DEPTH people below boss, each the manager of the next, each with two more reports."""
    from pathcraft.people.tests.factories import make_person

    person = org["boss"]
    for level in range(depth):
        for side in ("a", "b"):
            make_person(org["org"], f"Side {level}{side}", manager=person, account=False)
        person = make_person(org["org"], f"Line {level}", manager=person, account=False)
    return person


@pytest.mark.parametrize("depth", [2, 12], ids=["shallow", "deep"])
def test_permission_checks_cost_the_same_queries_at_any_depth(depth, django_assert_num_queries):
    """The manager chain and everything below are one recursive query each, not one query per person or level:
    the counts below are the same for a line of 2 and of 12 levels."""
    org = small_org()
    bottom = _line(org, depth)
    boss = org["boss"].user
    assert boss.person == org["boss"]  # the viewer's own person is the request's cost, not the check's
    with django_assert_num_queries(1):
        assert len(bottom.manager_chain()) == depth
    with django_assert_num_queries(1):
        assert len(org["boss"].all_reports()) == 5 + 3 * depth
    with django_assert_num_queries(2):  # the chain, then the consents
        assert can_view(boss, bottom, Kind.GROWTH) is False
    with django_assert_num_queries(1):
        assert bottom.pk in set(visible_people(boss, Kind.DIRECTORY).values_list("pk", flat=True))
    set_share(bottom, Kind.GROWTH, Relation.SKIP, True)  # growth: managers see, skip-levels on consent
    with django_assert_num_queries(1):
        ids = set(visible_people(boss, Kind.GROWTH).values_list("pk", flat=True))
    direct = {org["lead"].pk, org["lead2"].pk, *org["boss"].reports.values_list("pk", flat=True)}
    assert ids == {org["boss"].pk, bottom.pk} | direct
    assert can_view(boss, bottom, Kind.GROWTH)


def test_all_reports_is_breadth_first_and_survives_a_cycle():
    org = small_org()
    below = [p.key if hasattr(p, "key") else p.name for p in org["boss"].all_reports()]
    assert below == ["Lee Lead", "Lou Lead", "Dan Dev", "Dee Dev", "Oli Other"]
    # A cycle written past clean() (a raw update): boss under dev. Nothing loops, nobody is their own report.
    type(org["boss"]).objects.filter(pk=org["boss"].pk).update(manager=org["dev"])
    org["boss"].refresh_from_db()
    names = [p.name for p in org["boss"].all_reports()]
    assert "Bo Boss" not in names and len(names) == len(set(names)) == 5
    chain = [p.name for p in org["dev"].manager_chain()]
    assert chain == ["Lee Lead", "Bo Boss"]


def test_a_manager_below_oneself_is_refused():
    from django.core.exceptions import ValidationError

    org = small_org()
    boss = org["boss"]
    boss.manager = org["dev"]  # dev is below boss: boss under dev would be a loop
    with pytest.raises(ValidationError, match="cycle"):
        boss.full_clean()
    boss.manager = org["stranger"]  # no loop (another organisation is another check's business)
    boss.clean()
