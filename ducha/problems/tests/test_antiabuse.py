"""Form tokens and rate limits of the public forms."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from freezegun import freeze_time

from ducha.problems import antiabuse


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_form_token_is_accepted_once_for_its_own_form():
    token = antiabuse.form_token("opinion", 7)
    with pytest.raises(antiabuse.Refused):
        antiabuse.form_token_use(token, "opinion", 8)
    with pytest.raises(antiabuse.Refused):
        antiabuse.form_token_use(token, "rating", 7)
    with pytest.raises(antiabuse.Refused):
        antiabuse.form_token_use(token + "x", "opinion", 7)
    antiabuse.form_token_use(token, "opinion", 7)
    with pytest.raises(antiabuse.Refused) as refused:
        antiabuse.form_token_use(token, "opinion", 7)
    assert refused.value.status == 400


def test_a_form_token_expires():
    with freeze_time("2026-06-01 08:00:00"):
        token = antiabuse.form_token("opinion", 7)
    with freeze_time("2026-06-01 10:01:00"), pytest.raises(antiabuse.Refused):
        antiabuse.form_token_use(token, "opinion", 7)


def test_the_rate_limit_counts_per_window():
    limits = ((3, 60),)
    with freeze_time("2026-06-01 08:00:01"):
        for _ in range(3):
            antiabuse.rate_limit("t", "k", limits)
        with pytest.raises(antiabuse.Refused) as refused:
            antiabuse.rate_limit("t", "k", limits)
        assert refused.value.status == 429
        antiabuse.rate_limit("t", "other", limits)
    with freeze_time("2026-06-01 08:01:01"):
        antiabuse.rate_limit("t", "k", limits)


def test_clients_are_known_by_a_hash_of_their_address(settings):
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1")
    two = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="2.2.2.2")
    # Not behind a proxy: the header is the client's to invent and is ignored.
    assert antiabuse.client_key(one) == antiabuse.client_key(two)
    assert "10.0.0.1" not in antiabuse.client_key(one)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert antiabuse.client_key(one) != antiabuse.client_key(two)
