import pytest

from .factories import make_city_campaign, make_city_office, make_county_campaign


@pytest.fixture
def cathy(tree):
    return make_city_office(tree)


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def city_campaign(cathy, tree):
    return make_city_campaign(cathy, tree)
