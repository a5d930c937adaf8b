"""Published truck factors of Avelino et al. (the reference tool's gh-pages table, history to about 2015-02-25).

Fetched repositories are never part of this project: set PATHCRAFT_GIT_MIRRORS to a folder holding mirrors named
`owner+name/repo` or `owner+name` or `name` (bare or not), under the name of 2015 or of today (several of these
repositories have moved). Without it these tests are skipped, saying why. docs/code.md has the table with the
differences explained.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pathcraft.code.analysis import AnalysisOptions, analyze_repository
from pathcraft.testing.mirrors import find_mirror, where_looked

pytestmark = pytest.mark.mirrors

AS_OF = date(2015, 2, 25)
# name in the paper, name today (or None), published TF (aserg-ufmg/Truck-Factor gh-pages index.html),
# commit at 2015-02-25 (end of day UTC) on the default branch
PUBLISHED = [
    ("janl/mustache.js", None, 1, "d4ba5a19d4d04b139bbf7840fe342bb43930aee3"),
    ("jashkenas/backbone", None, 2, "e109f6d3e7a366f933f1f34405ca97effecae6c5"),
    ("mitsuhiko/flask", "pallets/flask", 1, "81e8bbbb7f5f7e43f37da5b76071aa52b2c0e5c7"),
    ("erikhuda/thor", "rails/thor", 1, "0a7a7aa67b890f58006f06008ae8a24490174d42"),
    ("sstephenson/sprockets", "rails/sprockets", 1, "0c1b0ef28a67d9c0442845fb90780f079c6c7dcf"),
    ("Respect/Validation", None, 2, "2c76fe1f15ad5d983fb5d7bb24ddbcf951873ff7"),
    ("thoughtbot/factory_girl", "thoughtbot/factory_bot", 1, "02df69cc9188ed247a47eef79ba0dc7854ed3951"),
    ("Leaflet/Leaflet", None, 1, "591de218f0984731a94bb3b1a4a1a81faef283af"),
    ("gruntjs/grunt", None, 1, "f290002eb3cede1004dbaf783d2b7b19f5d61bd4"),
    ("silexphp/Silex", None, 1, "244dbef7aaa889e81518e7bc9130de2d8741b75a"),
    ("thumbor/thumbor", None, 2, "20a557f8acd97c0146a978af3ae31b7864a61eea"),
    ("bup/bup", None, 2, "b27758e1ac79a11edf504ea94e21bd8160fa4974"),
    ("kriswallsmith/assetic", None, 1, "138dd4b5ffa430e9fd74822cce436753fcb15e99"),
    ("celluloid/celluloid", None, 1, "6a5c9cd5791306e6c09afbb9be1e8a2d5512204d"),
    ("alexreisner/geocoder", None, 1, "90e2ef1c82685c3a16bffb2c42e97bc210922f1b"),
]
# Where we differ (docs/code.md, "Reproduction of published values", says why): name, name today, ref,
# published TF, our TF, commit. Pinned so that a change in the method shows up here and is looked at.
DIFFERENT = [
    ("moment/moment", None, None, 2, 17, "78a53b8cb53e967c6dac2e7325e18da2a472fc2d"),
    ("resque/resque", None, "two-oh-is-cancelled", 5, 6, "e13034f3b5b4cdedb628d5b052719a926cbbe281"),
    ("Seldaek/monolog", None, None, 8, 11, "bba433ac380c47523fab495a1322368381df0996"),
    ("haml/haml", None, None, 2, 3, "8749bf5b12e824a13bf14de8773491c924fa7f6f"),
    ("fzaninotto/Faker", None, None, 21, 22, "9625956ef3946a36b75fdc91e41bb12568aa2f39"),
]

# The same person under two identities the history cannot join (an svn import's "nex3@<uuid>" and Nathan
# Weizenbaum's own addresses): with that one alias given, as the reference tool's alias list does, the value matches.
WITH_ALIASES = [
    (
        "haml/haml", None, {"Nathan Weizenbaum": ["nex3@7063305b-7217-0410-af8c-cdc13e5119b9"]}, 2,
        "8749bf5b12e824a13bf14de8773491c924fa7f6f",
    ),
]  # fmt: skip


def mirror_of(full_name: str, today: str | None) -> Path:
    for name in (full_name, today):
        mirror = find_mirror(name) if name else None
        if mirror is not None:
            return mirror
    pytest.skip(f"no mirror of {full_name}{f' (now {today})' if today else ''}: {where_looked()}")


@pytest.mark.parametrize(("full_name", "today", "published", "commit"), PUBLISHED)
def test_published_truck_factor(full_name, today, published, commit):
    analysis = analyze_repository(str(mirror_of(full_name, today)), AnalysisOptions(as_of=AS_OF))
    assert analysis.commit == commit
    assert analysis.truck.truck_factor == published


@pytest.mark.parametrize(("full_name", "today", "ref", "published", "ours", "commit"), DIFFERENT)
def test_documented_differences_stay_as_documented(full_name, today, ref, published, ours, commit):
    analysis = analyze_repository(str(mirror_of(full_name, today)), AnalysisOptions(ref=ref, as_of=AS_OF))
    assert analysis.commit == commit
    assert analysis.truck.truck_factor == ours != published


@pytest.mark.parametrize(("full_name", "today", "aliases", "published", "commit"), WITH_ALIASES)
def test_published_truck_factor_with_an_alias(full_name, today, aliases, published, commit):
    options = AnalysisOptions(as_of=AS_OF, aliases=aliases)
    analysis = analyze_repository(str(mirror_of(full_name, today)), options)
    assert analysis.commit == commit
    assert analysis.truck.truck_factor == published


def test_at_least_eight_published_values_are_reproduced():
    assert len(PUBLISHED) + len(WITH_ALIASES) >= 8
    assert not {p[0] for p in PUBLISHED} & {d[0] for d in DIFFERENT}
