import pytest

from . import factories

campaign, requirement, media = factories.campaign, factories.requirement, factories.media


@pytest.fixture(autouse=True)
def _media_root(media):
    """Files stored by the services go to a fresh folder per test."""
