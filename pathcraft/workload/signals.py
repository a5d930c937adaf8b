"""Early-warning signals for a person and for a manager's team, each with what it saw and the line it crossed.

Pure engine over plain inputs, so it does not depend on how the figures were computed:

* weeks: one dict per week, oldest first, with any of `hours` (worked), `meeting_hours`, `focus_hours`,
  `after_hours` (meeting hours outside working hours) and `working_hours` (contracted, default 40) — the calendar
  engine's weekly rows fit as they are; unknown keys are ignored;
* escalations: a person's count and the team's counts;
* burnout: a person's own CBI pulses, or anonymous team pulses that are only read as aggregates of at least k.

Thresholds and their sources live in data/signals.yaml (and data/cbi.yaml for burnout).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from pathcraft.errors import InputError
from pathcraft.workload import cbi, manager_load
from pathcraft.workload.inequality import spread
from pathcraft.workload.manager_load import assess_span, one_on_one_cost

DATA_FILE = Path(__file__).parent / "data" / "signals.yaml"
Week = Mapping[str, object]


@dataclass(frozen=True)
class Signal:
    key: str
    level: str  # watch | warning
    title: str
    saw: str  # what was observed, with the figures
    threshold: str  # the line that was crossed
    source: str  # where the line comes from (or why it is our estimate)
    figures: dict = field(default_factory=dict)
    subject: str = "person"  # person | team


@cache
def data() -> dict:
    """data/signals.yaml, loaded once."""
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def _source(entry: Mapping) -> str:
    if "source" in entry:
        return " ".join(str(entry["source"]).split())
    return "our estimate: " + " ".join(str(entry.get("reason", "")).split())


def _number(week: Week, key: str, index: int) -> float | None:
    value = week.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value > 168:
        raise InputError(f"week {index + 1}: {key} must be hours between 0 and 168, not {value!r}")
    return float(value)


def _label(week: Week, index: int) -> str:
    return str(week.get("week") or week.get("week_start") or f"week {index + 1}")


def _sustained(weeks: Sequence[Week], key: str, crossed) -> tuple[list[tuple[str, float]], int, int] | None:
    """Weeks in the recent window where `crossed(value, week)` holds, if that happens often enough."""
    cfg = data()["sustained"]
    window, needed = int(cfg["window_weeks"]), int(cfg["min_weeks"])
    recent = list(enumerate(weeks))[-window:]
    seen = [(i, w, _number(w, key, i)) for i, w in recent]
    seen = [(i, w, v) for i, w, v in seen if v is not None]
    hits = [(_label(w, i), v) for i, w, v in seen if crossed(v, w)]
    if len(seen) < needed or len(hits) < needed:
        return None
    return hits, len(seen), needed


def _fmt_hits(hits: list[tuple[str, float]], unit: str = "h") -> str:
    return ", ".join(f"{label}: {value:.1f} {unit}" for label, value in hits)


def week_signals(weeks: Sequence[Week]) -> list[Signal]:
    """Signals from weekly calendar/time figures: long weeks, meetings eating the week, little focus, after hours."""
    cfg = data()
    out = []
    long_line = float(cfg["long_weeks"]["hours"]["value"])
    watch_line = float(cfg["long_weeks"]["watch_hours"]["value"])
    found = _sustained(weeks, "hours", lambda v, w: v >= long_line)
    if found:
        hits, seen, needed = found
        out.append(
            Signal(
                "long_weeks",
                "warning",
                "Sustained long weeks",
                f"{len(hits)} of the last {seen} weeks at {long_line:g} h or more ({_fmt_hits(hits)})",
                f"{long_line:g} h/week in at least {needed} of the last {seen} weeks",
                _source(cfg["long_weeks"]["hours"]),
                {"weeks": hits, "line": long_line},
            )
        )
    else:
        found = _sustained(weeks, "hours", lambda v, w: v >= watch_line)
        if found:
            hits, seen, needed = found
            out.append(
                Signal(
                    "long_weeks",
                    "watch",
                    "Long weeks building up",
                    f"{len(hits)} of the last {seen} weeks at {watch_line:g} h or more ({_fmt_hits(hits)})",
                    f"{watch_line:g} h/week in at least {needed} of the last {seen} weeks",
                    _source(cfg["long_weeks"]["watch_hours"]),
                    {"weeks": hits, "line": watch_line},
                )
            )
    share = float(cfg["meeting_share"]["value"])

    def meetings_over(value: float, week: Week) -> bool:
        working = float(week.get("working_hours") or 40)
        return value > share * working

    found = _sustained(weeks, "meeting_hours", meetings_over)
    if found:
        hits, seen, needed = found
        out.append(
            Signal(
                "meetings_eating_week",
                "warning",
                "Meetings are eating the week",
                f"meetings took more than {share:.0%} of working hours in {len(hits)} of the last {seen} weeks "
                f"({_fmt_hits(hits)})",
                f"meetings above {share:.0%} of working hours in at least {needed} of the last {seen} weeks",
                _source(cfg["meeting_share"]),
                {"weeks": hits, "share": share},
            )
        )
    focus = float(cfg["focus_hours"]["value"])
    found = _sustained(weeks, "focus_hours", lambda v, w: v < focus)
    if found:
        hits, seen, needed = found
        out.append(
            Signal(
                "little_focus_time",
                "warning",
                "Little focus time",
                f"under {focus:g} h of focus time in {len(hits)} of the last {seen} weeks ({_fmt_hits(hits)})",
                f"under {focus:g} h/week of focus time in at least {needed} of the last {seen} weeks",
                _source(cfg["focus_hours"]),
                {"weeks": hits, "line": focus},
            )
        )
    after = float(cfg["after_hours"]["value"])
    found = _sustained(weeks, "after_hours", lambda v, w: v >= after)
    if found:
        hits, seen, needed = found
        out.append(
            Signal(
                "after_hours",
                "watch",
                "Regular work outside working hours",
                f"{after:g} h or more outside working hours in {len(hits)} of the last {seen} weeks "
                f"({_fmt_hits(hits)})",
                f"{after:g} h/week outside working hours in at least {needed} of the last {seen} weeks",
                _source(cfg["after_hours"]),
                {"weeks": hits, "line": after},
            )
        )
    return out


def escalation_signal(person: str, team_counts: Mapping[str, int]) -> Signal | None:
    """A signal when `person` carries at least twice an equal share of the team's escalations/pages/support."""
    cfg = data()["escalation_share"]
    if person not in team_counts:
        raise InputError(f"{person!r} is not among the team's counts")
    total = sum(team_counts.values())
    if total < int(cfg["min_events"]["value"]) or len(team_counts) < 2:
        return None
    fair = total / len(team_counts)
    ratio = team_counts[person] / fair
    line = float(cfg["over_fair"]["value"])
    if ratio < line:
        return None
    return Signal(
        "escalation_share",
        "warning",
        "A large share of escalations",
        f"{team_counts[person]} of the team's {total} ({team_counts[person] / total:.0%}); an equal share would be "
        f"{fair:.1f}, so {ratio:.1f}x",
        f"{line:g}x an equal share, with at least {int(cfg['min_events']['value'])} events in the team",
        _source(cfg["over_fair"]),
        {"count": team_counts[person], "total": total, "over_fair": round(ratio, 2)},
    )


