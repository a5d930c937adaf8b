"""Load and check the growth data files (thresholds, question bank, delegation levels) once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from pathcraft.errors import InputError
from pathcraft.growth.figures import Threshold

DATA_DIR = Path(__file__).parent / "data"
QUESTION_KEYS = ("grow", "align", "motivation", "vision")


@dataclass(frozen=True)
class QuestionDefault:
    key: str
    label: str
    stale_after_days: int
    source: str
    estimate: bool


@dataclass(frozen=True)
class CareerConversationDefault:
    key: str
    label: str
    suggest_within_days: int
    question: str


@dataclass(frozen=True)
class BankPrompt:
    id: str
    question: str
    text: str
    source: str


@dataclass(frozen=True)
class QuestionData:
    questions: tuple[QuestionDefault, ...]
    avoid_repeat_days: int
    career_conversations: tuple[CareerConversationDefault, ...]
    career_source: str
    prompts: tuple[BankPrompt, ...]

    def question(self, key: str) -> QuestionDefault:
        for question in self.questions:
            if question.key == key:
                return question
        raise InputError(f"unknown question {key!r}; expected one of {', '.join(QUESTION_KEYS)}")


@dataclass(frozen=True)
class DelegationLevel:
    level: int
    key: str
    label: str
    meaning: str


@dataclass(frozen=True)
class DelegationData:
    levels: tuple[DelegationLevel, ...]
    team_decides_from_level: int
    source: str

    def level(self, number: int) -> DelegationLevel:
        for level in self.levels:
            if level.level == number:
                return level
        raise InputError(f"delegation level must be 1–7, got {number!r}")


def _read(name: str) -> dict:
    path = DATA_DIR / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping at the top level")
    return data


def _source_of(entry: dict, where: str) -> tuple[str, bool]:
    """Every default needs a source, or estimate: true with a reason."""
    if entry.get("source"):
        return str(entry["source"]).strip(), bool(entry.get("estimate", False))
    if entry.get("estimate") and entry.get("why"):
        return "estimate: " + str(entry["why"]).strip(), True
    raise InputError(f"{where}: needs a source, or estimate: true with a why")


def threshold_from(entry: dict, where: str) -> Threshold:
    if not isinstance(entry, dict) or "value" not in entry:
        raise InputError(f"{where}: expected a mapping with a value")
    source, estimate = _source_of(entry, where)
    return Threshold(float(entry["value"]), source, estimate, str(entry.get("caveat", "")).strip())


@cache
def question_data() -> QuestionData:
    data = _read("questions.yaml")
    questions = []
    for entry in data["questions"]:
        source, estimate = _source_of(entry, f"questions.yaml question {entry.get('key')}")
        questions.append(
            QuestionDefault(entry["key"], entry["label"], int(entry["stale_after_days"]), source, estimate)
        )
    if tuple(q.key for q in questions) != QUESTION_KEYS:
        raise InputError(f"questions.yaml must list the questions {QUESTION_KEYS} in that order")
    career = data["career_conversations"]
    conversations = tuple(
        CareerConversationDefault(c["key"], c["label"], int(c["suggest_within_days"]), c["question"])
        for c in career["conversations"]
    )
    prompts = tuple(
        BankPrompt(p["id"], p["question"], str(p["text"]).strip(), str(p.get("source", "")).strip())
        for p in data["prompts"]
    )
    check_prompts(prompts)
    return QuestionData(
        questions=tuple(questions),
        avoid_repeat_days=int(data["suggestions"]["avoid_repeat_days"]),
        career_conversations=conversations,
        career_source=str(career["source"]).strip(),
        prompts=prompts,
    )


def check_prompts(prompts: tuple[BankPrompt, ...] | list[BankPrompt]) -> None:
    """Prompts need a unique id, a known question, some text and a source."""
    seen: set[str] = set()
    problems = []
    for prompt in prompts:
        if not prompt.id:
            problems.append(f"prompt {prompt.text[:40]!r}: missing id")
        elif prompt.id in seen:
            problems.append(f"prompt {prompt.id!r}: id used twice")
        seen.add(prompt.id)
        if prompt.question not in QUESTION_KEYS:
            problems.append(f"prompt {prompt.id!r}: unknown question {prompt.question!r}")
        if not prompt.text:
            problems.append(f"prompt {prompt.id!r}: empty text")
        if not prompt.source:
            problems.append(f"prompt {prompt.id!r}: missing source")
    if problems:
        raise InputError("question bank has problems", problems)


@cache
def dashboard_thresholds() -> dict[str, Threshold]:
    """Flat mapping "section.name" -> Threshold for every entry of dashboard.yaml."""
    data = _read("dashboard.yaml")
    thresholds = {}
    for section, entries in data.items():
        for name, entry in entries.items():
            if name == "research":
                continue
            thresholds[f"{section}.{name}"] = threshold_from(entry, f"dashboard.yaml {section}.{name}")
    return thresholds


def threshold(name: str) -> Threshold:
    try:
        return dashboard_thresholds()[name]
    except KeyError:
        raise InputError(f"no default named {name!r} in dashboard.yaml") from None


@cache
def delegation_data() -> DelegationData:
    data = _read("delegation.yaml")
    levels = tuple(
        DelegationLevel(int(e["level"]), e["key"], e["label"], e["meaning"]) for e in data["levels"]
    )
    if [level.level for level in levels] != list(range(1, 8)):
        raise InputError("delegation.yaml must list levels 1 to 7 in order")
    return DelegationData(levels, int(data["team_decides_from_level"]), str(data["source"]).strip())
