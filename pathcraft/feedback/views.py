"""Pages of peer feedback. Thin: permissions from the permission core, figures from results.py only."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pathcraft.errors import InputError
from pathcraft.feedback import actions, results, sources
from pathcraft.feedback.defaults import load_defaults
from pathcraft.feedback.models import FeedbackRequest, Invite, TeamCycle, default_k
from pathcraft.feedback.presenters import results_context
from pathcraft.feedback.respondents import can_approve, pending_for
from pathcraft.people.permissions import can_view, person_of, shared_with, visible_people
from pathcraft.people.policy import Kind, Relation


def _viewer_or_403(request):
    viewer = person_of(request.user)
    if viewer is None:
        raise PermissionDenied(
            "Feedback is for people in the organisation; your account is not linked to a person."
        )
    return viewer


def _request_or_404(pk: int) -> FeedbackRequest:
    found = FeedbackRequest.objects.select_related("subject", "subject__manager").filter(pk=pk).first()
    if found is None:
        raise Http404("No such feedback request")
    return found


def _competency_labels(req: FeedbackRequest) -> dict[str, str]:
    return {str(key): str(label) for key, label in req.competencies}


@login_required
def index(request):
    viewer = _viewer_or_403(request)
    mine = [
        {"request": req, "progress": results.progress(req)}
        for req in FeedbackRequest.objects.filter(subject=viewer).order_by("-created_at", "-pk")
    ]
    answered_cycles = set(
        FeedbackRequest.objects.filter(subject=viewer, cycle__isnull=False).values_list("cycle_id", flat=True)
    )
    pending = TeamCycle.objects.filter(participants=viewer, closed_at__isnull=True).exclude(
        pk__in=answered_cycles
    )
    return render(
        request, "feedback/index.html",
        {"nav": "feedback", "mine": mine, "pending_cycles": pending, "is_manager": viewer.reports.exists()},
    )  # fmt: skip


def _split_emails(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


@login_required
def new_request(request):
    viewer = _viewer_or_403(request)
    colleagues = visible_people(request.user, Kind.DIRECTORY).exclude(pk=viewer.pk).order_by("name")
    labels = sources.activity_labels()
    cycle_id = request.GET.get("cycle") or request.POST.get("cycle") or ""
    cycle = (
        TeamCycle.objects.filter(pk=int(cycle_id), participants=viewer).first()
        if cycle_id.isdigit()
        else None
    )
    form = {
        "people": [],
        "emails": "",
        "due": "",
        "k": str(default_k()),
        "activities": sources.default_activities(),
        "competencies": False,
    }
    competencies = sources.framework_competencies(viewer)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = {
            "people": request.POST.getlist("people"), "emails": request.POST.get("emails", ""),
            "due": request.POST.get("due", ""), "k": request.POST.get("k", ""),
            "activities": request.POST.getlist("activities"),
            "competencies": request.POST.get("competencies") == "on",
        }  # fmt: skip
        try:
            ids = [int(x) for x in form["people"] if x.isdigit()]
            chosen = list(colleagues.filter(pk__in=ids))
            if len(chosen) != len(set(ids)):
                raise InputError("some of the chosen colleagues are not in your organisation")
            due = dt.date.fromisoformat(form["due"]) if form["due"] else None
            k = int(form["k"]) if form["k"].strip().lstrip("-").isdigit() else None
            if form["k"].strip() and k is None:
                raise InputError(f"the anonymity threshold must be a whole number, got {form['k']!r}")
            req = actions.create_request(
                viewer, [*chosen, *_split_emails(form["emails"])], due, k=k,
                activities=form["activities"], created_by=request.user, cycle=cycle,
                include_competencies=form["competencies"],
            )  # fmt: skip
        except ValueError as exc:
            errors, status = [f"the due date is not a date: {exc}"], 400
        except InputError as exc:
            errors, status = [str(exc).splitlines()[0], *exc.problems], 400
        else:
            pending = req.invites.filter(approval=Invite.Approval.PENDING).count()
            sent = req.invites.count() - pending
            messages.success(
                request,
                f"Invitations sent to {sent} colleague{'s' if sent != 1 else ''}."
                + (f" {pending} outside address{'es' if pending != 1 else ''} will get a link once your "
                   "manager or an admin approves them." if pending else ""),
            )  # fmt: skip
            return redirect("feedback:detail", pk=req.pk)
    return render(
        request, "feedback/request_new.html",
        {"nav": "feedback", "colleagues": colleagues, "labels": labels, "form": form, "errors": errors,
         "cycle": cycle, "k_floor": 3, "competencies": competencies},
        status=status,
    )  # fmt: skip


@login_required
@never_cache
def detail(request, pk: int):
    req = _request_or_404(pk)
    role = results.viewer_role(request.user, req)
    full = results.current_release(req)
    if role == "manager":
        shared = results.manager_release(req, full)
        context = results_context(shared.to_public_dict(), _competency_labels(req))
        return render(request, "feedback/shared.html", {"nav": "feedback", "req": req, **context})
    context = results_context(full.to_public_dict(), _competency_labels(req))
    return render(
        request, "feedback/request_detail.html",
        {"nav": "feedback", "req": req, "progress": results.progress(req, full), **context},
    )  # fmt: skip


@login_required
def respondents(request, pk: int):
    req = _request_or_404(pk)
    results.require_subject(request.user, req)
    # Who was asked and whether a link was withdrawn; never whether it was used.
    invites = req.invites.select_related("person").order_by("email")
    return render(request, "feedback/respondents.html", {"nav": "feedback", "req": req, "invites": invites})


@login_required
@require_POST
def revoke(request, pk: int, invite_id: int):
    req = _request_or_404(pk)
    results.require_subject(request.user, req)
    invite = actions.revoke_invite(req, invite_id)
    messages.success(request, f"The link sent to {invite.email} no longer works.")
    return redirect("feedback:respondents", pk=req.pk)


@login_required
@require_POST
def remind(request, pk: int):
    req = _request_or_404(pk)
    results.require_subject(request.user, req)
    try:
        actions.remind(req)
    except InputError as exc:
        messages.error(request, str(exc))
    else:
        # No number: with withdrawn links it would tell who has answered.
        messages.success(request, "A reminder with a fresh link went to everyone who has not answered yet.")
    return redirect("feedback:detail", pk=req.pk)


@login_required
@require_POST
def close(request, pk: int):
    req = _request_or_404(pk)
    results.require_subject(request.user, req)
    try:
        actions.close_request(req)
    except InputError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The request is closed; the links no longer take answers.")
    return redirect("feedback:detail", pk=req.pk)


@login_required
def share(request, pk: int):
    req = _request_or_404(pk)
    results.require_subject(request.user, req)
    errors: list[str] = []
    if request.method == "POST":
        try:
            actions.set_manager_consent(req.subject, request.POST.get("consent") == "1")
            actions.set_share_choice(
                req, request.POST.getlist("activities"), request.POST.getlist("competencies"),
                request.POST.getlist("texts"),
            )  # fmt: skip
        except InputError as exc:
            errors = [str(exc).splitlines()[0], *exc.problems]
        else:
            messages.success(request, "Saved what your manager may see.")
            return redirect("feedback:share", pk=req.pk)
    full = results.current_release(req)
    context = results_context(full.to_public_dict(), _competency_labels(req))
    preview = results_context(results.manager_release(req, full).to_public_dict(), _competency_labels(req))
    return render(
        request, "feedback/share.html",
        {"nav": "feedback", "req": req, **context, "preview": preview, "errors": errors,
         "consent": Relation.MANAGER in shared_with(req.subject, Kind.FEEDBACK),
         "questions": load_defaults().text_questions, "manager": req.subject.manager},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
def calibration(request, pk: int):
    req = _request_or_404(pk)
    results.require_subject(request.user, req)
    errors: list[str] = []
    if request.method == "POST":
        try:
            actions.set_self_ratings(req, {a: request.POST.get(f"self_{a}", "") for a in req.activities})
        except InputError as exc:
            errors = [str(exc).splitlines()[0], *exc.problems]
        else:
            messages.success(request, "Your self-ratings are saved.")
            return redirect("feedback:calibration", pk=req.pk)
    cal = results.calibration_for(req)
    labels = sources.activity_labels()
    own = results.self_ratings(req)
    rows = [{"key": a, "label": labels.get(a, a), "value": own.get(a)} for a in req.activities]
    defaults = load_defaults()
    return render(
        request, "feedback/calibration.html",
        {"nav": "feedback", "req": req, "cal": cal, "rows": rows, "errors": errors,
         "scale": sorted(defaults.scale_labels.items()), "groups": _calibration_groups(cal)},
        status=400 if errors else 200,
    )  # fmt: skip


def _calibration_groups(cal):
    titles = [
        ("hidden_strength", "Possible hidden strengths"),
        ("blind_spot", "Possible blind spots"),
        ("unclear", "Unclear: ratings vary too much to tell"),
        ("aligned", "Close to your own view"),
        ("no_self_rating", "Not rated by you"),
        ("too_few_ratings", "Too few ratings"),
    ]
    return [
        {"kind": kind, "title": title, "items": cal.of_kind(kind)}
        for kind, title in titles
        if cal.of_kind(kind)
    ]


def _raw_answer(post, questionnaire) -> dict:
    return {
        "texts": {key: post.get(f"text_{key}", "") for key, _, _ in questionnaire.text_questions},
        "ratings": {q.key: post.get(f"rating_{q.key}", "not_seen") for q in questionnaire.activities},
        "competency_ratings": {
            q.key: post.get(f"comp_{q.key}", "not_seen") for q in questionnaire.competencies
        },
    }


@never_cache
def answer(request, token: str):
    """The respondent's page: no login; the token is the only key."""
    try:
        invite = actions.open_link(token)
    except actions.LinkError as exc:
        return render(
            request, "feedback/answer_invalid.html", {"message": str(exc), "reason": exc.reason},
            status=404 if exc.reason == "unknown" else 410,
        )  # fmt: skip
    req = invite.request
    questionnaire = actions.questionnaire_for(req)
    errors: list[str] = []
    values = {}
    if request.method == "POST":
        raw = _raw_answer(request.POST, questionnaire)
        try:
            actions.submit_answer(token, raw)
        except actions.LinkError as exc:
            return render(
                request,
                "feedback/answer_invalid.html",
                {"message": str(exc), "reason": exc.reason},
                status=410,
            )
        except InputError as exc:
            errors = [str(exc).splitlines()[0], *exc.problems]
            values = {**{f"text_{k}": v for k, v in raw["texts"].items()},
                      **{f"rating_{k}": v for k, v in raw["ratings"].items()},
                      **{f"comp_{k}": v for k, v in raw["competency_ratings"].items()}}  # fmt: skip
        else:
            return render(request, "feedback/answer_done.html", {"subject": req.subject})
    texts = [{"key": key, "label": label, "help": help_, "value": values.get(f"text_{key}", "")}
             for key, label, help_ in questionnaire.text_questions]  # fmt: skip
    activities = [{"key": q.key, "label": q.label, "value": values.get(f"rating_{q.key}", "not_seen")}
                  for q in questionnaire.activities]  # fmt: skip
    competencies = [{"key": q.key, "label": q.label, "value": values.get(f"comp_{q.key}", "not_seen")}
                    for q in questionnaire.competencies]  # fmt: skip
    scale = [(str(value), label) for value, label in questionnaire.scale]
    return render(
        request, "feedback/answer.html",
        {"subject": req.subject, "q": questionnaire, "errors": errors, "due": req.due, "k": req.k,
         "texts": texts, "activities": activities, "competencies": competencies, "scale": scale},
        status=400 if errors else 200,
    )  # fmt: skip


