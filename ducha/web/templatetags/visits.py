"""Small helpers of the visit pages: tree indentation and links that keep the filters."""

from django import template

register = template.Library()


@register.filter
def subtract(value, other):
    """How many levels below `other` a unit sits (never negative)."""
    try:
        return max(0, int(value) - int(other))
    except (TypeError, ValueError):
        return 0


@register.simple_tag
def query_with(request, **changes) -> str:
    """The page's query string with some parameters replaced."""
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = str(value)
    return query.urlencode()
