from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError

from .auth import auth

api = NinjaAPI(
    title="Ducha API",
    version="1",
    description="JSON API of Ducha (督查). Every call is scoped to the caller's org subtree.",
    auth=auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    if hasattr(exc, "message_dict"):
        detail = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        detail = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(SchemaValidationError)
def _schema_error(request, exc: SchemaValidationError):
    """Malformed input gets the same {"detail": {field: [messages]}} shape as a refused write."""
    detail: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = list(error.get("loc", ()))
        if loc and loc[0] in ("body", "query", "path", "form", "header", "cookie"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        field = ".".join(str(part) for part in loc) or "__all__"
        detail.setdefault(field, []).append(error.get("msg", ""))
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": _("You may not do this here.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


from .routers import me, orgs  # noqa: E402

api.add_router("/orgs/", orgs.router)
api.add_router("/me", me.router)

from .routers import campaigns, notify, submissions  # noqa: E402

api.add_router("/campaigns/", campaigns.router)
api.add_router("/submissions/", submissions.router)
api.add_router("/notifications/", notify.router)

from .routers import dashboard  # noqa: E402

api.add_router("/dashboard/", dashboard.router)

from .routers import problems  # noqa: E402

api.add_router("/problems/", problems.router)

from .routers import visits  # noqa: E402

api.add_router("/visits/", visits.router)

from .routers import surveys  # noqa: E402

api.add_router("/surveys/", surveys.router)

from .routers import inspections  # noqa: E402

api.add_router("/inspections/", inspections.router)

from .routers import assessment  # noqa: E402

api.add_router("/assessment/", assessment.router)

from .routers import benchmarks  # noqa: E402

api.add_router("/benchmarks/", benchmarks.router)
