"""Pages of people: list with filters, detail with posts and roles, create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ducha.orgs import access, selectors, services
from ducha.orgs.access import Cap
from ducha.web.forms import PersonForm, PersonSearchForm, add_service_error

from .pages import page_of, saved_draft, with_saved_draft


@login_required
def person_list(request):
    user = request.user
    form = PersonSearchForm(request.GET, user=user)
    form.is_valid()  # a filter that fails validation is left out; the others still apply
    filters = form.cleaned_data
    people = selectors.people_search(
        user,
        q=filters.get("q", ""),
        unit=filters.get("unit"),
        party=filters.get("party", ""),
        role=filters.get("role", ""),
    )
    return render(
        request,
        "web/people/person_list.html",
        {
            "form": form,
            "page": page_of(request, people),
            "can_create": access.has_any_cap(user, Cap.MANAGE_PEOPLE),
        },
    )


@login_required
def person_detail(request, person_id):
    user = request.user
    person = access.get_person_for_user(user, person_id)
    return render(
        request,
        "web/people/person_detail.html",
        {
            "person": person,
            "posts": person.posts.select_related("unit"),
            "roles": person.roles.select_related("unit"),
            "can_manage": access.has_cap(user, Cap.MANAGE_PEOPLE, person.unit),
            "saved_draft": saved_draft(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    user = request.user
    if not access.has_any_cap(user, Cap.MANAGE_PEOPLE):
        raise PermissionDenied
    unit_param = request.GET.get("unit", "")
    draft = f"person-create-{unit_param}" if unit_param.isdigit() else "person-create"
    form = PersonForm(request.POST or None, user=user, initial={"unit": unit_param})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return with_saved_draft(redirect("orgs-person-detail", person.pk), draft)
    return render(
        request, "web/people/person_form.html", {"form": form, "person": None, "draft": draft}
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_update(request, person_id):
    user = request.user
    person = access.get_person_for_user(user, person_id, write=True)
    draft = f"person-update-{person.pk}"
    form = PersonForm(request.POST or None, user=user, instance=person)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        titles = fields.pop("posts")
        old_unit_id = person.unit_id
        try:
            # The person's own fields and the posts at their unit are saved together or not at all.
            with transaction.atomic():
                services.person_update(actor=user, person=person, **fields)
                if titles != form.initial_titles or person.unit_id != old_unit_id:
                    services.post_set(actor=user, person=person, unit=person.unit, titles=titles)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": person.name})
            return with_saved_draft(redirect("orgs-person-detail", person.pk), draft)
    return render(
        request, "web/people/person_form.html", {"form": form, "person": person, "draft": draft}
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request, person_id):
    person = access.get_person_for_user(request.user, person_id, write=True)
    refusal = None
    if request.method == "POST":
        try:
            services.person_delete(actor=request.user, person=person)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        except ProtectedError:
            refusal = _("%(name)s is still referred to by other records.") % {"name": person.name}
        else:
            messages.success(request, _("%(name)s was deleted.") % {"name": person.name})
            return redirect("orgs-person-list")
    return render(
        request,
        "web/people/person_delete.html",
        {"person": person, "refusal": refusal},
        status=409 if refusal else 200,
    )
