"""Forms of the account pages: API tokens, opening an account, passwords, roles.

They validate input; ducha/orgs/services.py decides and records. Unit choices come from
ducha/orgs/access.py, so a unit outside the manager's scope fails like any wrong value.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.orgs.models import OrgUnit, Person, Role
from ducha.web.forms import UnitChoiceField

User = get_user_model()


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=50,
        help_text=_("What the token is for, e.g. “ledger sync on the office PC”."),
    )


class _NewPasswordForm(forms.Form):
    """Two password fields, checked against the password rules (settings.AUTH_PASSWORD_VALIDATORS)."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def account_user(self):
        """The account the password is for (the rules compare it with the username): the
        existing one for a reset; a new account's form builds it from the typed username."""
        return self.user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.account_user())
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AccountCreateForm(_NewPasswordForm):
    field_order = ["username", "password1", "password2"]
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[User.username_validator]
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def account_user(self):
        return User(username=self.cleaned_data.get("username", ""), first_name=self.person.name)


class AccountPasswordForm(_NewPasswordForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitChoiceField(label=_("At unit"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, manager, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        # A role goes to the person's own unit, a unit above it or one just below it, and
        # only where the manager may manage accounts.
        unit = person.unit
        self.fields["unit"].queryset = access.units_for_user(manager, Cap.MANAGE_ACCOUNTS).filter(
            Q(pk__in=unit.ancestor_ids) | Q(parent=unit)
        )
        self.fields["unit"].initial = unit.pk
