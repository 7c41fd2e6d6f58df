"""{% account_box person as box %}: what web/people/_account.html needs, for whichever page
includes it (the person's page passes only `person`)."""

from django import template

from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.web.forms_accounts import AccountCreateForm, AccountPasswordForm, RoleAssignForm

register = template.Library()


@register.simple_tag(takes_context=True)
def account_box(context, person) -> dict:
    """Nothing for those who may not manage accounts at the person's unit; otherwise the
    account, the roles (each marked revocable or not) and the forms, bound ones kept from
    the context so a refused form shows its errors."""
    request = context["request"]
    manager = request.user
    if not access.has_cap(manager, Cap.MANAGE_ACCOUNTS, person.unit):
        return {"may_manage": False}
    roles = list(person.roles.select_related("unit").order_by("unit__path", "role"))
    for assignment in roles:
        assignment.may_revoke = access.has_cap(manager, Cap.MANAGE_ACCOUNTS, assignment.unit)
    # After a refused POST the page is the form's own URL; keep where the user came from.
    back = request.POST.get("next", "") if request.method == "POST" else request.get_full_path()
    return {
        "may_manage": True,
        "account": person.user,
        "roles": roles,
        "account_form": context.get("account_form") or AccountCreateForm(person=person),
        "password_form": context.get("password_form") or AccountPasswordForm(user=person.user),
        "role_form": context.get("role_form") or RoleAssignForm(manager=manager, person=person),
        "next": back,
    }
