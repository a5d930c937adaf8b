"""The emails of peer feedback: invitation, reminder, and the start of a team cycle.

Sent through Django's email system (console backend in development, SMTP by settings). The
link holds the only copy of a respondent's token; nothing else stores it in clear text.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


def answer_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/feedback/answer/{token}/"


def _invitation_text(
    subject_name: str, link: str, due: dt.date | None, expires: dt.datetime, again: bool, k: int
) -> str:
    due_line = f"It would help to have your answer by {due:%A %d %B %Y}.\n" if due else ""
    opening = (
        f"A reminder: {subject_name} asked for your feedback and would still value it."
        if again
        else f"{subject_name} asked you for feedback on their work."
    )
    replaced = "\nThis link replaces the one in the earlier email.\n" if again else ""
    return (
        f"{opening}\n\n"
        f"Your answer is anonymous: it is shown only together with at least {k - 1} other colleagues' "
        "answers, without your name, and never in the order people answered. You do not need an account.\n\n"
        f"Answer here (the link works once, until {expires:%d %B %Y}):\n{link}\n{replaced}\n"
        f"{due_line}"
        "If you would rather not answer, simply ignore this email.\n"
    )


def send_invitations(
    subject_name: str, links: list[tuple[str, str]], due, expires, again: bool = False, k: int = 3
) -> int:
    """Send one email per (address, token); returns the number sent. Raises on failure."""
    if not links:
        return 0
    title = (
        f"Reminder: {subject_name} would value your feedback"
        if again
        else f"{subject_name} asks for your feedback"
    )
    messages = [
        EmailMessage(
            title, _invitation_text(subject_name, answer_link(token), due, expires, again, k), to=[address]
        )
        for address, token in links
    ]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def send_cycle_started(manager_name: str, reports: list[tuple[str, str]], due, cycle_id: int) -> int:
    """Tell each report (name, email) that their manager started a feedback cycle."""
    link = f"{settings.SITE_URL.rstrip('/')}/feedback/new/?cycle={cycle_id}"
    due_line = f" by {due:%d %B %Y}" if due else ""
    messages = [
        EmailMessage(
            f"{manager_name} started a feedback round",
            f"Hello {name},\n\n{manager_name} started a peer-feedback round for the team{due_line}. "
            "You choose whom to ask; what your colleagues say is shown to you only, and only once at least "
            "three of them answered. Your manager sees how many people you asked and how many answered, "
            "never the answers, unless you decide to share some of them.\n\n"
            f"Choose your colleagues here:\n{link}\n",
            to=[address],
        )
        for name, address in reports
    ]
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
