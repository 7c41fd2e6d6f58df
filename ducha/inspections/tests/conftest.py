import pytest

from ducha.campaigns.tests.factories import make_county_campaign
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member

from .factories import make_sweep


@pytest.fixture
def campaign(alice, tree):
    return make_county_campaign(alice, tree)


@pytest.fixture
def hugo(tree):
    """The coordinator of the second hospital."""
    return make_member("hugo", tree.hospital2, Role.COORDINATOR, name="雨果").user


@pytest.fixture
def sweep(alice, tree, campaign):
    return make_sweep(alice, campaign, [tree.hospital, tree.hospital2])
