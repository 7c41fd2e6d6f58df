"""People with their posts; role assignments are shown but changed only by account managers
in the web UI: /api/orgs/people."""

from django.db import transaction
from django.db.models import Prefetch
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.patch_dict import PatchDict

from ducha.api.refs import resolve_ref
from ducha.orgs import access, selectors, services
from ducha.orgs.models import Person, Role, RoleAssignment

router = Router(tags=["people"])

ROLES_WITH_UNIT = Prefetch("roles", queryset=RoleAssignment.objects.select_related("unit"))


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    unit_id: int
    unit_name: str

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name


class PersonOut(Schema):
    id: int
    code: str
    name: str
    gender: str
    unit_id: int
    unit_name: str
    phone: str
    email: str
    is_party_member: bool
    username: str | None
    account_active: bool | None
    posts: list[str]
    roles: list[RoleOut]

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_username(obj) -> str | None:
        return obj.user.username if obj.user_id else None

    @staticmethod
    def resolve_account_active(obj) -> bool | None:
        return obj.user.is_active if obj.user_id else None

    @staticmethod
    def resolve_posts(obj) -> list[str]:
        return [post.title for post in obj.posts.all()]

    @staticmethod
    def resolve_roles(obj) -> list[RoleAssignment]:
        return list(obj.roles.all())


class PersonFilters(Schema):
    q: str = ""
    unit: int | None = None
    party: str = ""
    role: Role | None = None


@router.get("", response=list[PersonOut])
@paginate(PageNumberPagination)
def person_list(request, filters: Query[PersonFilters]):
    unit = access.get_unit_for_user(request.user, filters.unit) if filters.unit else None
    return selectors.people_search(
        request.user,
        q=filters.q.strip(),
        unit=unit,
        party=filters.party,
        role=filters.role or "",
    ).prefetch_related(ROLES_WITH_UNIT)


@router.get("/{int:person_id}", response=PersonOut)
def person_get(request, person_id: int):
    return access.get_person_for_user(request.user, person_id)


class PersonCreateIn(Schema):
    unit_id: int
    code: str
    name: str
    gender: Person.Gender | None = None
    phone: str = ""
    email: str = ""
    is_party_member: bool = False
    posts: list[str] = []


@router.post("", response={201: PersonOut})
def person_create(request, payload: PersonCreateIn):
    unit = resolve_ref(access.get_unit_for_user, request.user, payload.unit_id, field="unit_id")
    fields = payload.model_dump(exclude={"unit_id", "posts"})
    fields["gender"] = fields["gender"] or ""
    person = services.person_create(
        actor=request.user,
        unit=unit,
        posts=[t.strip() for t in payload.posts if t.strip()],
        **fields,
    )
    return access.get_person_for_user(request.user, person.pk)


class PersonUpdateIn(Schema):
    unit_id: int
    code: str
    name: str
    gender: Person.Gender | None = None  # PatchDict leaves optional fields required otherwise
    phone: str
    email: str
    is_party_member: bool
    posts: list[str]


@router.patch("/{int:person_id}", response=PersonOut)
def person_update(request, person_id: int, payload: PatchDict[PersonUpdateIn]):
    """Change a person's fields; `posts`, if given, replaces the posts held at their unit."""
    person = access.get_person_for_user(request.user, person_id)
    unit = resolve_ref(
        access.get_unit_for_user, request.user, payload.pop("unit_id", None), field="unit_id"
    )
    posts = payload.pop("posts", None)
    if "gender" in payload:
        payload["gender"] = payload["gender"] or ""
    with transaction.atomic():
        if payload or unit is not None:
            person = services.person_update(actor=request.user, person=person, unit=unit, **payload)
        if posts is not None:
            services.post_set(actor=request.user, person=person, unit=person.unit, titles=posts)
    return access.get_person_for_user(request.user, person.pk)


@router.delete("/{int:person_id}", response={204: None})
def person_delete(request, person_id: int):
    person = access.get_person_for_user(request.user, person_id)
    services.person_delete(actor=request.user, person=person)
