"""Surveys and reviews, their results, honours with nominations, and typical cases:
/api/surveys/.

The same access rules and services as the pages. Staff answers are read only in aggregate and
only from groups of five or more; the public answers through its own pages, not the API.
"""

from ninja import Router

from . import recognition, results, surveys

router = Router()
router.add_router("", recognition.router)
router.add_router("", results.router)
router.add_router("", surveys.router)
