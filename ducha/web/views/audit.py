"""The audit log browser: entries inside the user's audit scope, one entry's before and after."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.audit import selectors
from ducha.audit.services import audit_verify
from ducha.orgs import access
from ducha.orgs.access import Cap
from ducha.web.forms_audit import AuditFilterForm

from .pages import page_of


def _require_audit_reader(user) -> None:
    if not (user.is_superuser or access.has_any_cap(user, Cap.VIEW_AUDIT)):
        raise PermissionDenied


@login_required
def entry_list(request):
    user = request.user
    _require_audit_reader(user)
    form = AuditFilterForm(request.GET)
    page = page_of(request, selectors.audit_entries_list(user, **form.filters()))
    return render(
        request,
        "web/audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.entries_for_display(user, page.object_list),
        },
    )


@login_required
def entry_detail(request, seq):
    user = request.user
    _require_audit_reader(user)
    (view,) = selectors.entries_for_display(user, [selectors.audit_entry_get(user, seq)])
    return render(request, "web/audit/entry_detail.html", {"view": view})


@login_required
@require_POST
def chain_verify(request):
    """Walk the whole hash chain (superusers only: it reads every entry)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    result = audit_verify()
    if result.ok:
        messages.success(
            request, _("The audit log is intact: %(n)d entries checked.") % {"n": result.checked}
        )
    else:
        messages.error(
            request,
            _("The audit log has been tampered with: %(problems)s")
            % {"problems": "; ".join(result.problems)},
        )
    return redirect("audit-entry-list")
