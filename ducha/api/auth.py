"""API authentication: the browser session (with CSRF) or a personal token (Bearer)."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from ducha.orgs.models import ApiToken
from ducha.orgs.services import token_digest


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


session_auth = SessionAuth(csrf=True)
token_auth = TokenAuth()
auth = [token_auth, session_auth]
