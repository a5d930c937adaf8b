"""The demo's career story: what the demo manager and engineer see when they log in."""

from __future__ import annotations

import pytest

from pathcraft.paths.career import fit_results, latest_profile, position_view
from pathcraft.paths.models import Experiment, Framework, ProfileSnapshot
from pathcraft.people.models import Person
from pathcraft.people.permissions import can_view
from pathcraft.people.policy import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from pathcraft.demo.load import load_demo
    from pathcraft.demo.organisation import generate

    load_demo()
    spec = generate()
    return {p.key: Person.objects.get(email=p.email) for p in spec.people}


def _rank(person, role_id):
    _snapshot, profile = latest_profile(person)
    return next(f.rank for f in fit_results(profile).fits if f.role_id == role_id)


def test_three_frameworks_with_the_default_active(demo):
    keys = set(Framework.objects.values_list("key", flat=True))
    assert keys == {"pathcraft-default", "ft-engineering", "monzo-backend"}
    assert Framework.objects.get(is_active=True).key == "pathcraft-default"


def test_promoted_manager_is_drained_by_their_own_role(demo):
    sam = demo["sam"]
    assert _rank(sam, "engineering_manager") > 10  # the job they have fits them worse than most
    assert _rank(sam, "staff_engineer") < 5
    _snapshot, profile = latest_profile(sam)
    em = next(f for f in fit_results(profile).fits if f.role_id == "engineering_manager")
    assert em.drain_share > 0.5 and "which you rate as draining" in " ".join(em.explanation)
    assert sam.crafting_plans.exists() and position_view(sam).readiness is not None


def test_specialist_shares_with_the_manager_and_works_alone(demo):
    specialist, sam, jae = demo["platform-2"], demo["sam"], demo["platform-1"]
    assert can_view(sam.user, specialist, Kind.CAREER)
    assert not can_view(jae.user, specialist, Kind.CAREER)
    assert not can_view(sam.user, jae, Kind.CAREER)  # the demo engineer did not share
    _snapshot, profile = latest_profile(specialist)
    assert profile.answer("design").skill == 5 and profile.answer("debugging").skill == 5
    assert profile.hours_share("mentoring") + profile.hours_share("teaching") < 0.02


def test_demo_engineer_has_a_target_an_experiment_and_history(demo):
    jae = demo["platform-1"]
    view = position_view(jae)
    assert (view.position.current, view.position.target) == ("ic/senior", "management/manager")
    running = Experiment.objects.get(person=jae, status="running")
    assert running.template_id == "shadow_manager" and running.checkins.count() == 2
    done = Experiment.objects.get(person=jae, status="done")
    assert done.snapshot is not None and done.snapshot.profile.answer("mentoring").energy == 2
    assert ProfileSnapshot.objects.filter(person=jae).count() == 3
    assert ProfileSnapshot.objects.filter(person=jae).first().source == "demo"  # the latest is current
