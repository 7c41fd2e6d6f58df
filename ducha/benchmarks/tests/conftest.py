import pytest

from ducha.campaigns.tests.factories import make_county_campaign

from .factories import make_indicators, score


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def indicators(alice, campaign):
    return make_indicators(alice, campaign)


@pytest.fixture
def scored(alice, tree, indicators):
    """March 2024: 东湖区人民医院 80 / 10, 东湖区中医院 90 / 4."""
    satisfaction, complaints = indicators
    score(alice, satisfaction, tree.hospital, 80)
    score(alice, complaints, tree.hospital, 10)
    score(alice, satisfaction, tree.hospital2, 90)
    score(alice, complaints, tree.hospital2, 4)
    return indicators