def burnout_signals(pulses: Sequence[tuple[date, Mapping[str, float | None]]]) -> list[Signal]:
    """From a person's own CBI pulses: a scale at 50 or more now, and scales rising across pulses."""
    inv = cbi.inventory()
    line_cfg = data()["burnout"]["score"]
    out = []
    for key, scale in inv.scales.items():
        t = cbi.trend(pulses, key)
        if t.latest is not None and t.latest >= float(line_cfg["value"]):
            out.append(
                Signal(
                    f"burnout_{key}",
                    "warning",
                    f"{scale.label}: moderate or higher",
                    f"latest score {t.latest:.0f} ({cbi.band_of(t.latest).label})",
                    f"score {float(line_cfg['value']):g} or more. {inv.band_caveat.strip()}",
                    _source(line_cfg),
                    {"score": t.latest},
                )
            )
        if t.rising:
            first, last = t.points[0], t.points[-1]
            out.append(
                Signal(
                    f"burnout_{key}_rising",
                    "watch",
                    f"{scale.label}: rising",
                    f"from {first[1]:.0f} on {first[0]} to {last[1]:.0f} on {last[0]} (+{t.change:.0f})",
                    f"a rise of {inv.rise_points:g} points or more across pulses",
                    "our estimate: no published minimal important change for the CBI (see data/cbi.yaml)",
                    {"change": t.change},
                )
            )
    return out


def person_signals(
    weeks: Sequence[Week] = (),
    escalations: tuple[str, Mapping[str, int]] | None = None,
    pulses: Sequence[tuple[date, Mapping[str, float | None]]] = (),
) -> list[Signal]:
    """Everything for one person: weekly figures, their share of escalations, their own burnout pulses."""
    out = week_signals(weeks)
    if escalations is not None:
        found = escalation_signal(*escalations)
        if found:
            out.append(found)
    out.extend(burnout_signals(pulses))
    return out


def manager_signals(reports: int | Mapping[str, int], manages_managers: bool = False) -> list[Signal]:
    """A manager's structural load: span of control above the range, and the week their 1:1s take."""
    count = reports if isinstance(reports, int) else sum(reports.values())
    out = []
    span = assess_span(count, manages_managers)
    if span.status == "above":
        out.append(
            Signal(
                "span_of_control",
                "warning",
                "Span of control above the range",
                span.message,
                f"{span.low}-{span.high} reports",
                span.source,
                {"reports": count},
            )
        )
    cost = one_on_one_cost(reports)
    if cost.share_of_week >= 0.2:
        out.append(
            Signal(
                "one_on_one_load",
                "watch",
                "1:1s take a fifth of the week or more",
                f"{cost.hours_per_week:.1f} h/week ({cost.share_of_week:.0%} of {cost.work_week_hours:g} h) for "
                f"{count} reports at {cost.meeting_minutes} + {cost.prep_minutes} min",
                "20% of the working week",
                "our estimate: a fifth of the week is the 13-report worked example's order of magnitude "
                "(EVIDENCE.md: 13 weekly reports cost 8.7 h, 22% of 40 h)",
                {"hours": cost.hours_per_week, "share": cost.share_of_week},
            )
        )
    return out


