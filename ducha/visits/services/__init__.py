"""Actions of the visits context, one module per sub-topic; import this package and call
`services.visit_log(...)`."""

from .setup import (
    assignment_problems,
    checklist_create,
    checklist_delete,
    contact_assignment_add,
    contact_assignment_delete,
    quota_create,
    quota_delete,
    quota_update,
    require_editable,
    visit_settings_update,
)
from .study import study_record_add, study_record_delete
from .visits import (
    MAX_PHOTOS,
    VisitDraft,
    allowed_place_ids,
    clean_answers,
    import_token,
    keeps_photo_location,
    may_change_visit,
    visit_delete,
    visit_log,
    visit_photo_add,
    visit_problems,
)

__all__ = [
    "MAX_PHOTOS",
    "VisitDraft",
    "allowed_place_ids",
    "assignment_problems",
    "checklist_create",
    "checklist_delete",
    "clean_answers",
    "contact_assignment_add",
    "contact_assignment_delete",
    "import_token",
    "keeps_photo_location",
    "may_change_visit",
    "quota_create",
    "quota_delete",
    "quota_update",
    "require_editable",
    "study_record_add",
    "study_record_delete",
    "visit_delete",
    "visit_log",
    "visit_photo_add",
    "visit_problems",
    "visit_settings_update",
]
