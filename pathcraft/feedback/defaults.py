"""Load and validate data/feedback.yaml: the defaults of peer feedback and calibration."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pathcraft.errors import InputError

DATA_FILE = Path(__file__).parent / "data" / "feedback.yaml"

# The anonymity floor is a rule of the product, not a default: it is checked here and in
# anonymity.check_k, whatever the data file says.
K_FLOOR = 3


@dataclass(frozen=True)
class TextQuestion:
    key: str
    label: str
    help: str


@dataclass(frozen=True)
class FeedbackDefaults:
    k: int
    release_policy: str
    release_policies: tuple[str, ...]
    confidence: float
    min_gap: float
    min_spread: float
    firm_ratings: int
    token_bytes: int
    link_lifetime_days: int
    scale_min: int
    scale_max: int
    scale_labels: dict[int, str]
    not_seen_label: str
    max_text_chars: int
    text_questions: tuple[TextQuestion, ...]
    ratings_label: str
    ratings_help: str
    competencies_label: str
    competencies_help: str
    reask_window_days: int = 180
    email_dot_blind_domains: tuple[str, ...] = ("gmail.com", "googlemail.com")


def _value(section: dict[str, Any], key: str, where: str) -> Any:
    entry = section.get(key)
    if not isinstance(entry, dict) or "value" not in entry:
        raise InputError(f"{DATA_FILE.name}: {where}.{key} needs a 'value'")
    if "source" not in entry and not entry.get("estimate"):
        raise InputError(
            f"{DATA_FILE.name}: {where}.{key} needs a 'source' or 'estimate: true' with a reason"
        )
    if entry.get("estimate") and not entry.get("reason"):
        raise InputError(f"{DATA_FILE.name}: {where}.{key} is an estimate without a 'reason'")
    return entry["value"]


def parse_defaults(raw: dict[str, Any]) -> FeedbackDefaults:
    """Validate the parsed YAML; every problem names the key."""
    try:
        anon, calib, links, questions = raw["anonymity"], raw["calibration"], raw["links"], raw["questions"]
    except (KeyError, TypeError) as exc:
        raise InputError(f"{DATA_FILE.name}: missing section {exc}") from None
    k = _value(anon, "k", "anonymity")
    if not isinstance(k, int) or isinstance(k, bool) or k < K_FLOOR:
        raise InputError(
            f"{DATA_FILE.name}: anonymity.k must be a whole number of at least {K_FLOOR}, got {k!r}"
        )
    policy = _value(anon, "release_policy", "anonymity")
    policies = tuple(anon["release_policy"].get("choices", ()))
    if policy not in policies:
        raise InputError(f"{DATA_FILE.name}: anonymity.release_policy {policy!r} is not one of {policies}")
    confidence = float(_value(calib, "confidence", "calibration"))
    if not 0.5 <= confidence < 1:
        raise InputError(f"{DATA_FILE.name}: calibration.confidence must be in [0.5, 1), got {confidence}")
    scale = questions["scale"]
    labels = {int(key): str(text) for key, text in scale["labels"].items()}
    if sorted(labels) != list(range(scale["min"], scale["max"] + 1)):
        raise InputError(
            f"{DATA_FILE.name}: questions.scale.labels must name every step {scale['min']}..{scale['max']}"
        )
    return FeedbackDefaults(
        k=k,
        release_policy=policy,
        release_policies=policies,
        confidence=confidence,
        min_gap=float(_value(calib, "min_gap", "calibration")),
        min_spread=float(_value(calib, "min_spread", "calibration")),
        firm_ratings=int(_value(calib, "firm_ratings", "calibration")),
        token_bytes=int(_value(links, "token_bytes", "links")),
        link_lifetime_days=int(_value(links, "lifetime_days", "links")),
        scale_min=int(scale["min"]),
        scale_max=int(scale["max"]),
        scale_labels=labels,
        not_seen_label=str(scale["not_seen"]),
        max_text_chars=int(_value(questions, "max_text_chars", "questions")),
        text_questions=tuple(
            TextQuestion(q["key"], q["label"], q.get("help", "")) for q in questions["text"]
        ),
        ratings_label=questions["ratings"]["label"],
        ratings_help=questions["ratings"].get("help", ""),
        competencies_label=questions["competencies"]["label"],
        competencies_help=questions["competencies"].get("help", ""),
        reask_window_days=_reask_window(anon),
        email_dot_blind_domains=tuple(
            str(d).lower() for d in _value(anon, "email_dot_blind_domains", "anonymity")
        ),
    )


def _reask_window(anon: dict[str, Any]) -> int:
    days = _value(anon, "reask_window_days", "anonymity")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise InputError(f"{DATA_FILE.name}: anonymity.reask_window_days must be a whole number >= 0")
    return days


@cache
def load_defaults() -> FeedbackDefaults:
    """The defaults from the bundled data file, read once."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return parse_defaults(yaml.safe_load(handle))
