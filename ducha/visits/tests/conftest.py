import pytest

from .factories import TODAY, frozen_today, make_campaign, make_enterprise, make_staff, pair


@pytest.fixture
def today():
    """Mid-campaign, China Standard Time."""
    with frozen_today():
        yield TODAY


@pytest.fixture
def campaign(tree):
    return make_campaign(tree)


@pytest.fixture
def people(tree, sam, dora):
    """The hospital's visit group candidates: Sam, Dora and five more staff."""
    return [sam.person, dora.person, *make_staff(tree)]


@pytest.fixture
def enterprise(tree):
    return make_enterprise(tree)


@pytest.fixture
def paired_enterprise(campaign, tree, enterprise):
    """The hospital is paired with the other hospital's enterprise for the campaign."""
    pair(campaign, tree.hospital, enterprise)
    return enterprise
