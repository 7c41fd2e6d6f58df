"""The caller: /api/me."""

from ninja import Router, Schema

from ducha.orgs import selectors

router = Router(tags=["me"])


class MeUnitOut(Schema):
    id: int
    name: str


class MePersonOut(Schema):
    id: int
    code: str
    name: str
    unit: MeUnitOut


class MeRoleOut(Schema):
    role: str
    role_label: str
    unit: MeUnitOut

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class MeOut(Schema):
    username: str
    person: MePersonOut | None
    roles: list[MeRoleOut]


@router.get("", response=MeOut)
def me(request):
    user = request.user
    person = getattr(user, "person", None)
    return {
        "username": user.get_username(),
        "person": person,
        "roles": list(selectors.grants_for_user(user).order_by("unit__path", "role")),
    }
