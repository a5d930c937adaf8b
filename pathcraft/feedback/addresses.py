"""Email addresses reduced to the mailbox they reach, so one person cannot pass for several.

Pure: no Django. ``mailbox("Jae.Abebe+2@Gmail.com")`` and ``mailbox("jaeabebe@googlemail.com")`` are the
same string, because both reach the same inbox. Used to refuse the subject's own addresses in any form and
to count a respondent once however their address is written (docs/feedback.md, "Who counts").
"""

from __future__ import annotations

from collections.abc import Iterable

# Gmail treats googlemail.com as the same mailbox (data/feedback.yaml, email_dot_blind_domains).
_SAME_DOMAIN = {"googlemail.com": "gmail.com"}


def mailbox(address: str, dot_blind_domains: Iterable[str] = ("gmail.com", "googlemail.com")) -> str:
    """The canonical form of an address: lower case, no "+tag", no dots where the provider ignores them.

    Lower-casing the local part is what every common provider does, although RFC 5321 allows a
    case-sensitive one; treating two spellings as one person is the safe error here (one fewer counted
    respondent), the other way round lets one person count twice.
    """
    text = address.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return text
    local = local.split("+", 1)[0] or local  # "+tag" goes to the same inbox; "+x@" alone stays as it is
    blind = {d.lower() for d in dot_blind_domains}
    if domain in blind:
        local = local.replace(".", "")
    domain = _SAME_DOMAIN.get(domain, domain) if domain in blind else domain
    return f"{local}@{domain}"
