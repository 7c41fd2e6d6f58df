"""Defences of the public answer form, which anyone may post without an account.

- A client is a random id kept in a signed cookie; only its keyed hash is stored, so "one
  answer per client, unit and period" is checked without knowing who the client is.
- The form carries a TimestampSigner token bound to the survey, unit and client: a form older
  than FORM_MAX_AGE, or posted faster than a person can read it, is refused.
- Rate limits in django.core.cache, per client, per network address and per unit, stop a
  flood even from a client that drops its cookie.
- Free text loses its tags and is capped in length.

The address is hashed too: a hospital's Wi-Fi shares one address among many patients, so it
limits the pace of answers, never their number.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner, b62_decode
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.html import strip_tags

CLIENT_COOKIE = "ducha_sc"
CLIENT_COOKIE_SALT = "ducha.surveys.client"
CLIENT_COOKIE_MAX_AGE = 400 * 24 * 3600
_TOKEN_SALT = "ducha.surveys.form"
_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

TEXT_MAX = 1000


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def _setting(name: str, default):
    return getattr(settings, name, default)


def form_max_age() -> int:
    return _setting("SURVEY_FORM_MAX_AGE", 2 * 3600)


def form_min_seconds() -> int:
    # Nobody reads and answers a form in under two seconds; scripts do.
    return _setting("SURVEY_FORM_MIN_SECONDS", 2)


def limits() -> dict[str, Limit]:
    """Attempts allowed per window: per client, per network address, per unit."""
    return {
        "client": Limit(*_setting("SURVEY_RATE_CLIENT", (5, 600))),
        "ip": Limit(*_setting("SURVEY_RATE_IP", (30, 600))),
        "unit": Limit(*_setting("SURVEY_RATE_UNIT", (300, 600))),
    }


class RateLimited(Exception):
    """Too many answers from this client, address or for this unit; try again later."""


# --- clients ---------------------------------------------------------------------------------


def new_client_id() -> str:
    return secrets.token_urlsafe(18)


def valid_client_id(value: str | None) -> bool:
    return bool(value and _CLIENT_ID.match(value))


def client_hash(client_id: str) -> str:
    return salted_hmac("ducha.surveys.client-hash", client_id, algorithm="sha256").hexdigest()


def ip_hash(ip: str) -> str:
    return salted_hmac("ducha.surveys.ip-hash", ip or "-", algorithm="sha256").hexdigest()


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind the proxy (BEHIND_PROXY) the address it saw the client at."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


# --- form token ------------------------------------------------------------------------------


def _token_value(survey_id: int, unit_id: int, client_id: str) -> str:
    digest = hashlib.sha256(client_id.encode()).hexdigest()[:16]
    return f"{survey_id}.{unit_id}.{digest}"


def make_form_token(*, survey_id: int, unit_id: int, client_id: str) -> str:
    return TimestampSigner(salt=_TOKEN_SALT).sign(_token_value(survey_id, unit_id, client_id))


def form_token_ok(token: str, *, survey_id: int, unit_id: int, client_id: str) -> bool:
    """The token was made for this survey, unit and client, not too long ago and not too
    recently (a script posting the instant it loads)."""
    try:
        value = TimestampSigner(salt=_TOKEN_SALT).unsign(token or "", max_age=form_max_age())
        made_at = b62_decode(token.rsplit(":", 2)[1])
    except (BadSignature, SignatureExpired, ValueError, IndexError):
        return False
    if value != _token_value(survey_id, unit_id, client_id):
        return False
    return timezone.now().timestamp() - made_at >= form_min_seconds()


# --- rate limits -----------------------------------------------------------------------------


def rate_limit(*, unit_id: int, client: str, ip: str) -> None:
    """Count one attempt against each limit; raise RateLimited once any is exceeded."""
    exceeded = False
    for scope, key in (("client", client), ("ip", ip), ("unit", str(unit_id))):
        limit = limits()[scope]
        window = int(timezone.now().timestamp()) // limit.seconds
        cache_key = f"surveys:rate:{scope}:{key}:{window}"
        cache.add(cache_key, 0, timeout=limit.seconds + 5)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # evicted between add and incr
            cache.set(cache_key, 1, timeout=limit.seconds + 5)
            count = 1
        exceeded = exceeded or count > limit.count
    if exceeded:
        raise RateLimited


# --- text ------------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Plain text: tags and control characters removed, spaces trimmed. Length is checked by
    the caller against TEXT_MAX, so nothing typed is cut silently."""
    text = strip_tags(value or "")
    text = _CONTROL.sub("", text)
    return text.strip()
