"""Honours shown on a person's and a unit's page (web/surveys/_honours.html)."""

from django import template

from ducha.surveys import selectors

register = template.Library()


@register.simple_tag
def honours_of(unit=None, person=None) -> list:
    """Approved honours of the person, or else of the unit itself."""
    return list(selectors.honours_awarded(unit=unit, person=person)[:50])
