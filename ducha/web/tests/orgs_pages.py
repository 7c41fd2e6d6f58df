"""Helpers for the tests of the org, people and place pages."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.audit.models import AuditEntry


def queries_for(client, url: str) -> int:
    """How many queries one GET of `url` costs (it must succeed)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def audit_count(action: str, model, pk) -> int:
    """Audit entries of `action` on the record `pk` of `model`."""
    return AuditEntry.objects.filter(
        action=action, object_type=model._meta.label_lower, object_id=str(pk)
    ).count()
