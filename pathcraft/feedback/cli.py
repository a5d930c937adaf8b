"""Peer feedback on the command line: send a request, see its progress, remind, close.

`status` prints counts and the released aggregate only (what the subject sees), and asks the
permission core whether the viewer (`--as`, default: the subject) may see it.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from pathcraft.cli.main import setup_django
from pathcraft.errors import InputError


def _person(email: str):
    from pathcraft.people.models import Person

    person = Person.objects.filter(email__iexact=email).select_related("user").first()
    if person is None:
        raise InputError(f"no person with the email {email}")
    return person


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--due must be a date like 2026-12-01, got {value!r}") from None


@click.group()
def feedback() -> None:
    """Anonymous peer feedback: requests, progress, reminders."""


@feedback.command("request")
@click.option("--subject", "subject_email", required=True, help="Email of the person asking for feedback.")
@click.option("--to", "to", multiple=True, required=True, help="A respondent's email (repeat for each).")
@click.option("--due", default=None, help="Due date, YYYY-MM-DD.")
@click.option("--k", type=int, default=None, help="Answers needed before results show (at least 3).")
@click.option(
    "--activity", "activities", multiple=True, help="Activity id to rate (repeat; default: a common set)."
)
@click.option(
    "--competencies",
    is_flag=True,
    help="Also rate the competencies of the subject's current framework level.",
)
def request_cmd(
    subject_email: str, to: tuple[str, ...], due: str | None, k: int | None, activities, competencies: bool
) -> None:
    """Send SUBJECT's feedback request to the people in --to (each gets a private link by email)."""
    setup_django()
    from pathcraft.feedback.actions import create_request

    subject = _person(subject_email)
    req = create_request(
        subject,
        list(to),
        _date(due),
        k=k,
        activities=list(activities) or None,
        include_competencies=competencies,
    )
    pending = req.invites.filter(approval="pending").count()
    click.echo(f"Request {req.pk} for {subject.name}: {req.invites.count() - pending} invitations sent"
               + (f", due {req.due.isoformat()}" if req.due else "")
               + (f"; {pending} outside address(es) wait for approval (pathcraft feedback approvals)"
                  if pending else ""))  # fmt: skip


@feedback.command("status")
@click.option("--subject", "subject_email", required=True, help="Email of the person the feedback is about.")
@click.option("--as", "viewer_email", default=None, help="View as this person (default: the subject).")
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON: a list of {id, subject, created, progress, results}."
)
def status_cmd(subject_email: str, viewer_email: str | None, as_json: bool) -> None:
    """Progress counts and released results of SUBJECT's requests (never single answers)."""
    setup_django()
    from pathcraft.feedback import results, sources
    from pathcraft.feedback.models import FeedbackRequest
    from pathcraft.people.permissions import require_view
    from pathcraft.people.policy import Kind, Relation, decide

    subject = _person(subject_email)
    viewer = _person(viewer_email) if viewer_email else subject
    if viewer.pk == subject.pk:
        allowed = decide(Kind.FEEDBACK, {Relation.SELF}, set())
        manager_view = False
    else:
        if viewer.user is None:
            raise InputError(f"{viewer.email} has no account, so cannot view anyone's feedback")
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        try:
            require_view(viewer.user, subject, Kind.FEEDBACK)
        except (PermissionDenied, Http404):
            raise InputError(f"{viewer.name} may not see {subject.name}'s feedback") from None
        allowed, manager_view = True, True
    if not allowed:  # pragma: no cover - the policy always lets a person see their own feedback
        raise InputError("not allowed")
    rows = []
    for req in FeedbackRequest.objects.filter(subject=subject).select_related("subject"):
        full = results.current_release(req)
        shown = results.manager_release(req, full) if manager_view else full
        rows.append(results.public_view(req, shown))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(f"{subject.name} has no feedback requests.")
    labels = sources.activity_labels()
    for row in rows:
        p, r = row["progress"], row["results"]
        click.echo(f"Request {row['id']} ({row['created']}, {'closed' if p['closed'] else 'open'}): "
                   f"{p['asked']} asked, {p['answered']} answers in the results, results move in steps of {p['k']}")  # fmt: skip
        if not r["visible"]:
            click.echo("  no results yet")
            continue
        click.echo(f"  results from {r['included']} answers")
        for item in r["activities"]:
            label = labels.get(item["key"], item["key"])
            if item["status"] == "shown":
                click.echo(
                    f"  {label:<28} mean {item['mean']:.1f}  spread {item['spread']:.1f}  n {item['n']}"
                )
            else:
                click.echo(f"  {label:<28} too few ratings")
        for question, texts in r["texts"].items():
            click.echo(f"  {question}: {len(texts)} comment{'s' if len(texts) != 1 else ''}")


