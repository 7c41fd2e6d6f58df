"""Small helpers the org, people and place pages share: pagination and saved-draft markers."""

from __future__ import annotations

import re

from django.core.paginator import Page, Paginator
from django.http import HttpResponseRedirect

PER_PAGE = 50

_DRAFT_KEY = re.compile(r"^[a-z0-9-]{1,60}$")


def page_of(request, queryset, *, param: str = "page") -> Page:
    """One page of `queryset`, with links to its neighbours that keep the other filters."""
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"{request.path}?{query.urlencode()}"

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page


def with_saved_draft(response: HttpResponseRedirect, key: str) -> HttpResponseRedirect:
    """Tell the next page which browser-kept draft (static/js/ducha.js) the server accepted."""
    separator = "&" if "?" in response["Location"] else "?"
    response["Location"] = f"{response['Location']}{separator}saved={key}"
    return response


def saved_draft(request) -> str:
    key = request.GET.get("saved", "")
    return key if _DRAFT_KEY.match(key) else ""
