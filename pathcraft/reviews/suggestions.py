"""The profile-week suggestion: review hours estimated from a person's review count, offered for the "code review"
activity of their talent-and-energy profile; the person accepts (a new profile snapshot) or dismisses it."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from pathcraft.errors import InputError
from pathcraft.paths.actions import latest_snapshot, save_profile
from pathcraft.paths.profile import ActivityAnswer, Profile
from pathcraft.people.models import Person
from pathcraft.reviews.defaults import load_defaults
from pathcraft.reviews.models import WeekSuggestion
from pathcraft.reviews.shares import WeekEstimate, suggest_week

ACTIVITY = "code_review"


def profile_hours(person: Person) -> float | None:
    snapshot = latest_snapshot(person)
    if snapshot is None:
        return None
    answer = snapshot.profile.answers.get(ACTIVITY)
    return answer.hours if answer is not None else 0.0


def week_suggestion(person: Person, estimate: dict | None) -> dict | None:
    """What to suggest for the profile week, or None (nothing to say, or the person answered this estimate)."""
    if estimate is None:
        return None
    current = profile_hours(person)
    hours = suggest_week(WeekEstimate(**estimate), current)
    if hours is None:
        return None
    last = WeekSuggestion.objects.filter(person=person).first()
    if last is not None and abs(last.hours - hours) < load_defaults().suggest_min_difference:
        return None
    return {"hours": hours, "profile_hours": current, "estimate": estimate}


def decide(person: Person, hours: float, accept: bool) -> WeekSuggestion:
    """The person's answer. Accepting puts HOURS of code review into a new snapshot of their profile (the rest of
    the profile as it was)."""
    if not 0 < hours <= 100:
        raise InputError("review hours must be more than 0 and at most 100 a week")
    with transaction.atomic():
        if accept:
            snapshot = latest_snapshot(person)
            profile = snapshot.profile if snapshot is not None else Profile(name=person.name)
            answer = profile.answers.get(ACTIVITY) or ActivityAnswer(ACTIVITY)
            answers = {**profile.answers, ACTIVITY: replace(answer, hours=hours)}
            save_profile(person, replace(profile, answers=answers, taken_on=timezone.localdate()))
        decision = WeekSuggestion.Decision.ACCEPTED if accept else WeekSuggestion.Decision.DISMISSED
        return WeekSuggestion.objects.create(person=person, hours=hours, decision=decision)
