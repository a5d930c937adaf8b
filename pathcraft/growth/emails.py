"""Reminder emails (Django's email system): before a 1:1 ("add your points"), after it ("close items"),
when a 1:1 is overdue, and when one of the four questions goes stale — each to the people concerned only.

No email ever carries a note's text; agenda items are counted, not quoted. Action items are quoted only
to their own owner.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import yaml
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pathcraft.errors import InputError
from pathcraft.growth import actions, queries
from pathcraft.growth import cadence as engine
from pathcraft.growth.defaults import DATA_DIR, threshold, threshold_from
from pathcraft.growth.figures import Threshold
from pathcraft.growth.models import Relationship, ReminderSent

REMINDER_SETTINGS = ("send_every_minutes", "before_hours", "after_hours")


@cache
def reminder_settings() -> dict[str, Threshold]:
    """data/reminders.yaml, checked once: every value positive, with its source or why."""
    path = DATA_DIR / "reminders.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or set(data) != set(REMINDER_SETTINGS):
        raise InputError(f"{path}: expected exactly {', '.join(REMINDER_SETTINGS)}")
    found = {name: threshold_from(data[name], f"reminders.yaml {name}") for name in REMINDER_SETTINGS}
    for name, value in found.items():
        if value.value <= 0:
            raise InputError(f"reminders.yaml {name}: must be more than 0, got {value.value:g}")
    return found


def reminder_interval() -> dt.timedelta:
    """How often the worker sends due reminders (the growth app's periodic task)."""
    return dt.timedelta(minutes=reminder_settings()["send_every_minutes"].value)


def _link(rel: Relationship) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("growth:one-on-one", args=[rel.pk])


def _once(rel: Relationship, kind: str, key: str) -> bool:
    """True the first time (and records it); False when this reminder went out already."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(relationship=rel, kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def _message(to, subject: str, body: str) -> EmailMessage:
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to.email])


def reminders(now: dt.datetime | None = None) -> list[EmailMessage]:
    """The reminder messages due at `now` (recorded as sent; call `send_reminders` to send them)."""
    now = now or timezone.now()
    messages: list[EmailMessage] = []
    rels = Relationship.objects.filter(ended_on=None).select_related("manager", "report")
    gap_alert = threshold("cadence.days_since_last_alert").value
    week = now.date().isocalendar()
    week_key = f"{week.year}-W{week.week:02d}"
    before = dt.timedelta(hours=reminder_settings()["before_hours"].value)
    after = dt.timedelta(hours=reminder_settings()["after_hours"].value)
    for rel in rels:
        actions.settle(rel, now)
        link = _link(rel)
        soon = rel.occurrences.filter(status=engine.PLANNED, start__gt=now, start__lte=now + before)
        for occ in soon:
            if _once(rel, "before", occ.start.isoformat()):
                count = rel.agenda_items.filter(occurrence=occ, done=False).count()
                for person, other in ((rel.report, rel.manager), (rel.manager, rel.report)):
                    messages.append(_message(person, f"1:1 with {other.name}: add your points",
                        f"Your 1:1 with {other.name} is on {occ.start.astimezone(engine.zone(rel.timezone)):%A %d %B at %H:%M}.\n"
                        f"{count} point(s) are on the agenda so far. Add yours: {link}\n"))  # fmt: skip
        just_held = rel.occurrences.filter(status=engine.HELD, start__lte=now, start__gt=now - after)
        for occ in just_held:
            if not _once(rel, "after", occ.start.isoformat()):
                continue
            for owner in (rel.report, rel.manager):
                mine = list(rel.action_items.filter(owner=owner, done_on=None))
                if mine:
                    lines = "\n".join(f"- {a.text} (due {a.due:%d %B})" for a in mine)
                    messages.append(_message(owner, "After your 1:1: close your items",
                                             f"Your open action items from this 1:1:\n{lines}\n\nClose them here: {link}\n"))  # fmt: skip
        last = rel.occurrences.filter(status=engine.HELD, start__lte=now).order_by("-start").first()
        since = (now.date() - (last.start.date() if last else rel.started_on)).days
        if since > gap_alert and _once(rel, "overdue", week_key):
            messages.append(_message(rel.manager, f"1:1 with {rel.report.name} is overdue",
                                     f"No 1:1 with {rel.report.name} held for {since} days "
                                     f"(alert after {gap_alert:g}). {link}\n"))  # fmt: skip
        stale, _ = queries.question_state(rel, now.astimezone(engine.zone(rel.timezone)).date())
        due = [q for q in stale if q.stale]
        if due and _once(rel, "stale", week_key + ":" + ",".join(q.question for q in due)):
            text = "\n".join(
                f"- {q.label} — {q.days_since} days (due after {q.stale_after_days})" for q in due
            )
            for person in (rel.manager, rel.report):
                messages.append(_message(person, "A question is due in your 1:1s",
                                         f"Not discussed for a while:\n{text}\n\nThe next agenda has a suggestion: {link}\n"))  # fmt: skip
    return messages


def send_reminders(now: dt.datetime | None = None) -> int:
    messages = reminders(now)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
