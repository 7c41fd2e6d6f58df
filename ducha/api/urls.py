from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI

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


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, {"detail": _("You may not do this here.")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


from .routers import orgs  # noqa: E402

api.add_router("/orgs/", orgs.router)
