"""Authentication events go into the audit log too."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEntry
from .services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        object_type="auth.user",
        object_id=str(user.pk),
        object_repr=user.username,
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            actor=user,
            action=AuditEntry.Action.LOGOUT,
            object_type="auth.user",
            object_id=str(user.pk),
            object_repr=user.username,
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")[:150]
    audit_record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        object_type="auth.user",
        object_repr=username,
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(
        actor=None,
        action=AuditEntry.Action.LOCKOUT,
        object_type="auth.user",
        object_repr=(username or "")[:150],
    )
