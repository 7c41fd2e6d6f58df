"""Actions on inspections, by sub-topic (STYLE §1): rounds and findings, hazard sweeps
(self-inspections and spot-checks), bulletins. Callers import this package:
`services.finding_record(...)`."""

from .bulletins import (
    MONTHLY_DRAFT_DAYS,
    bulletin_draft,
    bulletin_issue,
    bulletin_text,
    bulletin_update,
    bulletins_draft_monthly,
)
from .common import today
from .rounds import finding_record, inspection_round_create
from .sweeps import self_inspection_submit, spot_check_record

__all__ = [
    "MONTHLY_DRAFT_DAYS",
    "bulletin_draft",
    "bulletin_issue",
    "bulletin_text",
    "bulletin_update",
    "bulletins_draft_monthly",
    "finding_record",
    "inspection_round_create",
    "self_inspection_submit",
    "spot_check_record",
    "today",
]