@feedback.command("remind")
@click.option(
    "--request", "request_id", type=int, default=None, help="Only this request (default: every open one)."
)
def remind_cmd(request_id: int | None) -> None:
    """Email a fresh link to everyone who has not yet answered an open request."""
    setup_django()
    from pathcraft.feedback.actions import remind
    from pathcraft.feedback.models import FeedbackRequest

    req = None
    if request_id is not None:
        req = FeedbackRequest.objects.filter(pk=request_id).first()
        if req is None:
            raise InputError(f"no feedback request {request_id}")
    remind(req)
    # No number: with withdrawn links, the count of reminders would tell who has answered.
    click.echo("Reminders sent to everyone who has not answered yet.")


@feedback.command("close")
@click.argument("request_id", type=int)
def close_cmd(request_id: int) -> None:
    """Close a request: links stop working and the results become final."""
    setup_django()
    from pathcraft.feedback.actions import close_request
    from pathcraft.feedback.models import FeedbackRequest

    req = FeedbackRequest.objects.filter(pk=request_id).first()
    if req is None:
        raise InputError(f"no feedback request {request_id}")
    close_request(req)
    click.echo(f"Request {req.pk} closed.")


def _approver(email: str):
    person = _person(email)
    if person.user is None:
        raise InputError(f"{person.email} has no account, so cannot approve respondents")
    return person.user


@feedback.command("approvals")
@click.option(
    "--as", "approver_email", required=True, help="The approver: a manager above the subject or an admin."
)
@click.option(
    "--approve", "approve_ids", type=int, multiple=True, help="Approve this respondent id (repeat)."
)
@click.option("--refuse", "refuse_ids", type=int, multiple=True, help="Refuse this respondent id (repeat).")
def approvals_cmd(approver_email: str, approve_ids: tuple[int, ...], refuse_ids: tuple[int, ...]) -> None:
    """List outside addresses waiting for approval, or approve / refuse them by id.

    Only answers from people other than the subject count; an address outside the directory gets its
    link only once a manager above the subject or an admin approves it.
    """
    setup_django()
    from pathcraft.feedback.actions import decide_invite
    from pathcraft.feedback.models import Invite
    from pathcraft.feedback.respondents import can_approve, pending_for

    user = _approver(approver_email)
    decisions = [(i, True) for i in approve_ids] + [(i, False) for i in refuse_ids]
    for invite_id, approve in decisions:
        invite = Invite.objects.select_related("request__subject").filter(pk=invite_id).first()
        if invite is None or not can_approve(user, invite):
            raise InputError(f"no respondent {invite_id} waiting for {approver_email}'s approval")
        decide_invite(invite, user, approve)
        click.echo(f"{invite.email}: {'approved, link sent' if approve else 'refused'}")
    if decisions:
        return
    waiting = list(pending_for(user))
    if not waiting:
        click.echo("Nothing is waiting for your approval.")
    for invite in waiting:
        click.echo(
            f"{invite.pk:>6}  {invite.request.subject.name}  request {invite.request_id}  {invite.email}"
        )


commands = [feedback]
