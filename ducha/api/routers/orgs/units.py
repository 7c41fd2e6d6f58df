"""Org units: /api/orgs/units."""

from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.orgs import access, selectors, services
from ducha.orgs.models import OrgUnit

router = Router(tags=["org units"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    path: str
    depth: int
    sort_order: int
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class UnitFilters(Schema):
    q: str = ""
    kind: OrgUnit.Kind | None = None
    under: int | None = None


@router.get("", response=list[UnitOut])
@paginate(PageNumberPagination)
def unit_list(request, filters: Query[UnitFilters]):
    """Units in the caller's scope, optionally searched, of one kind, or under one unit."""
    under = access.get_unit_for_user(request.user, filters.under) if filters.under else None
    return selectors.units_search(
        request.user, q=filters.q.strip(), kind=filters.kind or "", under=under
    )


@router.get("/{int:unit_id}", response=UnitOut)
def unit_get(request, unit_id: int):
    return access.get_unit_for_user(request.user, unit_id)


class UnitChildOut(UnitOut):
    child_count: int
    people_count: int


@router.get("/{int:unit_id}/children", response=list[UnitChildOut])
def unit_children(request, unit_id: int):
    parent = access.get_unit_for_user(request.user, unit_id)
    return list(selectors.unit_children(request.user, parent))


class UnitCreateIn(Schema):
    parent_id: int
    code: str
    name: str
    short_name: str = ""
    kind: OrgUnit.Kind
    sort_order: int = 0
    is_active: bool = True


@router.post("", response={201: UnitOut})
def unit_create(request, payload: UnitCreateIn):
    fields = payload.model_dump(exclude={"parent_id"})
    parent = resolve_ref(
        access.get_unit_for_user, request.user, payload.parent_id, field="parent_id"
    )
    return services.unit_create(actor=request.user, parent=parent, **fields)


class UnitUpdateIn(Schema):
    code: str
    name: str
    short_name: str
    kind: OrgUnit.Kind
    sort_order: int
    is_active: bool


@router.patch("/{int:unit_id}", response=UnitOut)
def unit_update(request, unit_id: int, payload: PatchDict[UnitUpdateIn]):
    unit = access.get_unit_for_user(request.user, unit_id)
    return services.unit_update(actor=request.user, unit=unit, **payload)


class UnitMoveIn(Schema):
    parent_id: int


@router.post("/{int:unit_id}/move", response=UnitOut)
def unit_move(request, unit_id: int, payload: UnitMoveIn):
    """Put the unit and its whole subtree under another parent."""
    unit = access.get_unit_for_user(request.user, unit_id)
    new_parent = resolve_ref(
        access.get_unit_for_user, request.user, payload.parent_id, field="parent_id"
    )
    return services.unit_move(actor=request.user, unit=unit, new_parent=new_parent)


@router.delete("/{int:unit_id}", response={204: None})
def unit_delete(request, unit_id: int):
    unit = access.get_unit_for_user(request.user, unit_id)
    services.unit_delete(actor=request.user, unit=unit)
