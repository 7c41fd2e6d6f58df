import pytest

from . import factories

media, campaign, category = factories.media, factories.campaign, factories.category


@pytest.fixture(autouse=True)
def _media_root(media):
    """Files stored by the services go to a fresh folder per test."""
