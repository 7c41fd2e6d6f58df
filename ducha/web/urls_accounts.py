"""Account, API-token and audit-log pages."""

from django.urls import path

from .views import accounts, audit

urlpatterns = [
    path("account/tokens/", accounts.token_list, name="accounts-token-list"),
    path(
        "account/tokens/<int:token_id>/revoke/",
        accounts.token_revoke,
        name="accounts-token-revoke",
    ),
    path(
        "people/<int:person_id>/account/", accounts.account_create, name="accounts-account-create"
    ),
    path(
        "people/<int:person_id>/account/active/",
        accounts.account_active,
        name="accounts-account-active",
    ),
    path(
        "people/<int:person_id>/account/password/",
        accounts.account_password,
        name="accounts-account-password",
    ),
    path("people/<int:person_id>/roles/", accounts.role_assign, name="accounts-role-assign"),
    path("roles/<int:assignment_id>/delete/", accounts.role_revoke, name="accounts-role-revoke"),
    # The audit log browser lives here too: web/urls.py includes one file per area.
    path("audit/", audit.entry_list, name="audit-entry-list"),
    path("audit/verify/", audit.chain_verify, name="audit-chain-verify"),
    path("audit/<int:seq>/", audit.entry_detail, name="audit-entry-detail"),
]
