"""SVG charts for career paths: strengths map, ranked roles, two roles side by side.

Pure: no Django, no JavaScript, no CDN. Each chart is a standalone <svg> string with <title> and
<desc> (role="img", aria-labelledby) and text labels on every mark, so it reads without colour.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from pathcraft.paths.activities import ActivityCatalogue, load_activities
from pathcraft.paths.fit import RoleFit
from pathcraft.paths.profile import Profile
from pathcraft.paths.roles import Role
from pathcraft.paths.strengths import StrengthSettings, classify_strengths, load_strength_settings

FONT = "font-family='system-ui, sans-serif'"
CLASS_COLOURS = {
    "realised_strength": "#1b7837",
    "unrealised_strength": "#5aae61",
    "emerging": "#2166ac",
    "learned_behaviour": "#b35806",
    "weakness": "#b2182b",
    "neutral": "#777777",
}
ENERGY_WORDS = {-2: "drains", -1: "drains a little", 0: "neutral", 1: "energises a little", 2: "energises"}


def _svg(width: int, height: int, title: str, desc: str, body: list[str], id_prefix: str) -> str:
    t, d = f"{id_prefix}-title", f"{id_prefix}-desc"
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-labelledby='{t} {d}' {FONT} font-size='12'>"
        f"<title id='{t}'>{escape(title)}</title><desc id='{d}'>{escape(desc)}</desc>"
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='{anchor}'{extra}>{escape(text)}</text>"


def strengths_map_svg(
    profile: Profile,
    activities: ActivityCatalogue | None = None,
    settings: StrengthSettings | None = None,
    id_prefix: str = "strengths-map",
) -> str:
    """Skill (x, 1-5) against energy (y, -2..+2), one labelled dot per rated activity, sized by hours."""
    activities = activities or load_activities()
    settings = settings or load_strength_settings()
    items = classify_strengths(profile, activities, settings)
    width, height, left, right, top, bottom = 680, 500, 70, 30, 30, 60
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(skill: float) -> float:
        return left + (skill - 0.5) / 5 * plot_w

    def y(energy: float) -> float:
        return top + (2.5 - energy) / 5 * plot_h

    body = [f"<rect x='{left}' y='{top}' width='{plot_w}' height='{plot_h}' fill='#fafafa' stroke='#999'/>"]
    split_x, split_y = x(settings.high_performance_skill - 0.5), y(settings.energising_energy - 0.5)
    body.append(
        f"<line x1='{split_x:.1f}' y1='{top}' x2='{split_x:.1f}' y2='{top + plot_h}' stroke='#bbb' stroke-dasharray='4 3'/>"
    )
    body.append(
        f"<line x1='{left}' y1='{split_y:.1f}' x2='{left + plot_w}' y2='{split_y:.1f}' stroke='#bbb' stroke-dasharray='4 3'/>"
    )
    for qx, qy, anchor, label in (
        (left + plot_w - 6, top + 16, "end", "Strengths (realised if used, unrealised if not)"),
        (left + 6, top + 16, "start", "Emerging interests"),
        (left + plot_w - 6, top + plot_h - 8, "end", "Learned behaviours"),
        (left + 6, top + plot_h - 8, "start", "Weaknesses"),
    ):
        body.append(_text(qx, qy, label, anchor, fill="#555", font_style="italic"))
    for skill in range(1, 6):
        body.append(_text(x(skill), top + plot_h + 16, str(skill), "middle"))
    for energy in range(-2, 3):
        body.append(_text(left - 8, y(energy) + 4, f"{energy:+d}" if energy else "0", "end"))
    body.append(
        _text(left + plot_w / 2, height - 18, "Skill (1 new to it … 5 expert)", "middle", font_weight="bold")
    )
    body.append(
        f"<text transform='translate(16 {top + plot_h / 2:.1f}) rotate(-90)' text-anchor='middle' "
        f"font-weight='bold'>Energy (−2 drains … +2 energises)</text>"
    )
    seen: dict[tuple[int, int], int] = {}
    described = []
    for item in items:
        if item.category == "unrated":
            continue
        cell = (item.skill, item.energy)
        offset = seen.get(cell, 0)
        seen[cell] = offset + 1
        cx, cy = x(item.skill), y(item.energy) - 14 + offset * 15  # stack labels that share a cell
        r = 3 + 1.6 * math.sqrt(max(item.hours, 0))
        colour = CLASS_COLOURS[item.category]
        fill = colour if item.category != "unrealised_strength" else "white"
        name = activities[item.activity_id].name
        body.append(
            f"<g><title>{escape(f'{name}: {item.label}, {item.reason}')}</title>"
            f"<circle cx='{x(item.skill):.1f}' cy='{y(item.energy):.1f}' r='{r:.1f}' fill='{fill}' "
            f"fill-opacity='0.5' stroke='{colour}' stroke-width='2'/></g>"
        )
        body.append(
            _text(cx + 8, cy, f"{activities.short(item.activity_id)} ({item.hours:g} h)", fill="#222")
        )
        described.append(f"{name}: {item.label.lower()} ({item.reason})")
    unrated = [activities[i.activity_id].name for i in items if i.category == "unrated"]
    if unrated:
        body.append(_text(left, height - 4, "Not rated: " + ", ".join(unrated), fill="#555"))
    desc = "Each activity placed by your skill and energy. " + "; ".join(described)
    if unrated:
        desc += ". Not rated: " + ", ".join(unrated)
    return _svg(width, height, "Strengths map: skill against energy", desc, body, id_prefix)


def ranked_roles_svg(fits: Sequence[RoleFit], top: int | None = None, id_prefix: str = "ranked-roles") -> str:
    """Horizontal bars of the combined score per role, best first, with energy and skill fit in text."""
    fits = list(fits)[:top] if top else list(fits)
    row, label_w, bar_w, pad = 30, 230, 300, 20
    width, height = label_w + bar_w + 190, pad * 2 + row * max(len(fits), 1) + 20
    body = [_text(label_w + bar_w / 2, pad, "Role fit (0–100)", "middle", font_weight="bold")]
    lines = []
    for i, fit in enumerate(fits):
        y = pad + 14 + i * row
        w = bar_w * fit.score / 100
        body.append(_text(label_w - 8, y + 15, f"{fit.rank or i + 1}. {fit.role_name}", "end"))
        body.append(f"<rect x='{label_w}' y='{y:.1f}' width='{bar_w}' height='20' fill='#eee'/>")
        body.append(f"<rect x='{label_w}' y='{y:.1f}' width='{w:.1f}' height='20' fill='#2166ac'/>")
        summary = f"{fit.score:.0f}  (energy {fit.energy_fit:.0f}, skill {fit.skill_fit:.0f})"
        body.append(_text(label_w + bar_w + 8, y + 15, summary))
        lines.append(
            f"{fit.role_name} {fit.score:.0f} (energy fit {fit.energy_fit:.0f}, skill fit {fit.skill_fit:.0f})"
        )
    desc = "Roles ranked by how their typical week fits your energy and skills: " + "; ".join(lines)
    return _svg(width, height, "Roles ranked by fit", desc, body, id_prefix)


def roles_side_by_side_svg(
    role_a: Role,
    role_b: Role,
    activities: ActivityCatalogue | None = None,
    profile: Profile | None = None,
    id_prefix: str = "roles-compare",
) -> str:
    """Two roles' weeks as mirrored bars per activity; with a profile, each label says how it feels."""
    activities = activities or load_activities()
    ids = [a.id for a in activities if role_a.share(a.id) > 0 or role_b.share(a.id) > 0]
    row, half, centre_w, pad = 24, 220, 250, 50
    width, height = 2 * half + centre_w + 20, pad + row * len(ids) + 30
    max_share = max([role_a.share(a) for a in ids] + [role_b.share(a) for a in ids] + [0.01])
    left_end, right_start = 10 + half, 10 + half + centre_w
    body = [
        _text(left_end - 4, 24, role_a.name, "end", font_weight="bold"),
        _text(right_start + 4, 24, role_b.name, "start", font_weight="bold"),
        _text(10 + half + centre_w / 2, 24, "share of the week", "middle", fill="#555"),
    ]
    lines = []
    for i, a in enumerate(ids):
        y = pad + i * row
        sa, sb = role_a.share(a), role_b.share(a)
        wa, wb = (half - 40) * sa / max_share, (half - 40) * sb / max_share
        label = activities.short(a)
        if profile is not None:
            energy = profile.answer(a).energy
            label += f" ({ENERGY_WORDS[energy]})" if energy is not None else " (not rated)"
        body.append(_text(10 + half + centre_w / 2, y + 13, label, "middle"))
        if sa:
            body.append(
                f"<rect x='{left_end - wa:.1f}' y='{y}' width='{wa:.1f}' height='16' fill='#5aae61'/>"
            )
            body.append(_text(left_end - wa - 4, y + 13, f"{sa:.0%}", "end"))
        if sb:
            body.append(f"<rect x='{right_start}' y='{y}' width='{wb:.1f}' height='16' fill='#2166ac'/>")
            body.append(_text(right_start + wb + 4, y + 13, f"{sb:.0%}"))
        lines.append(f"{label}: {sa:.0%} vs {sb:.0%}")
    desc = f"Typical week of {role_a.name} (left) and {role_b.name} (right) per activity: " + "; ".join(lines)
    return _svg(width, height, f"{role_a.name} and {role_b.name} side by side", desc, body, id_prefix)
