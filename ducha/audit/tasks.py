"""Background checks of the audit log."""

import logging

from django_tasks import task

from .services import audit_verify

logger = logging.getLogger(__name__)


@task()
def audit_verify_task() -> dict:
    """Walk the hash chain; the result (and a log line on failure) tells whether it is intact."""
    result = audit_verify()
    if not result.ok:
        logger.error("audit log chain broken: %s", "; ".join(result.problems))
    return {"checked": result.checked, "problems": result.problems}
