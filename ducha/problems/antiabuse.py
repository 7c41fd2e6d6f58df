"""Anti-abuse for the public forms (opinion box, ratings). The system runs without internet,
so no third-party captcha: a short-lived signed form token used once, rate limits per client
and per unit kept in Django's cache, size caps, and HTML stripped from what is kept.

Clients are known only by a keyed hash of their address: enough to count, and no address
is stored. Behind a reverse proxy (BEHIND_PROXY) the address is the one the proxy appended.
"""

from __future__ import annotations

import html
import re
import time
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

FORM_TOKEN_SALT = "ducha.problems.public-form"
# A form left open longer than this is reloaded; also how long a used token is remembered.
FORM_TOKEN_MAX_AGE = 2 * 60 * 60
# A public form's whole request body; a longer one is refused before it is read.
MAX_BODY_BYTES = 32 * 1024
OPINION_MAX_CHARS = 2000
CONTACT_MAX_CHARS = 100
COMMENT_MAX_CHARS = 500

# (at most this many, per this many seconds)
OPINIONS_PER_CLIENT = ((3, 60), (20, 24 * 3600))
OPINIONS_PER_UNIT = ((20, 60), (300, 24 * 3600))
RATINGS_PER_CLIENT = ((5, 60), (30, 24 * 3600))


class Refused(Exception):
    """A public post turned away; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# --- the client ----------------------------------------------------------------------------


def client_address(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw; earlier entries are the client's to invent.
            address = forwarded.split(",")[-1].strip()
    return address


def client_key(request) -> str:
    """A keyed hash of the client's address (32 hex characters)."""
    return salted_hmac(FORM_TOKEN_SALT, client_address(request)).hexdigest()[:32]


# --- form tokens ---------------------------------------------------------------------------


def form_token(purpose: str, target_id: int) -> str:
    """A token for one form about one record, valid FORM_TOKEN_MAX_AGE seconds, used once."""
    signer = signing.TimestampSigner(salt=FORM_TOKEN_SALT)
    return signer.sign(f"{purpose}:{target_id}:{uuid.uuid4().hex}")


def form_token_use(token: str, purpose: str, target_id: int) -> None:
    """Accept the token once, or raise Refused."""
    signer = signing.TimestampSigner(salt=FORM_TOKEN_SALT)
    try:
        value = signer.unsign(token or "", max_age=FORM_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused(_("The form has expired; it was reloaded, send it again.")) from None
    except signing.BadSignature:
        raise Refused(_("The form was not recognised; it was reloaded, send it again.")) from None
    got_purpose, got_id, nonce = (value.split(":") + ["", "", ""])[:3]
    if got_purpose != purpose or got_id != str(target_id) or not nonce:
        raise Refused(_("The form was not recognised; it was reloaded, send it again."))
    if not cache.add(f"ducha:form-used:{nonce}", 1, FORM_TOKEN_MAX_AGE + 60):
        raise Refused(_("This form was sent already."))


# --- rate limits ---------------------------------------------------------------------------


def rate_limit(scope: str, key: str, limits) -> None:
    """Count one more request of `scope` by `key` in fixed windows; raise Refused (429) when
    any window is over its limit."""
    now = int(time.time())
    over = False
    for count, seconds in limits:
        window = now // seconds
        name = f"ducha:rate:{scope}:{key}:{seconds}:{window}"
        cache.add(name, 0, seconds + 5)
        try:
            used = cache.incr(name)
        except ValueError:  # evicted between add and incr
            cache.set(name, 1, seconds + 5)
            used = 1
        over = over or used > count
    if over:
        raise Refused(_("Too many submissions; please try again later."), status=429)


def check_body_size(request) -> None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise Refused(_("The submission is too large."), status=413)


# --- text ----------------------------------------------------------------------------------

_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: str, *, max_length: int) -> str:
    """Plain text from what the public typed: script and style blocks dropped, tags
    stripped (also ones hidden as entities), control characters removed, at most
    `max_length` characters (longer raises ValueError)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _SCRIPT.sub("", text)
    text = strip_tags(text)
    text = html.unescape(text)
    text = strip_tags(_SCRIPT.sub("", text))
    text = _CONTROL.sub("", text)
    text = _BLANK_LINES.sub("\n\n", text).strip()
    if len(text) > max_length:
        raise ValueError(max_length)
    return text
