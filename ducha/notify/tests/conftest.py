import pytest
from freezegun import freeze_time

from ducha.notify.reminders import reminders_send
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member

from .factories import RequirementFactory, make_campaign

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def hank(tree):
    """The hospital's head (一把手), reachable by the address on his person record only."""
    return make_member(
        "hank", tree.hospital, Role.UNIT_HEAD, name="韩克", email="hank@example.org"
    ).user


@pytest.fixture
def hugo(tree):
    """The coordinator of the second hospital, which hands in on time."""
    user = make_member("hugo", tree.hospital2, Role.COORDINATOR, name="雨果").user
    user.email = "hugo@example.org"
    user.save()
    return user


@pytest.fixture
def cast(tree, dora, hank, hugo, carol):
    dora.email = "dora@example.org"
    dora.save()
    return type("Cast", (), {"dora": dora, "hank": hank, "hugo": hugo, "carol": carol})


@pytest.fixture
def campaign(tree, cast):
    return make_campaign(tree.county, [tree.hospital, tree.hospital2], title="作风整顿")


@pytest.fixture
def requirement(campaign):
    return RequirementFactory(campaign=campaign, title="总结报告")


@pytest.fixture
def run_on(settings, django_capture_on_commit_callbacks):
    """run_on("2026-06-15") → the reminder run on that day (China time) with its mail sent
    as a worker would send it right after the run commits."""
    settings.TASKS = IMMEDIATE

    def run(day: str, **kwargs):
        # 09:00 in Beijing.
        with freeze_time(f"{day} 01:00:00"), django_capture_on_commit_callbacks(execute=True):
            return reminders_send(**kwargs)

    return run
