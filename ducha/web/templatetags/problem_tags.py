"""Commitments on a unit's and a person's page (DOMAIN §8: kept or broken shows on the record).

An inclusion tag, so those pages need one line and no change to their views."""

from django import template

from ducha.problems import selectors

register = template.Library()


@register.inclusion_tag("web/problems/_commitments.html")
def unit_commitments(unit):
    return {"commitments": selectors.commitments_of_unit(unit), "show_person": True}


@register.inclusion_tag("web/problems/_commitments.html")
def person_commitments(person):
    return {"commitments": selectors.commitments_of_person(person), "show_unit": True}
