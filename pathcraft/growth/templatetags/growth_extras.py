from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """{{ labels|get:item.question }}"""
    return mapping.get(key, "") if mapping else ""


@register.filter
def ratio(value):
    """A Ratio as 'n/d (0.63)', or '—' when there is nothing to divide."""
    if value is None or not getattr(value, "denominator", 0):
        return "—"
    return f"{round(value.numerator, 2):g}/{round(value.denominator, 2):g} ({value.rounded(2):.2f})"