@login_required
def team(request):
    viewer = _viewer_or_403(request)
    errors: list[str] = []
    if request.method == "POST":
        try:
            due = dt.date.fromisoformat(request.POST["due"]) if request.POST.get("due") else None
            actions.start_team_cycle(viewer, due, created_by=request.user)
        except ValueError as exc:
            errors = [f"the due date is not a date: {exc}"]
        except InputError as exc:
            errors = [str(exc)]
        else:
            messages.success(request, "Feedback cycle started; each of your reports got an email.")
            return redirect("feedback:team")
    cycles = [_cycle_progress(request.user, cycle) for cycle in TeamCycle.objects.filter(manager=viewer)]
    return render(
        request, "feedback/team.html",
        {"nav": "feedback", "cycles": cycles, "reports": viewer.reports.count(), "errors": errors},
        status=400 if errors else 200,
    )  # fmt: skip


def _cycle_progress(user, cycle: TeamCycle) -> dict:
    rows = []
    for person in cycle.participants.order_by("name"):
        req = cycle.requests.filter(subject=person).order_by("-created_at").first()
        counts = results.progress(req) if req else None
        rows.append({"person": person, "counts": counts, "request": req,
                     "can_open": bool(req) and can_view(user, person, Kind.FEEDBACK)})  # fmt: skip
    started = [r for r in rows if r["counts"]]
    return {
        "cycle": cycle,
        "rows": rows,
        "summary": {
            "participants": len(rows),
            "started": len(started),
            "asked": sum(r["counts"]["asked"] for r in started),
            "answered": sum(r["counts"]["answered"] for r in started),
            "enough": sum(1 for r in started if r["counts"]["answered"] > 0),
        },
    }


@login_required
def approvals(request):
    """Outside addresses the viewer may approve: a manager above the subject, or an admin."""
    errors: list[str] = []
    if request.method == "POST":
        invite_id = request.POST.get("invite", "")
        invite = (
            Invite.objects.select_related("request__subject").filter(pk=int(invite_id)).first()
            if invite_id.isdigit()
            else None
        )
        if invite is None or not can_approve(request.user, invite):
            raise Http404("No such respondent waiting for your approval")
        approve = request.POST.get("decision") == "approve"
        try:
            actions.decide_invite(invite, request.user, approve)
        except InputError as exc:
            errors = [str(exc)]
        else:
            verb = "approved: the link is on its way" if approve else "refused: it gets no link"
            messages.success(request, f"{invite.email} {verb}.")
            return redirect("feedback:approvals")
    waiting = list(pending_for(request.user))
    return render(
        request, "feedback/approvals.html", {"nav": "feedback", "waiting": waiting, "errors": errors},
        status=400 if errors else 200,
    )  # fmt: skip
