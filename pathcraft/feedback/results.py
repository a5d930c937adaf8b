"""The read side: releases, shared views, progress counts and calibration of stored requests.

Every page, API response, export and CLI line about a request's answers comes from
``current_release`` (the subject) or ``manager_release`` (the manager, by the subject's choice).
Nothing else reads ``Answer`` rows.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from pathcraft.feedback import sources
from pathcraft.feedback.anonymity import Answer as EngineAnswer
from pathcraft.feedback.anonymity import Release, ReleaseState, ShareChoice, release, shared_view
from pathcraft.feedback.calibration import Calibration, calibrate
from pathcraft.feedback.models import FeedbackRequest, Invite
from pathcraft.people.permissions import person_of, relations, require_view
from pathcraft.people.policy import Kind, Relation


def current_release(request: FeedbackRequest) -> Release:
    """Compute what the subject may see now, and store the release state it stopped at."""
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
        answers = [
            EngineAnswer(a.sequence, a.ratings, a.texts, a.competency_ratings)
            for a in locked.answers.order_by("sequence")
        ]
        previous = ReleaseState.from_dict(locked.release_state) if locked.release_state else None
        result = release(
            answers,
            k=locked.k,
            closed=locked.is_closed,
            previous_release=previous,
            policy=locked.release_policy,
            order_key=bytes.fromhex(locked.order_key),
        )
        state = result.state.to_dict()
        if state != locked.release_state:
            locked.release_state = state
            locked.save(update_fields=["release_state"])
            request.release_state = state
    return result


def share_choice(request: FeedbackRequest) -> ShareChoice:
    return ShareChoice(
        activities=frozenset(request.share_activities),
        competencies=frozenset(request.share_competencies),
        text_questions=frozenset(request.share_texts),
    )


def manager_release(request: FeedbackRequest, full: Release | None = None) -> Release:
    """The subset of the same release that the subject chose to show their manager."""
    full = full or current_release(request)
    choice = share_choice(request)
    # Only items present in the release can be cut out of it (the choice was checked when saved).
    present = ShareChoice(
        activities=choice.activities & {s.key for s in full.activities if s.shown},
        competencies=choice.competencies & {s.key for s in full.competencies if s.shown},
        text_questions=choice.text_questions,
    )
    return shared_view(full, present)


def viewer_role(user, request: FeedbackRequest) -> str:
    """'self' or 'manager' (with the subject's consent); otherwise 404 for strangers, 403 for others.

    Only the subject and their direct manager can ever pass: the policy allows FEEDBACK to self and,
    with consent, to the direct manager; admins, peers and skip-level managers are denied.
    """
    require_view(user, request.subject, Kind.FEEDBACK)
    found = relations(user, request.subject)
    if Relation.SELF in found:
        return "self"
    if Relation.MANAGER in found:
        return "manager"
    raise PermissionDenied("You may not see this person's feedback.")  # unreachable with today's policy


def require_subject(user, request: FeedbackRequest) -> None:
    """Only the subject may change a request (links, reminders, sharing, self-ratings)."""
    require_view(user, request.subject, Kind.FEEDBACK)
    viewer = person_of(user)
    if viewer is None or viewer.pk != request.subject_id:
        raise PermissionDenied("Only the person who asked for this feedback can do this.")


def progress(request: FeedbackRequest, rel: Release | None = None) -> dict[str, Any]:
    """Counts only: how many were asked, how many answers are in the results, and withdrawn. Never who.

    ``answered`` is the number of answers in the released results, so it moves only in released
    batches: a count that moved answer by answer would tell the subject when each answer came.
    """
    rel = rel or current_release(request)
    invites = request.invites.all()
    return {
        "asked": invites.exclude(approval=Invite.Approval.REFUSED).count(),
        "pending_approval": invites.filter(approval=Invite.Approval.PENDING).count(),
        "answered": rel.included,
        "revoked": invites.filter(revoked_at__isnull=False).count(),
        "k": request.k,
        "due": request.due.isoformat() if request.due else None,
        "closed": request.is_closed,
    }


def labels() -> dict[str, str]:
    return sources.activity_labels()


def public_view(request: FeedbackRequest, rel: Release) -> dict[str, Any]:
    """What pages, API and CLI show about one request: counts plus the release's public form."""
    return {
        "id": request.pk,
        "subject": request.subject.name,
        "created": request.created_at.date().isoformat(),
        "progress": progress(request, rel),
        "results": rel.to_public_dict(),
    }


def self_ratings(request: FeedbackRequest) -> dict[str, int]:
    """The profile's self-ratings, overridden by those entered for this request."""
    ratings = {
        k: v for k, v in sources.profile_self_ratings(request.subject).items() if k in request.activities
    }
    ratings.update(request.self_ratings)
    return ratings


def calibration_for(request: FeedbackRequest, rel: Release | None = None) -> Calibration:
    rel = rel or current_release(request)
    shorts = sources.activity_shorts()
    return calibrate(self_ratings(request), rel, labels={a: shorts.get(a, a) for a in request.activities})


def calibration_dict(cal: Calibration) -> dict[str, Any]:
    return {
        "confidence": cal.confidence,
        "summary": list(cal.summary),
        "items": [
            {
                "activity": i.activity,
                "label": i.label,
                "kind": i.kind,
                "certainty": i.certainty,
                "self_rating": i.self_rating,
                "peer_mean": i.peer_mean,
                "peer_spread": i.peer_spread,
                "n": i.n,
                "gap": i.gap,
                "interval": list(i.interval) if i.interval else None,
                "sentence": i.sentence,
            }  # fmt: skip
            for i in cal.items
        ],
    }
