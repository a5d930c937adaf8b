"""Forms of the growth pages (and the API, which feeds its JSON through the same forms): the spotlight
and low-promotability registers, the rotation button, the delegation board, leaves and manager changes.

A form checks the shape of the input (dates, numbers, known choices, people from the offered list); the
rules about what may be recorded live in `actions.py`, and who may record it in `rights.py`.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.forms import BaseFormSet, HiddenInput, formset_factory
from django.utils import timezone

from pathcraft.growth import actions, rights
from pathcraft.growth.defaults import delegation_data
from pathcraft.growth.delegation import DECISION, DUTY
from pathcraft.growth.fairness import HOW_ASSIGNED, LOW_PROMOTABILITY_KINDS, SPOTLIGHT_KINDS
from pathcraft.people.models import Person, below_ids
from pathcraft.people.permissions import is_admin, person_of

CONTRIBUTION_PREFIX = "c"
BLANK_LINES = 3  # empty contributor lines offered under the filled ones (no JavaScript needed)


def label(key: str) -> str:
    return key.replace("_", " ")


SPOTLIGHT_CHOICES = [(k, label(k)) for k in SPOTLIGHT_KINDS]
TASK_CHOICES = [(k, label(k)) for k in LOW_PROMOTABILITY_KINDS]
HOW_CHOICES = [("asked", "asked by someone"), ("volunteered", "volunteered"), ("rotation", "by rotation")]
assert [k for k, _ in HOW_CHOICES] == list(HOW_ASSIGNED)
DUTY_KIND_CHOICES = [(DUTY, "duty"), (DECISION, "decision")]


def one_line(*forms_) -> str:
    """Every problem of the forms (and formsets) as one line: "Date: Enter a valid date. · …"."""
    problems: list[str] = []
    for form in forms_:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            problems += list(form.non_form_errors())
            for line, sub in enumerate(form.forms, start=1):
                for message in _messages(sub):
                    problems.append(f"line {line}: {message}")
            continue
        problems += _messages(form)
    seen: list[str] = []
    for p in problems:
        if p not in seen:
            seen.append(p)
    return " · ".join(seen)


def _messages(form) -> list[str]:
    found = list(form.non_field_errors())
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        title = form.fields[name].label or name if name in form.fields else name
        found += [f"{title}: {e}" for e in errors]
    return found


class PersonChoice(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "that person is not one you can choose here."}

    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label_: str, **kwargs) -> forms.DateField:
    return forms.DateField(label=label_, widget=DateInput(), input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": "enter a date like 2026-12-01."}, **kwargs)  # fmt: skip


# --- spotlight --------------------------------------------------------------------------------------


class SpotlightForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=SPOTLIGHT_CHOICES)
    title = forms.CharField(label="What", max_length=300)
    on = _date_field("Date")


class ContributionForm(forms.Form):
    person = PersonChoice(label="Who", queryset=Person.objects.none(), required=False, empty_label="—")
    what = forms.CharField(label="Their part", max_length=300, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("what") and not data.get("person") and not self.has_error("person"):
            raise forms.ValidationError("it says what was done but not who did it.")
        return data


class BaseContributionFormSet(BaseFormSet):
    def clean(self):
        if any(form.errors for form in self.forms):
            return
        seen: set[int] = set()
        for form in self.forms:
            person = form.cleaned_data.get("person")
            if person is None:
                continue
            if person.pk in seen:
                raise forms.ValidationError(f"{person.name} is listed twice; put what they did in one line.")
            seen.add(person.pk)
        if not seen:
            raise forms.ValidationError("name at least one contributor.")

    def contributions(self) -> list[tuple[Person, str]]:
        return [
            (form.cleaned_data["person"], form.cleaned_data.get("what", ""))
            for form in self.forms
            if form.cleaned_data.get("person")
        ]


def contribution_formset(people, data=None, initial: list[dict] | None = None, blank: int = BLANK_LINES):
    """The contributor lines: one per person already credited, then `blank` empty ones."""
    formset = formset_factory(ContributionForm, formset=BaseContributionFormSet, extra=blank)
    # Posted lines are read as sent: with `initial` as well, a line equal to it would count as "unchanged"
    # and be skipped, so a PATCH that keeps the lines would lose them.
    initial = None if data is not None else (initial or None)
    return formset(data, initial=initial, prefix=CONTRIBUTION_PREFIX, form_kwargs={"people": people})


def contribution_data(lines: list[dict]) -> dict:
    """[{"person_id": 3, "what": "..."}] as the formset's POST data (used by the API)."""
    data = {
        f"{CONTRIBUTION_PREFIX}-TOTAL_FORMS": str(len(lines)),
        f"{CONTRIBUTION_PREFIX}-INITIAL_FORMS": "0",
    }
    for i, line in enumerate(lines):
        data[f"{CONTRIBUTION_PREFIX}-{i}-person"] = (
            "" if line.get("person_id") is None else str(line["person_id"])
        )
        data[f"{CONTRIBUTION_PREFIX}-{i}-what"] = line.get("what") or ""
    return data


