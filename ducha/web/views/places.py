"""Pages of places: villages, enterprises, households and grid cells.

Households' personal data (name, contact, ID number, phone) reaches the page only through
access.PlaceMasker / masked_place_values, on lists and detail pages alike (DOMAIN §16).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ducha.orgs import access, selectors, services
from ducha.orgs.access import Cap
from ducha.web.forms import PlaceForm, PlaceSearchForm, add_service_error

from .pages import page_of, saved_draft, with_saved_draft


@login_required
def place_list(request):
    user = request.user
    form = PlaceSearchForm(request.GET, user=user)
    form.is_valid()  # a filter that fails validation is left out; the others still apply
    filters = form.cleaned_data
    places = selectors.places_search(
        user,
        q=filters.get("q", ""),
        kind=filters.get("kind", ""),
        unit=filters.get("unit"),
        household_kind=filters.get("household_kind", ""),
    )
    page = page_of(request, places)
    masker = access.PlaceMasker(user)
    return render(
        request,
        "web/places/place_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(place, masker.values(place)) for place in page],
            "can_create": access.has_any_cap(user, Cap.MANAGE_PLACES),
        },
    )


@login_required
def place_detail(request, place_id):
    user = request.user
    place = access.get_place_for_user(user, place_id)
    masker = access.PlaceMasker(user)
    children = access.places_for_user(user).filter(parent=place).select_related("unit")
    children_page = page_of(request, children)
    return render(
        request,
        "web/places/place_detail.html",
        {
            "place": place,
            "values": masker.values(place),
            "masked": place.is_household and not masker.visible(place),
            "doctor": place.responsible_doctor,
            "children": children_page,
            "child_rows": [(child, masker.values(child)) for child in children_page],
            "can_manage": access.has_cap(user, Cap.MANAGE_PLACES, place.unit),
            "saved_draft": saved_draft(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request):
    user = request.user
    if not access.has_any_cap(user, Cap.MANAGE_PLACES):
        raise PermissionDenied
    unit_param = request.GET.get("unit", "")
    draft = f"place-create-{unit_param}" if unit_param.isdigit() else "place-create"
    form = PlaceForm(request.POST or None, user=user, initial={"unit": unit_param})
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The place “%(place)s” was added.") % {"place": place.code})
            return with_saved_draft(redirect("orgs-place-detail", place.pk), draft)
    return render(
        request, "web/places/place_form.html", {"form": form, "place": None, "draft": draft}
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_update(request, place_id):
    user = request.user
    place = access.get_place_for_user(user, place_id, write=True)
    draft = f"place-update-{place.pk}"
    form = PlaceForm(
        request.POST or None,
        user=user,
        instance=place,
        personal_visible=access.may_see_personal_data(user, place),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.place_update(actor=user, place=place, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The place “%(place)s” was saved.") % {"place": place.code})
            return with_saved_draft(redirect("orgs-place-detail", place.pk), draft)
    return render(
        request,
        "web/places/place_form.html",
        {"form": form, "place": place, "draft": draft, "label": _place_label(user, place)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def place_delete(request, place_id):
    user = request.user
    place = access.get_place_for_user(user, place_id, write=True)
    refusal = None
    if request.method == "POST":
        try:
            services.place_delete(actor=user, place=place)
        except ValidationError as error:
            # The service's message names the place; a masked household stays unnamed.
            if access.may_see_personal_data(user, place) or not place.is_household:
                refusal = " ".join(error.messages)
            else:
                refusal = _("This place still contains other places; remove them first.")
        except ProtectedError:
            refusal = _("The place is still referred to by other records.")
        else:
            messages.success(
                request, _("The place “%(place)s” was deleted.") % {"place": place.code}
            )
            return redirect("orgs-place-list")
    return render(
        request,
        "web/places/place_delete.html",
        {"place": place, "label": _place_label(user, place), "refusal": refusal},
        status=409 if refusal else 200,
    )


def _place_label(user, place) -> str:
    """How a page names the place in its title: a masked name for a hidden household."""
    return access.masked_place_values(place, visible=access.may_see_personal_data(user, place))[
        "name"
    ]
