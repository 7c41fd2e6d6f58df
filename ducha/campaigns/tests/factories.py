import datetime

import factory

from ducha.campaigns import services
from ducha.campaigns.models import Campaign, Participant, Phase
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import OrgUnitFactory, make_member


class CampaignFactory(factory.django.DjangoModelFactory):
    """A bare campaign row; tests that care about participants use the services."""

    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"作风整顿活动{n}")
    unit = factory.SubFactory(OrgUnitFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(OrgUnitFactory)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"阶段{n}")
    order = factory.Sequence(lambda n: n + 1)
    starts_on = datetime.date(2024, 3, 1)
    ends_on = datetime.date(2024, 3, 31)


# --- builders the campaign, page and API tests share -----------------------------------------


def make_city_office(tree):
    """Cathy, campaign office of the city bureau: issues the campaigns the counties adopt."""
    return make_member("cathy", tree.city, Role.CAMPAIGN_OFFICE, name="凯茜").user


def make_county_campaign(alice, tree, **fields):
    """A draft campaign of Alice's county bureau, reaching its two hospitals."""
    values = {
        "title": "东湖区作风整顿活动",
        "doc_number": "东卫发〔2024〕12号",
        "starts_on": datetime.date(2024, 3, 1),
        "ends_on": datetime.date(2024, 6, 30),
        **fields,
    }
    return services.campaign_create(actor=alice, unit=tree.county, **values)


def make_city_campaign(cathy, tree):
    """An active city campaign with two phases, reaching both counties and their hospitals."""
    campaign = services.campaign_create(
        actor=cathy,
        unit=tree.city,
        title="黄州市效能建设活动",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 6, 30),
    )
    services.phase_add(
        actor=cathy,
        campaign=campaign,
        name="动员部署",
        starts_on=datetime.date(2024, 3, 1),
        ends_on=datetime.date(2024, 3, 31),
        start_text="3月初",
        end_text="3月底",
    )
    services.phase_add(
        actor=cathy,
        campaign=campaign,
        name="查摆问题",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2024, 5, 20),
        end_text="5月中旬",
    )
    return services.campaign_activate(actor=cathy, campaign=campaign)
