"""Suggestions on the 1:1 page that its view does not compute: the career conversation of a new
relationship (combined with the stale question's prompt) and the first-1:1 check.

    {% agenda_suggestions rel suggestion as picks %}   picks.career, picks.stale, picks.held_back
    {% first_one_on_one rel as first %}                first.state (cadence.FirstOneOnOne) or None
"""

from django import template

from pathcraft.growth import suggestions
from pathcraft.growth.defaults import question_data
from pathcraft.growth.questions import career_prompt_id

register = template.Library()


@register.simple_tag
def agenda_suggestions(rel, stale=None):
    return suggestions.for_agenda(rel, stale or None)


@register.simple_tag
def first_one_on_one(rel):
    return suggestions.first_check(rel)


@register.filter
def career_item(item) -> bool:
    """An agenda item that carries a career conversation's prompt."""
    ids = {career_prompt_id(c.key) for c in question_data().career_conversations}
    return getattr(item, "prompt_id", "") in ids


@register.filter
def absolute(value: int) -> int:
    return abs(value)
