"""Actions on problems, by sub-topic (STYLE §1): routing, rectification, commitments, the
public side, and the periodic reminders. Callers import this package:
`services.problem_escalate(...)`."""

from .commitments import commitment_create, commitment_verify
from .public import opinion_answer, opinion_submit, opinion_to_problem, rating_submit
from .rectification import (
    extension_decide,
    extension_request,
    milestone_done,
    rectification_claim,
    rectification_close,
    rectification_progress,
    rectification_send_back,
    rectification_set,
)
from .reminders import rectification_reminders_send
from .routing import (
    category_create,
    problem_assign,
    problem_attach,
    problem_disclose,
    problem_escalate,
    problem_invalidate,
    problem_report,
    problem_solve_on_spot,
    problem_withdraw,
)

__all__ = [
    "category_create",
    "commitment_create",
    "commitment_verify",
    "extension_decide",
    "extension_request",
    "milestone_done",
    "opinion_answer",
    "opinion_submit",
    "opinion_to_problem",
    "problem_assign",
    "problem_attach",
    "problem_disclose",
    "problem_escalate",
    "problem_invalidate",
    "problem_report",
    "problem_solve_on_spot",
    "problem_withdraw",
    "rating_submit",
    "rectification_claim",
    "rectification_close",
    "rectification_progress",
    "rectification_reminders_send",
    "rectification_send_back",
    "rectification_set",
]