# --- the team view -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamPulse:
    """One anonymous pulse of a team: one {scale: score} per respondent; respondent ids only if known."""

    when: date
    scores: Sequence[Mapping[str, float | None]]
    respondents: Collection[Hashable] | None = None


def team_signals(
    members_weeks: Mapping[str, Sequence[Week]] | None = None,
    team_counts: Mapping[str, int] | None = None,
    pulses: Sequence[TeamPulse] = (),
    k: int | None = None,
) -> list[Signal]:
    """Signals for a manager's team. Load figures may name reports; burnout is only ever an aggregate of >= k."""
    out: list[Signal] = []
    for key, members in _group_week_signals(members_weeks or {}).items():
        sample = members[0][1]
        names = ", ".join(name for name, _ in members)
        out.append(
            Signal(
                f"team_{key}",
                sample.level,
                f"{sample.title}: {len(members)} of {len(members_weeks)} people",
                f"{names}",
                sample.threshold,
                sample.source,
                {"people": [name for name, _ in members]},
                subject="team",
            )
        )
    if team_counts:
        s = spread(team_counts)
        if s.enough_data and s.above_alert_line:
            out.append(
                Signal(
                    "team_escalation_spread",
                    "warning",
                    "Escalations are unevenly spread",
                    f"normalised Gini {s.normalised_gini:.2f} over {s.people} people and {s.events:g} events; "
                    f"{s.top} carries {s.top_share:.0%} ({s.top_over_fair:.1f}x an equal share)",
                    f"normalised Gini {s.alert_line:.2f} or more ({s.reason})",
                    _source(manager_load.data()["incident_fairness"]["gini_alert"]),
                    {"normalised_gini": s.normalised_gini, "top_over_fair": s.top_over_fair},
                    subject="team",
                )
            )
    out.extend(_team_burnout(pulses, k))
    return out


def _group_week_signals(members_weeks: Mapping[str, Sequence[Week]]) -> dict[str, list[tuple[str, Signal]]]:
    grouped: dict[str, list[tuple[str, Signal]]] = {}
    for name, weeks in members_weeks.items():
        for signal in week_signals(weeks):
            grouped.setdefault(signal.key, []).append((name, signal))
    return grouped


def _team_burnout(pulses: Sequence[TeamPulse], k: int | None) -> list[Signal]:
    if not pulses:
        return []
    inv = cbi.inventory()
    k = cbi.check_k(inv.default_k if k is None else k)
    line = float(data()["burnout"]["score"]["value"])
    ordered = sorted(pulses, key=lambda p: p.when)
    latest = ordered[-1]
    previous = ordered[-2] if len(ordered) > 1 else None
    comparable = previous is not None and _comparable(latest, previous, k)
    out = []
    for key, scale in inv.scales.items():
        now = cbi.aggregate_scores([s.get(key) for s in latest.scores], k)
        if not now.shown:
            continue  # nothing about a group under k: not even that it is under the line
        if now.mean >= line:
            out.append(
                Signal(
                    f"team_burnout_{key}",
                    "warning",
                    f"Team {scale.label.lower()}: moderate or higher on average",
                    f"mean {now.mean:.0f} over {now.n} answers on {latest.when}; "
                    f"{now.share_moderate_or_higher:.0%} at {line:g} or more",
                    f"team mean {line:g} or more, shown only from {k} answers. {inv.band_caveat.strip()}",
                    _source(data()["burnout"]["score"]),
                    {"mean": now.mean, "n": now.n},
                    subject="team",
                )
            )
        if comparable:
            before = cbi.aggregate_scores([s.get(key) for s in previous.scores], k)
            if before.shown and now.mean - before.mean >= inv.rise_points:
                out.append(
                    Signal(
                        f"team_burnout_{key}_rising",
                        "watch",
                        f"Team {scale.label.lower()}: rising",
                        f"mean {before.mean:.0f} on {previous.when} to {now.mean:.0f} on {latest.when}",
                        f"a rise of {inv.rise_points:g} points or more between pulses, each of {k}+ answers",
                        "our estimate: no published minimal important change for the CBI (see data/cbi.yaml)",
                        {"before": before.mean, "now": now.mean},
                        subject="team",
                    )
                )
    return out


def _comparable(latest: TeamPulse, previous: TeamPulse, k: int) -> bool:
    """Two pulses may be compared only if nobody's answer could be isolated by the difference between them."""
    if latest.respondents is None or previous.respondents is None:
        # Without respondent sets the difference cannot be checked; compare only when both are large enough that
        # a change of a few respondents moves the mean little (2k each), and say nothing otherwise.
        return len(latest.scores) >= 2 * k and len(previous.scores) >= 2 * k
    try:
        cbi.check_groups({"latest": latest.respondents, "previous": previous.respondents}, k)
    except cbi.AnonymityError:
        return False
    return True
