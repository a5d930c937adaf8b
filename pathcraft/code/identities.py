"""Who is who: raw git identities mapped through .mailmap and merged into developers; bots set apart."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from pathcraft.code.history import HOURS_PER_WEEK, IdentityStats, normalize_name
from pathcraft.errors import InputError


@dataclass
class Developer:
    """One person as far as the history can tell: every email and name merged under one key."""

    key: str
    name: str
    emails: list[str]
    names: list[str]
    commits: int
    first_time: int
    last_time: int
    hours: list[int] = field(default_factory=lambda: [0] * HOURS_PER_WEEK)

    def matches(self, who: str) -> bool:
        """Whether WHO (an email, a name or the key) names this developer."""
        wanted = who.strip().lower()
        return (
            wanted == self.key.lower()
            or wanted in self.emails
            or normalize_name(who) in {normalize_name(n) for n in self.names}
        )


@dataclass
class IdentityMap:
    """Developers, and for each raw identity index the developer index it belongs to (None: a bot)."""

    developers: list[Developer]
    owner: list[int | None]
    bots: list[str]

    def find(self, who: str) -> int:
        """The developer WHO names, or InputError listing a few known ones."""
        for index, dev in enumerate(self.developers):
            if dev.matches(who):
                return index
        known = ", ".join(sorted(d.key for d in self.developers)[:8])
        raise InputError(
            f"no developer {who!r} in this history (known: {known}{', …' if len(self.developers) > 8 else ''})"
        )


@dataclass
class Mailmap:
    """git's .mailmap: commit email (and optionally commit name) -> proper name and/or proper email."""

    by_email: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    by_pair: dict[tuple[str, str], tuple[str | None, str | None]] = field(default_factory=dict)

    def map(self, name: str, email: str) -> tuple[str, str]:
        """The (name, email) git would show as %aN/%aE (emails and names compared case-insensitively)."""
        key = email.strip().lower()
        proper = self.by_pair.get((key, name.strip().lower())) or self.by_email.get(key)
        if proper is None:
            return name, email
        return proper[0] or name, proper[1] or email


MAILMAP_LINE = re.compile(r"^([^<]*)<([^>]*)>\s*(?:([^<]*)<([^>]*)>)?")


def parse_mailmap(text: str) -> Mailmap:
    """Read the four forms of gitmailmap(5); lines that fit none are ignored, as git does."""
    mailmap = Mailmap()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        match = MAILMAP_LINE.match(line)
        if not match:
            continue
        name1, email1, name2, email2 = (g.strip() if g is not None else None for g in match.groups())
        if email2 is not None:  # Proper Name <proper> [Commit Name] <commit>
            proper = (name1 or None, email1 or None)
            if name2:
                mailmap.by_pair[(email2.lower(), name2.lower())] = proper
            else:
                mailmap.by_email[email2.lower()] = proper
        elif name1:  # Proper Name <commit>: only the name changes
            mailmap.by_email[email1.lower()] = (name1, None)
    return mailmap


def compile_bots(patterns: Iterable[str]) -> re.Pattern:
    """One case-insensitive regular expression from the bot patterns."""
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", re.IGNORECASE)
    except re.error as exc:
        raise InputError(f"bad bot pattern: {exc}") from exc


def is_bot(stats: IdentityStats, bots: re.Pattern) -> bool:
    return bool(bots.search(stats.email)) or any(bots.search(name) for name in stats.names)


