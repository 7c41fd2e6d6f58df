"""Places staff visit: /api/orgs/places. Households' personal data (name, contact, ID number,
phone) is masked unless the caller may see it at the place's unit (DOMAIN §16)."""

from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.orgs import access, selectors, services
from ducha.orgs.models import Place

router = Router(tags=["places"])


def _shown(place: Place, context) -> dict[str, str]:
    """The personal fields as the caller may see them; one masker per request, no queries."""
    request = context["request"]
    masker = getattr(request, "_ducha_place_masker", None)
    if masker is None:
        masker = request._ducha_place_masker = access.PlaceMasker(request.user)
    return masker.values(place)


class PlaceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    unit_id: int
    unit_name: str
    parent_id: int | None
    address: str
    household_kind: str
    contact_name: str
    id_number: str
    phone: str
    responsible_doctor_id: int | None
    responsible_doctor_name: str | None
    notes: str
    personal_data_masked: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_responsible_doctor_name(obj) -> str | None:
        return obj.responsible_doctor.name if obj.responsible_doctor_id else None

    @staticmethod
    def resolve_name(obj, context) -> str:
        return _shown(obj, context)["name"]

    @staticmethod
    def resolve_contact_name(obj, context) -> str:
        return _shown(obj, context)["contact_name"]

    @staticmethod
    def resolve_id_number(obj, context) -> str:
        return _shown(obj, context)["id_number"]

    @staticmethod
    def resolve_phone(obj, context) -> str:
        return _shown(obj, context)["phone"]

    @staticmethod
    def resolve_personal_data_masked(obj, context) -> bool:
        request = context["request"]
        _shown(obj, context)
        return obj.is_household and not request._ducha_place_masker.visible(obj)


class PlaceFilters(Schema):
    q: str = ""
    kind: Place.Kind | None = None
    unit: int | None = None
    household_kind: Place.HouseholdKind | None = None


@router.get("", response=list[PlaceOut])
@paginate(PageNumberPagination)
def place_list(request, filters: Query[PlaceFilters]):
    """Places in the caller's scope. `q` matches households by code and address only."""
    unit = access.get_unit_for_user(request.user, filters.unit) if filters.unit else None
    return selectors.places_search(
        request.user,
        q=filters.q.strip(),
        kind=filters.kind or "",
        unit=unit,
        household_kind=filters.household_kind or "",
    )


@router.get("/{int:place_id}", response=PlaceOut)
def place_get(request, place_id: int):
    return access.get_place_for_user(request.user, place_id)


class PlaceCreateIn(Schema):
    unit_id: int
    code: str
    name: str
    kind: Place.Kind
    parent_id: int | None = None
    address: str = ""
    household_kind: Place.HouseholdKind | None = None
    contact_name: str = ""
    id_number: str = ""
    phone: str = ""
    responsible_doctor_id: int | None = None
    notes: str = ""


def _refs(user, payload: dict) -> dict:
    """The unit, parent place and responsible doctor named in a payload, each through access.py."""
    refs = {}
    if "unit_id" in payload:
        refs["unit"] = resolve_ref(
            access.get_unit_for_user, user, payload.pop("unit_id"), field="unit_id"
        )
    if "parent_id" in payload:
        refs["parent"] = resolve_ref(
            access.get_place_for_user, user, payload.pop("parent_id"), field="parent_id"
        )
    if "responsible_doctor_id" in payload:
        refs["responsible_doctor"] = resolve_ref(
            access.get_person_for_user,
            user,
            payload.pop("responsible_doctor_id"),
            field="responsible_doctor_id",
        )
    if "household_kind" in payload:
        payload["household_kind"] = payload["household_kind"] or ""
    return refs


@router.post("", response={201: PlaceOut})
def place_create(request, payload: PlaceCreateIn):
    fields = payload.model_dump()
    refs = _refs(request.user, fields)
    place = services.place_create(actor=request.user, **refs, **fields)
    return access.get_place_for_user(request.user, place.pk)


class PlaceUpdateIn(Schema):
    unit_id: int
    code: str
    name: str
    kind: Place.Kind
    # Optional fields need a default, or PatchDict keeps them required.
    parent_id: int | None = None
    address: str
    household_kind: Place.HouseholdKind | None = None
    contact_name: str
    id_number: str
    phone: str
    responsible_doctor_id: int | None = None
    notes: str


@router.patch("/{int:place_id}", response=PlaceOut)
def place_update(request, place_id: int, payload: PatchDict[PlaceUpdateIn]):
    place = access.get_place_for_user(request.user, place_id)
    refs = _refs(request.user, payload)
    place = services.place_update(actor=request.user, place=place, **refs, **payload)
    return access.get_place_for_user(request.user, place.pk)


@router.delete("/{int:place_id}", response={204: None})
def place_delete(request, place_id: int):
    place = access.get_place_for_user(request.user, place_id)
    services.place_delete(actor=request.user, place=place)
