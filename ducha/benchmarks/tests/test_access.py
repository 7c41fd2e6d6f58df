import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ducha.orgs import access

from .factories import make_outside, make_peer


@pytest.fixture
def benchmarks(alice, tree, campaign, indicators):
    return (
        make_outside(alice, campaign, tree.hospital, indicators),
        make_peer(alice, campaign, tree.hospital2, tree.hospital, indicators),
    )


def test_a_benchmark_is_seen_where_its_unit_is(alice, bob, dora, sam, carol, benchmarks):
    mine, the_other_hospitals = benchmarks
    assert set(access.benchmarks_for_user(alice)) == {mine, the_other_hospitals}
    assert set(access.benchmarks_for_user(bob)) == {mine, the_other_hospitals}
    assert set(access.benchmarks_for_user(dora)) == {mine}
    assert set(access.benchmarks_for_user(sam)) == {mine}
    assert not access.benchmarks_for_user(carol).exists()


def test_missing_and_out_of_scope_give_the_same_404(dora, carol, benchmarks):
    mine, the_other_hospitals = benchmarks
    for user, benchmark_id in (
        (carol, mine.pk),
        (dora, the_other_hospitals.pk),
        (dora, 10**9),
        (dora, "x"),
    ):
        with pytest.raises(Http404):
            access.get_benchmark_for_user(user, benchmark_id)
    assert access.get_benchmark_for_user(dora, mine.pk) == mine


def test_writing_needs_the_unit_s_coordinator_or_the_office(alice, bob, dora, sam, benchmarks):
    mine, the_other_hospitals = benchmarks
    assert access.get_benchmark_for_user(dora, mine.pk, write=True) == mine
    assert access.get_benchmark_for_user(alice, the_other_hospitals.pk, write=True)
    for user in (bob, sam):
        with pytest.raises(PermissionDenied):
            access.get_benchmark_for_user(user, mine.pk, write=True)


def test_a_peer_s_ducha_values_need_sight_of_the_peer(alice, dora, tree):
    assert access.may_see_benchmark_unit_values(alice, tree.hospital2)
    assert access.may_see_benchmark_unit_values(dora, tree.hospital)
    assert not access.may_see_benchmark_unit_values(dora, tree.hospital2)
    assert not access.may_see_benchmark_unit_values(dora, None)


def test_the_office_of_a_bureau_above_may_benchmark_its_units_in_a_city_campaign(tree, alice):
    from ducha.campaigns.tests.factories import make_city_campaign, make_city_office

    campaign = make_city_campaign(make_city_office(tree), tree)
    assert not access.may_manage_campaign(alice, campaign)
    assert access.may_benchmark(alice, campaign, tree.hospital)
    assert access.may_benchmark(alice, campaign, tree.county)
    assert not access.may_benchmark(alice, campaign, tree.other_hospital)