# --- low-promotability work ---------------------------------------------------------------------------


class _HoursMixin(forms.Form):
    hours = forms.DecimalField(label="Hours", max_digits=6, decimal_places=2, min_value=0.01, max_value=1000,
                               error_messages={"invalid": "enter a number of hours, like 1.5."})  # fmt: skip


class TaskForm(_HoursMixin):
    kind = forms.ChoiceField(label="Kind", choices=TASK_CHOICES)
    person = PersonChoice(label="Who", queryset=Person.objects.none(), empty_label="choose someone")
    how = forms.ChoiceField(label="How it was assigned", choices=HOW_CHOICES)
    on = _date_field("Date")
    field_order = ["kind", "person", "how", "hours", "on"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people


class RotationForm(_HoursMixin):
    kind = forms.ChoiceField(label="Kind", choices=TASK_CHOICES)
    on = _date_field("Date")
    field_order = ["kind", "hours", "on"]


# --- delegation board -------------------------------------------------------------------------------------


def level_choices() -> list[tuple[int, str]]:
    """ "5 — Advise": the meanings are listed under "Delegation levels" on the board."""
    return [(lvl.level, f"{lvl.level} — {lvl.label}") for lvl in delegation_data().levels]


class DutyForm(forms.Form):
    name = forms.CharField(label="Duty or decision", max_length=200)
    kind = forms.ChoiceField(label="Kind", choices=DUTY_KIND_CHOICES, initial=DUTY)
    owner = PersonChoice(label="Owner", queryset=Person.objects.none(), empty_label="choose someone")
    deputy = PersonChoice(
        label="Deputy", queryset=Person.objects.none(), required=False, empty_label="nobody"
    )
    level = forms.TypedChoiceField(
        label="How much is delegated", coerce=int, choices=level_choices, initial=1
    )
    critical = forms.BooleanField(label="Critical: the team cannot wait for it", required=False)
    contact = forms.CharField(label="Contact (optional)", max_length=200, required=False)

    def __init__(self, *args, owners=None, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"].queryset = owners
        if deputies is not None:
            self.fields["deputy"].queryset = deputies

    def clean(self):
        data = super().clean()
        owner, deputy = data.get("owner"), data.get("deputy")
        if owner and deputy and owner.pk == deputy.pk:
            raise forms.ValidationError("the deputy must be someone other than the owner.")
        return data


# --- leave and manager change -------------------------------------------------------------------------------


class LeaveForm(forms.Form):
    person = PersonChoice(label="Who is away", queryset=Person.objects.none(), empty_label="choose someone")
    first_day = _date_field("First day")
    last_day = _date_field("Last day")
    acting_lead = PersonChoice(label="Acting lead (for a manager's leave)", queryset=Person.objects.none(),
                               required=False, empty_label="none")  # fmt: skip

    def __init__(self, *args, people=None, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if leads is not None:
            self.fields["acting_lead"].queryset = leads

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            raise forms.ValidationError(f"the last day ({last}) is before the first day ({first}).")
        return data


class ManagerChangeForm(forms.Form):
    report = PersonChoice(label="Who moves", queryset=Person.objects.none(), empty_label="choose someone")
    new_manager = PersonChoice(
        label="New manager", queryset=Person.objects.none(), empty_label="choose someone"
    )
    on = _date_field("From", initial=timezone.localdate)

    def __init__(self, *args, reports=None, managers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if reports is not None:
            self.fields["report"].queryset = reports
        if managers is not None:
            self.fields["new_manager"].queryset = managers

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(
                "a change takes effect when it is recorded: use today or a past date."
            )
        return on

    def clean(self):
        data = super().clean()
        report, new = data.get("report"), data.get("new_manager")
        if report and new and report.pk == new.pk:
            raise forms.ValidationError("a person cannot be their own manager.")
        if report and new and report.manager_id == new.pk:
            raise forms.ValidationError(f"{new.name} already manages {report.name}.")
        return data


# --- the forms as a page or the API builds them for one viewer ---------------------------------------------
# The choices offered are the people the viewer may pick; rights.py checks the same again on every post.


def spotlight_forms(manager: Person, role: str, viewer: Person, data=None, event=None):
    """The event form and its contributor lines. A team member gets one line: their own."""
    credited = [c.person_id for c in event.contributions.all()] if event else []
    people = Person.objects.filter(Q(pk__in=actions.team_members(manager).values("pk")) | Q(pk__in=credited))
    people = people.order_by("name")
    initial = (
        {"kind": event.kind, "title": event.title, "on": event.on} if event else {"on": timezone.localdate()}
    )
    form = SpotlightForm(data, initial=initial)
    if role == rights.MEMBER:
        mine = [c.what for c in event.contributions.all() if c.person_id == viewer.pk] if event else []
        lines = contribution_formset(
            people, data, [{"person": viewer.pk, "what": mine[0] if mine else ""}], blank=0
        )
        for line in lines.forms:
            line.fields["person"].widget = HiddenInput()
    else:
        existing = (
            [{"person": c.person_id, "what": c.what} for c in event.contributions.all()] if event else []
        )
        lines = contribution_formset(people, data, existing, blank=BLANK_LINES + (0 if event else 1))
    return form, lines


def task_form(manager: Person, role: str, viewer: Person, data=None, task=None) -> TaskForm:
    ids = Q(pk__in=actions.team_members(manager).values("pk"))
    if task:
        ids |= Q(pk=task.person_id)  # someone who moved to another team since stays on their old record
    people = Person.objects.filter(ids).order_by("name")
    initial = {"on": timezone.localdate()}
    if task:
        initial = {
            "kind": task.kind,
            "person": task.person_id,
            "how": task.how,
            "hours": task.hours,
            "on": task.on,
        }
    elif role == rights.MEMBER:
        initial["person"] = viewer.pk
    form = TaskForm(data, initial=initial, people=people)
    if role == rights.MEMBER:
        form.fields["person"].widget = HiddenInput()
    return form


def duty_form(manager: Person, data=None, duty=None) -> DutyForm:
    owners = Person.objects.filter(Q(pk=manager.pk) | Q(pk__in=actions.team_members(manager).values("pk")))
    deputies = Person.objects.filter(
        Q(pk=manager.pk) | Q(pk__in=actions.cover_candidates(manager).values("pk"))
    )
    initial = None
    if duty:
        initial = {"name": duty.name, "kind": duty.kind if duty.kind in (DUTY, DECISION) else DUTY,
                   "owner": duty.owner_id, "deputy": duty.deputy_id, "level": duty.level,
                   "critical": duty.critical, "contact": duty.contact}  # fmt: skip
    return DutyForm(data, initial=initial, owners=owners.order_by("name"), deputies=deputies.order_by("name"))


def leave_form(viewer: Person, data=None, leave=None) -> LeaveForm:
    """Whose leave: the viewer's or a direct report's. Acting leads: who can cover for them."""
    people_ids = [viewer.pk, *viewer.reports.filter(is_active=True).values_list("pk", flat=True)]
    if leave:
        people_ids.append(leave.person_id)
    people = Person.objects.filter(pk__in=people_ids).order_by("name")
    managers = set(Person.objects.filter(manager_id__in=people_ids).values_list("manager_id", flat=True))
    leads = Person.objects.none()
    for person in people:
        if person.pk == viewer.pk or person.pk in managers:
            leads = leads | actions.cover_candidates(person)
    if leave and leave.acting_lead_id:
        leads = leads | Person.objects.filter(pk=leave.acting_lead_id)
    initial = {"person": viewer.pk}
    if leave:
        initial = {"person": leave.person_id, "first_day": leave.first_day, "last_day": leave.last_day,
                   "acting_lead": leave.acting_lead_id}  # fmt: skip
    form = LeaveForm(data, initial=initial, people=people, leads=leads.distinct().order_by("name"))
    if leave:
        form.fields["person"].disabled = True  # a leave stays the same person's; remove it and record another
    return form


def change_form(user, data=None) -> ManagerChangeForm:
    """Administrators choose among the organisation; a manager among the people below them (to move) and
    themselves or the people below them (as the new manager)."""
    viewer = person_of(user)
    if is_admin(user):
        people = Person.objects.filter(is_active=True)
        if viewer is not None:
            people = people.filter(organisation_id=viewer.organisation_id)
        reports = managers = people.order_by("name")
    elif viewer is None:
        reports = managers = Person.objects.none()
    else:
        # Subqueries, not id lists: a CEO's 50,000 ids would pass SQLite's limit of bound parameters.
        below = below_ids(viewer.pk)
        reports = Person.objects.filter(pk__in=below, is_active=True).exclude(manager_id=viewer.pk)
        managers = Person.objects.filter(Q(pk=viewer.pk) | Q(pk__in=below_ids(viewer.pk)), is_active=True)
        reports, managers = reports.order_by("name"), managers.order_by("name")
    return ManagerChangeForm(data, reports=reports, managers=managers)
