from ducha.orgs import access
from ducha.orgs.access import Cap


def nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_manage_accounts": access.has_any_cap(user, Cap.MANAGE_ACCOUNTS),
        "nav_can_view_audit": access.has_any_cap(user, Cap.VIEW_AUDIT),
        "nav_person": getattr(user, "person", None) if hasattr(user, "person") else None,
    }
