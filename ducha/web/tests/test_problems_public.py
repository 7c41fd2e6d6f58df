"""The public pages (/public/…): no login, no personal data, and the anti-abuse checks of the
opinion box and the rating form."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from freezegun import freeze_time

from ducha.campaigns.models import Campaign
from ducha.problems import antiabuse, services
from ducha.problems.models import Commitment, Opinion, Rating
from ducha.problems.tests.factories import (
    campaign,
    category,
    claimed,
    evidence,
    media,
    rectifying,
    report,
)

__all__ = ["campaign", "category", "media"]
pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def opinion_url(unit):
    return reverse("public-opinion-create", args=[unit.pk])


def send_opinion(client, unit, text="挂号窗口排队太久", address="127.0.0.1", **fields):
    data = {"token": antiabuse.form_token("opinion", unit.pk), "text": text, "website": ""}
    return client.post(opinion_url(unit), {**data, **fields}, REMOTE_ADDR=address)


@pytest.fixture
def closed(tree, sam, dora, alice, category):
    with freeze_time("2026-06-01"):
        problem = claimed(sam, dora, tree.hospital, category)
        services.rectification_close(actor=alice, problem=problem, files=[evidence()])
        services.problem_disclose(
            actor=dora, problem=problem, public_title="导诊台无人值守", public_text="已安排专人值守"
        )
    return problem


def test_the_units_public_page_lists_only_what_it_disclosed(
    client, tree, sam, dora, closed, category
):
    report(sam, tree.hospital, category, title="内部问题，未公开")
    page = client.get(reverse("public-unit-detail", args=[tree.hospital.pk])).content.decode()
    assert "导诊台无人值守" in page
    assert "内部问题" not in page
    # No personal data: neither the reporter nor the responsible person.
    assert "山姆" not in page and "多拉" not in page and "sam" not in page
    assert 'class="mainnav"' not in page  # its own small base, no staff navigation


def test_the_public_problem_page_shows_status_progress_and_dates(client, tree, sam, dora, category):
    with freeze_time("2026-06-01"):
        problem = rectifying(sam, dora, tree.hospital, category)
        services.rectification_progress(
            actor=dora, problem=problem, note="排班表已公布", public=True
        )
        services.rectification_progress(
            actor=dora, problem=problem, note="内部：多拉请假", public=False
        )
        services.problem_disclose(actor=dora, problem=problem, public_title="导诊台无人值守")
    page = client.get(reverse("public-problem-detail", args=[problem.pk])).content.decode()
    assert "排班表已公布" in page and "多拉请假" not in page
    assert "2026-06-30" in page
    assert 'name="score"' not in page  # open: nothing to rate yet


def test_an_undisclosed_problem_is_missing(client, tree, sam, category):
    problem = report(sam, tree.hospital, category)
    assert client.get(reverse("public-problem-detail", args=[problem.pk])).status_code == 404


def test_an_opinion_is_left_without_an_account(client, tree):
    page = client.get(opinion_url(tree.hospital)).content.decode()
    response = client.post(
        opinion_url(tree.hospital),
        {"token": token_of(page), "text": "挂号窗口排队太久", "contact": "", "website": ""},
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert (opinion.unit, opinion.text, opinion.status) == (
        tree.hospital,
        "挂号窗口排队太久",
        "new",
    )
    assert len(opinion.client) == 32 and "127.0.0.1" not in opinion.client


def test_script_and_html_in_an_opinion_are_stripped(client, tree):
    response = send_opinion(
        client,
        tree.hospital,
        text='<script>alert(1)</script><p onclick="x()">药房<b>态度差</b></p>',
    )
    assert response.status_code == 302
    assert Opinion.objects.get().text == "药房态度差"


def test_an_opinion_for_a_unit_that_does_not_exist(client, tree):
    assert client.get(reverse("public-opinion-create", args=[999999])).status_code == 404
    response = client.post(
        reverse("public-opinion-create", args=[999999]),
        {"token": antiabuse.form_token("opinion", 999999), "text": "x"},
    )
    assert response.status_code == 404
    tree.hospital2.is_active = False
    tree.hospital2.save()
    assert client.get(opinion_url(tree.hospital2)).status_code == 404
    assert not Opinion.objects.exists()


def test_100_opinions_from_one_client_in_a_minute(client, tree, english):
    with freeze_time("2026-06-01 08:00:05"):
        statuses = [
            send_opinion(client, tree.hospital, text=f"意见{n}").status_code for n in range(100)
        ]
    limit = antiabuse.OPINIONS_PER_CLIENT[0][0]
    assert statuses[:limit] == [302] * limit
    assert set(statuses[limit:]) == {429}
    assert Opinion.objects.count() == limit
    # Another client is not held back by the first.
    with freeze_time("2026-06-01 08:00:30"):
        assert send_opinion(client, tree.hospital, address="10.1.2.3").status_code == 302


def test_a_unit_takes_a_limited_number_per_minute_from_all_clients(client, tree):
    limit = antiabuse.OPINIONS_PER_UNIT[0][0]
    with freeze_time("2026-06-01 08:00:05"):
        statuses = [
            send_opinion(client, tree.hospital, address=f"10.0.0.{n}").status_code
            for n in range(limit + 5)
        ]
    assert statuses.count(302) == limit and statuses.count(429) == 5


def test_a_used_or_forged_token_is_refused(client, tree, english):
    token = antiabuse.form_token("opinion", tree.hospital.pk)
    data = {"token": token, "text": "第一次", "website": ""}
    assert client.post(opinion_url(tree.hospital), data).status_code == 302
    response = client.post(opinion_url(tree.hospital), {**data, "text": "重放"})
    assert response.status_code == 400 and "sent already" in response.content.decode()
    other = antiabuse.form_token("opinion", tree.hospital2.pk)
    assert client.post(opinion_url(tree.hospital), {**data, "token": other}).status_code == 400
    assert Opinion.objects.count() == 1


def test_bots_filling_the_hidden_field_and_huge_bodies_are_refused(client, tree):
    assert send_opinion(client, tree.hospital, website="http://spam").status_code == 400
    big = client.post(
        opinion_url(tree.hospital),
        {"token": antiabuse.form_token("opinion", tree.hospital.pk), "text": "长" * 20000},
    )
    assert big.status_code == 413
    too_long = send_opinion(client, tree.hospital, text="长" * 2001)
    assert too_long.status_code == 400
    assert not Opinion.objects.exists()


def test_a_public_rating_of_an_open_problem_is_refused(client, tree, sam, dora, category, english):
    with freeze_time("2026-06-01"):
        problem = rectifying(sam, dora, tree.hospital, category)
        services.problem_disclose(actor=dora, problem=problem, public_title="导诊台无人值守")
    response = client.post(
        reverse("public-problem-rate", args=[problem.pk]),
        {"token": antiabuse.form_token("rating", problem.pk), "score": 4},
    )
    assert response.status_code == 400
    assert "Only a closed rectification" in response.content.decode()
    assert not Rating.objects.exists()


def test_the_public_rates_a_closed_rectification_once(client, closed):
    url = reverse("public-problem-detail", args=[closed.pk])
    page = client.get(url).content.decode()
    response = client.post(
        reverse("public-problem-rate", args=[closed.pk]),
        {"token": token_of(page), "score": "4", "comment": "<i>好多了</i>", "website": ""},
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (4, "好多了")
    page = client.get(url).content.decode()
    assert "4.0 / 5 (1)" in page and "好多了" in page
    again = client.post(
        reverse("public-problem-rate", args=[closed.pk]),
        {"token": token_of(page), "score": "1", "website": ""},
    )
    assert again.status_code == 400
    assert Rating.objects.count() == 1


def test_the_printable_opinion_box_has_the_link_and_a_qr_code(client, tree):
    page = client.get(reverse("public-opinion-print", args=[tree.hospital.pk])).content.decode()
    assert f"/public/units/{tree.hospital.pk}/opinions/" in page
    assert "<svg" in page
    png = client.get(reverse("public-opinion-qr", args=[tree.hospital.pk]))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")


def test_a_campaigns_public_commitments(client, tree, dora, campaign):
    with freeze_time("2026-06-01"):
        services.commitment_create(
            actor=dora,
            kind=Commitment.Kind.SERVICE,
            unit=tree.hospital,
            campaign=campaign,
            text="门诊候诊不超过30分钟",
        )
        services.commitment_create(
            actor=dora,
            kind=Commitment.Kind.SERVICE,
            unit=tree.hospital,
            campaign=campaign,
            text="内部承诺",
            is_public=False,
        )
    page = client.get(reverse("public-commitment-list", args=[campaign.pk])).content.decode()
    assert "门诊候诊不超过30分钟" in page and "内部承诺" not in page
    draft = Campaign.objects.create(title="草稿", unit=tree.county)
    assert client.get(reverse("public-commitment-list", args=[draft.pk])).status_code == 404
