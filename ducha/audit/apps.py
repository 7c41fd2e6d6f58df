from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ducha.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import receivers  # noqa: F401  (login/logout/lockout are audited)
