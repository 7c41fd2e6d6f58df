"""The org tree, people and places: /api/orgs/units, /api/orgs/people, /api/orgs/places."""

from ninja import Router

from . import people, places, units

router = Router()
router.add_router("/units", units.router)
router.add_router("/people", people.router)
router.add_router("/places", places.router)
