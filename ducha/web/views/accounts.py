"""Account pages: one's own API tokens, and for account managers a person's login account
(open, disable or enable, reset the password) and roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.orgs import access, services
from ducha.orgs.models import Person, RoleAssignment
from ducha.web.forms import add_service_error
from ducha.web.forms_accounts import (
    AccountCreateForm,
    AccountPasswordForm,
    RoleAssignForm,
    TokenCreateForm,
)

# --- API tokens ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """The user's tokens. A new token's clear value is shown on this response only."""
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        new_token = {"token": token, "raw": raw}
        form = TokenCreateForm()
    response = render(
        request,
        "web/accounts/token_list.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token},
    )
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts-token-list")


# --- a person's account --------------------------------------------------------------------


def _account_page(request, person: Person, **forms):
    """The person's account page; `forms` replace the blank ones to show their errors."""
    return render(request, "web/accounts/account.html", {"person": person, **forms})


def _back(request, person: Person):
    """Back where the form was (the person's page, usually), else to the account page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("accounts-account-create", person.pk)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request, person_id):
    """GET: the account page of a person. POST: open their login account."""
    person = access.get_account_person_for_user(request.user, person_id)
    if request.method == "GET":
        return _account_page(request, person)
    form = AccountCreateForm(request.POST, person=person)
    if form.is_valid():
        try:
            user = services.account_create(
                actor=request.user,
                person=person,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("An account “%(username)s” was opened for %(name)s.")
                % {"username": user.username, "name": person.name},
            )
            return _back(request, person)
    return _account_page(request, person, account_form=form)


@login_required
@require_POST
def account_active(request, person_id):
    person = access.get_account_person_for_user(request.user, person_id)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, person=person, active=active)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if active:
            messages.success(
                request, _("The account of %(name)s is enabled.") % {"name": person.name}
            )
        else:
            messages.success(
                request,
                _("The account of %(name)s is disabled: it can no longer log in or use API tokens.")
                % {"name": person.name},
            )
    return _back(request, person)


@login_required
@require_POST
def account_password(request, person_id):
    person = access.get_account_person_for_user(request.user, person_id)
    if person.user is None:
        messages.error(request, _("%(name)s has no account.") % {"name": person.name})
        return _back(request, person)
    form = AccountPasswordForm(request.POST, user=person.user)
    if form.is_valid():
        try:
            services.account_set_password(
                actor=request.user, person=person, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The password of %(name)s was reset.") % {"name": person.name}
            )
            return _back(request, person)
    return _account_page(request, person, password_form=form)


# --- roles ---------------------------------------------------------------------------------


@login_required
@require_POST
def role_assign(request, person_id):
    person = access.get_account_person_for_user(request.user, person_id)
    form = RoleAssignForm(request.POST, manager=request.user, person=person)
    if form.is_valid():
        try:
            assignment = services.role_assign(
                actor=request.user,
                person=person,
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s at %(unit)s.")
                % {
                    "name": person.name,
                    "role": assignment.get_role_display(),
                    "unit": assignment.unit.name,
                },
            )
            return _back(request, person)
    return _account_page(request, person, role_form=form)


@login_required
@require_POST
def role_revoke(request, assignment_id):
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("unit", "person"), pk=assignment_id
    )
    # The holder is looked up through access.py: an assignment of someone outside the manager's
    # scope is the same 404 as a missing one.
    person = access.get_account_person_for_user(request.user, assignment.person_id)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(
        request,
        _("%(name)s is no longer %(role)s at %(unit)s.")
        % {
            "name": person.name,
            "role": assignment.get_role_display(),
            "unit": assignment.unit.name,
        },
    )
    return _back(request, person)
