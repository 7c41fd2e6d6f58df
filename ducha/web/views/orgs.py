"""Pages of the org tree: browse, search, detail, create, edit, move, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ducha.orgs import access, selectors, services
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit
from ducha.web.forms import UnitForm, UnitMoveForm, UnitSearchForm, add_service_error

from .pages import page_of, saved_draft, with_saved_draft


@login_required
def unit_list(request):
    """The user's scope roots as an expandable tree, or a flat table when searching."""
    user = request.user
    form = UnitSearchForm(request.GET)
    context = {"form": form, "searching": form.active}
    if form.active:
        units = selectors.units_search(
            user, q=form.cleaned_data["q"], kind=form.cleaned_data["kind"]
        )
        context["page"] = page_of(request, units)
    else:
        context["roots"] = selectors.unit_children(user, None)
    return render(request, "web/orgs/unit_list.html", context)


@login_required
def unit_children(request, unit_id):
    """The fragment htmx loads when a tree node is expanded, 50 children at a time."""
    unit = access.get_unit_for_user(request.user, unit_id)
    page = page_of(request, selectors.unit_children(request.user, unit))
    return render(request, "web/orgs/_children.html", {"unit": unit, "page": page})


@login_required
def unit_detail(request, unit_id):
    user = request.user
    unit = access.get_unit_for_user(user, unit_id)
    # Ancestors above the user's scope are named but not linked: their pages would be a 404.
    crumbs = [(a, access.has_cap(user, Cap.VIEW, a)) for a in selectors.unit_ancestors(unit)]
    changes = unit.changes.select_related("old_parent", "new_parent", "actor")
    return render(
        request,
        "web/orgs/unit_detail.html",
        {
            "unit": unit,
            "parent": crumbs[-1] if crumbs else None,
            "crumbs": crumbs,
            "children": page_of(request, selectors.unit_children(user, unit)),
            "changes": page_of(request, changes, param="history"),
            "totals": selectors.unit_totals(unit),
            "can_manage": access.has_cap(user, Cap.MANAGE_UNITS, unit),
            "can_add_people": access.has_cap(user, Cap.MANAGE_PEOPLE, unit),
            "can_add_places": access.has_cap(user, Cap.MANAGE_PLACES, unit),
            "saved_draft": saved_draft(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request, unit_id):
    parent = access.get_unit_for_user(request.user, unit_id, write=True)
    draft = f"unit-create-{parent.pk}"
    form = UnitForm(request.POST or None, initial={"kind": OrgUnit.Kind.DEPARTMENT})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The unit “%(unit)s” was created.") % {"unit": unit})
            return with_saved_draft(redirect("orgs-unit-detail", unit.pk), draft)
    return render(
        request,
        "web/orgs/unit_form.html",
        {"form": form, "parent": parent, "unit": None, "draft": draft},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_update(request, unit_id):
    unit = access.get_unit_for_user(request.user, unit_id, write=True)
    draft = f"unit-update-{unit.pk}"
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The unit “%(unit)s” was saved.") % {"unit": unit})
            return with_saved_draft(redirect("orgs-unit-detail", unit.pk), draft)
    return render(
        request,
        "web/orgs/unit_form.html",
        {"form": form, "parent": None, "unit": unit, "draft": draft},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_move(request, unit_id):
    user = request.user
    unit = access.get_unit_for_user(user, unit_id, write=True)
    form = UnitMoveForm(request.POST or None, user=user, initial={"new_parent": unit.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(actor=user, unit=unit, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The unit “%(unit)s” was moved.") % {"unit": unit})
            return redirect("orgs-unit-detail", unit.pk)
    return render(request, "web/orgs/unit_move.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete(request, unit_id):
    user = request.user
    unit = access.get_unit_for_user(user, unit_id, write=True)
    refusal = None
    if request.method == "POST":
        try:
            services.unit_delete(actor=user, unit=unit)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        except ProtectedError:
            refusal = _("“%(unit)s” is still referred to by other records.") % {"unit": unit}
        else:
            messages.success(request, _("The unit “%(unit)s” was deleted.") % {"unit": unit})
            if access.has_cap(user, Cap.VIEW, unit.parent):
                return redirect("orgs-unit-detail", unit.parent_id)
            return redirect("orgs-unit-list")
    return render(
        request,
        "web/orgs/unit_delete.html",
        {"unit": unit, "refusal": refusal},
        status=409 if refusal else 200,
    )
