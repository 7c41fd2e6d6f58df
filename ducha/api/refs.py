"""Ids named in a request body are looked up through access.py like ids in the path; one the
caller can't see is reported as an invalid field (422), never written."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

T = TypeVar("T")


def resolve_ref(getter: Callable[..., T], user, pk, *, field: str) -> T | None:
    """`getter(user, pk)` from access.py, or a field error if the id is unknown or out of scope."""
    if pk is None:
        return None
    try:
        return getter(user, pk)
    except Http404:
        raise ValidationError({field: [_("No such record in your scope.")]}) from None
