"""Demo feedback: a team cycle by Sam, a completed request with results, and one below the threshold.

* Jae (platform-1) asked six colleagues; all answered and the request is closed, so results,
  calibration (with a hidden strength and a blind spot) and a shared subset for Sam are visible.
* Platform-2 asked four colleagues; two answered, so only the count shows. The two still waiting
  get their invitation email (printed on the console by the development email backend).

Dates are relative to today so the open request's links still work; the content comes from the
given rng, so it is the same on every load.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pathcraft.feedback import actions, emails
from pathcraft.feedback.models import FeedbackRequest, Invite, TeamCycle
from pathcraft.feedback.results import current_release
from pathcraft.feedback.tokens import expiry, new_token

ACTIVITIES = ["coding", "code_review", "design", "debugging", "testing", "writing", "mentoring", "planning"]
# What colleagues roughly see in Jae's work, and what Jae thinks (code review underrated, writing overrated).
PEER_VIEW = {"coding": 4, "code_review": 5, "design": 3, "debugging": 4, "testing": 3, "writing": 2,
             "mentoring": 4, "planning": 3}  # fmt: skip
SELF_VIEW = {"coding": 4, "code_review": 3, "design": 3, "debugging": 4, "testing": 3, "writing": 4,
             "mentoring": 3, "planning": 3}  # fmt: skip
TEXTS = {
    "does_well": [
        "Reviews are thorough and kind; I learn something from almost every comment.",
        "Stays calm during incidents and explains what is going on.",
        "Picks up the unglamorous work nobody else wants.",
        "Asks the question everybody was wondering about in planning.",
        "Helps newer people get unstuck without taking over.",
        "Very reliable: when something is promised, it gets done.",
    ],
    "start": [
        "Share your review approach in a short talk; others would benefit.",
        "Write down design decisions before the meeting, not after.",
        "Say no more often when the sprint is already full.",
        "Pair with people from other teams on the migration.",
    ],
    "keep": [
        "Keep the friendly tone in reviews.",
        "Keep running the incident retros.",
        "Keep asking 'what problem are we solving?'.",
        "Keep the on-call handover notes; they save hours.",
        "Keep pairing with the newer people.",
        "Keep writing small, focused pull requests.",
    ],
    "stop": [
        "Stop rewriting docs alone late at night; ask for a second pair of eyes.",
        "Stop apologising for good questions.",
        "Long design documents lose readers; shorter would land better.",
    ],
}


def _make_request(
    subject, respondents, created: dt.datetime, due: dt.date, cycle
) -> tuple[FeedbackRequest, list]:
    """A request with its links built directly, so the demo knows the tokens of its respondents."""
    req = FeedbackRequest.objects.create(
        subject=subject, cycle=cycle, created_at=created, due=due, activities=ACTIVITIES
    )
    links = []
    for person in respondents:
        token, token_hash = new_token()
        Invite.objects.create(request=req, email=person.email, person=person, identity=f"person:{person.pk}",
                              token_hash=token_hash, sent_at=created, expires_at=expiry(created))  # fmt: skip
        links.append((person.email, token))
    return req, links


def _answer(rng, view: dict[str, int], texts: dict[str, list[str]]) -> dict:
    ratings = {}
    for activity, level in view.items():
        if rng.random() < 0.15:
            ratings[activity] = "not_seen"
        else:
            ratings[activity] = min(5, max(1, level + rng.choice((-1, 0, 0, 0, 1))))
    written = {q: rng.choice(pool) for q, pool in texts.items() if rng.random() < 0.8}
    return {"ratings": ratings, "texts": written}


def load_demo(org, people, rng) -> None:
    now = timezone.now().replace(microsecond=0)
    sam = people["sam"]
    cycle = TeamCycle.objects.create(manager=sam, created_at=now - dt.timedelta(days=21),
                                     due=(now + dt.timedelta(days=7)).date())  # fmt: skip
    cycle.participants.set(sam.reports.all())

    # Jae: six answers, closed, results and calibration visible; part shared with Sam.
    jae = people["platform-1"]
    created = now - dt.timedelta(days=20)
    respondents = [people[f"platform-{n}"] for n in range(2, 8)]
    req, links = _make_request(jae, respondents, created, (created + dt.timedelta(days=14)).date(), cycle)
    texts = {q: list(pool) for q, pool in TEXTS.items()}
    for day, (_, token) in enumerate(links, start=1):
        raw = _answer(rng, PEER_VIEW, texts)
        for question, text in raw["texts"].items():
            if text in texts[question] and len(texts[question]) > 1:
                texts[question].remove(text)  # different people say different things
        actions.submit_answer(token, raw, now=created + dt.timedelta(days=day))
    req.self_ratings = SELF_VIEW
    req.save(update_fields=["self_ratings"])
    actions.close_request(req, now=created + dt.timedelta(days=14))
    actions.set_manager_consent(jae, True)
    shown = {s.key for s in current_release(req).activities if s.shown}
    actions.set_share_choice(
        req, activities=[a for a in ("code_review", "coding") if a in shown], texts=["does_well"]
    )

    # Platform-2: four asked, two answered: only the count shows.
    subject = people["platform-2"]
    created = now - dt.timedelta(days=3)
    respondents = [people["platform-1"], people["platform-3"], people["platform-4"], people["edge-1"]]
    req, links = _make_request(subject, respondents, created, (now + dt.timedelta(days=7)).date(), cycle)
    view = {a: rng.randint(2, 5) for a in ACTIVITIES}
    for _, token in links[:2]:
        actions.submit_answer(token, _answer(rng, view, TEXTS), now=created + dt.timedelta(days=1))
    emails.send_invitations(subject.name, links[2:], req.due, expiry(created), k=req.k)