class _Union:
    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve_identities(
    identities: list[IdentityStats],
    bot_patterns: Iterable[str],
    aliases: Mapping[str, Iterable[str]] | None = None,
    mailmap: Mailmap | None = None,
    bot_cache: dict | None = None,
) -> IdentityMap:
    """Map raw identities through MAILMAP, then merge those sharing an email or a name (as the reference tool),
    then by the alias table; bots stay out.

    ALIASES maps a person's label to their emails and names: every identity with one of them becomes that person.
    BOT_CACHE (a dict kept with the history state, updated here) remembers which identities, as committed, are bots
    under the same patterns, so that a re-run only checks identities it has not seen (and those .mailmap changes).
    """
    bot_patterns = list(bot_patterns)
    bots = compile_bots(bot_patterns)
    raw = identities
    if mailmap is not None and (mailmap.by_email or mailmap.by_pair):
        listed = mailmap.by_email.keys() | {email for email, _ in mailmap.by_pair}
        identities = [_mapped(s, mailmap) if s.email in listed else s for s in raw]
    else:
        identities = list(raw)
    size = len(identities)
    union = _Union(size)
    # An identity is a bot if it is one as committed or as .mailmap shows it; the first verdict is kept between runs.
    known = ""
    if bot_cache is not None and bot_cache.get("patterns") == bot_patterns:
        flags = bot_cache.get("flags")
        known = flags if isinstance(flags, str) and len(flags) <= size else ""
    as_committed = [flag == "1" for flag in known]
    as_committed.extend(is_bot(r, bots) for r in raw[len(known) :])
    if bot_cache is not None:
        bot_cache.clear()
        bot_cache.update(patterns=bot_patterns, flags="".join("1" if flag else "0" for flag in as_committed))
    bot_flags = [
        flag or (s is not r and is_bot(s, bots))
        for flag, s, r in zip(as_committed, identities, raw, strict=True)
    ]
    by_name: dict[str, int] = {}
    by_email: dict[str, int] = {}
    normalized: dict[str, str] = {}  # names repeat across identities: normalise each once
    for index, stats in enumerate(identities):
        if bot_flags[index]:
            continue
        if stats.email:
            if stats.email in by_email:
                union.join(by_email[stats.email], index)
            else:
                by_email[stats.email] = index
        for name in stats.names:
            norm = normalized.get(name)
            if norm is None:
                norm = normalized[name] = normalize_name(name)
            if not norm:  # nameless commits are never merged with each other
                continue
            if norm in by_name:
                union.join(by_name[norm], index)
            else:
                by_name[norm] = index
    labels: dict[int, str] = {}
    for label, handles in (aliases or {}).items():
        emails = {h.strip().lower() for h in handles if "@" in h}
        names = {normalize_name(h) for h in handles if "@" not in h} | {normalize_name(label)}
        members = [
            i
            for i, s in enumerate(identities)
            if not bot_flags[i] and (s.email in emails or any(normalize_name(n) in names for n in s.names))
        ]
        for other in members[1:]:
            union.join(members[0], other)
        if members:
            labels[members[0]] = label
    groups: dict[int, list[int]] = {}
    find = union.find
    for index in range(size):
        if not bot_flags[index]:
            groups.setdefault(find(index), []).append(index)
    merged = []
    for members in groups.values():
        label = next((labels[m] for m in members if m in labels), None) if labels else None
        merged.append((_merge([identities[m] for m in members], label), members))
    # Sorted by key, so the order does not depend on the order commits were read in (full or incremental run).
    merged.sort(key=lambda item: item[0].key)
    developers: list[Developer] = []
    owner: list[int | None] = [None] * size
    for dev, members in merged:
        developers.append(dev)
        for m in members:
            owner[m] = len(developers) - 1
    bot_names = sorted({identities[i].key for i in range(size) if bot_flags[i]})
    return IdentityMap(developers=developers, owner=owner, bots=bot_names)


def _mapped(stats: IdentityStats, mailmap: Mailmap | None) -> IdentityStats:
    """STATS as .mailmap shows it: one (name, email) with the same counts (STATS itself when nothing changes)."""
    if mailmap is None or not (mailmap.by_email or mailmap.by_pair):
        return stats
    mapped = {}
    email = stats.email
    for name, count in stats.names.items():
        new_name, email = mailmap.map(name, stats.email)
        mapped[new_name] = mapped.get(new_name, 0) + count
    email = email.strip().lower()
    if email == stats.email and mapped == stats.names:
        return stats
    return replace(stats, email=email, names=mapped)


def _merge(members: list[IdentityStats], label: str | None) -> Developer:
    if len(members) == 1:  # most developers: one identity, nothing to add up
        primary = members[0]
        names = primary.names
        emails = [primary.email] if primary.email else []
        hours = list(primary.hours)
        commits, first_time, last_time = primary.commits, primary.first_time, primary.last_time
    else:
        primary = min(members, key=lambda s: (-s.commits, s.key))
        names = {}
        for stats in members:
            for name, count in stats.names.items():
                names[name] = names.get(name, 0) + count
        emails = sorted({s.email for s in members if s.email})
        hours = list(map(sum, zip(*(s.hours for s in members), strict=True)))
        commits = sum(s.commits for s in members)
        first_time = min(s.first_time for s in members)
        last_time = max(s.last_time for s in members)
    top_names = sorted(names, key=lambda n: (-names[n], n)) if len(names) > 1 else list(names)
    return Developer(
        key=primary.email or "name:" + normalize_name(top_names[0] if top_names else ""),
        name=label or (top_names[0] if top_names and top_names[0] else primary.key),
        emails=emails,
        names=top_names,
        commits=commits,
        first_time=first_time,
        last_time=last_time,
        hours=hours,
    )
