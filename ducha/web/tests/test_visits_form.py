"""The phone-first visit form: /visits/new/?campaign=<id>."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.visits.models import Visit
from ducha.visits.tests.factories import (
    PDF_BYTES,
    TODAY,
    builtin,
    frozen_today,
    jpeg_bytes,
    make_campaign,
    make_staff,
)

from .orgs_pages import queries_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def today():
    with frozen_today():
        yield TODAY


@pytest.fixture
def campaign(tree):
    return make_campaign(tree)


@pytest.fixture
def people(tree, sam, dora):
    return [sam.person, dora.person, *make_staff(tree)]


def _url(campaign, **params):
    query = "&".join(f"{k}={v}" for k, v in {"campaign": campaign.pk, **params}.items())
    return f"{reverse('visits-visit-create')}?{query}"


def _token(response) -> str:
    return re.search(r'name="client_token" value="([0-9a-f]+)"', response.content.decode())[1]


def _post(client, campaign, data, files=None):
    return client.post(_url(campaign), {**data, **(files or {})})


def _data(response, sam, village, **changes):
    template = builtin("sanfang-sanwen-sancha")
    return {
        "date": "2024-05-10",
        "visitors": [sam.person.pk],
        "places": [village.pk],
        "checklist": template.pk,
        f"item-{template.pk}-visit_poor": "on",
        f"item-{template.pk}-ask_ideas": "发展蜜橘产业",
        "notes": "入户走访",
        "problems_found": "",
        "discipline_affirmed": "on",
        "client_token": _token(response),
        **changes,
    }


def test_the_form_is_built_for_a_phone(client, today, tree, campaign, sam, village, household):
    client.force_login(sam)
    response = client.get(_url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    # A draft kept on the device, a one-time token, the camera, the rules to affirm.
    assert f'data-draft="visit-{campaign.pk}-{tree.hospital.pk}"' in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'class="sticky-submit"' in html
    assert "不准接受宴请" in html
    # Sam is preselected in his group; the village and its household are offered.
    assert re.search(rf'value="{sam.person.pk}"[^>]*checked', html)
    assert f'value="{village.pk}"' in html and f'value="{household.pk}"' in html
    # Every checklist of the campaign is on the page, one fieldset each.
    assert html.count("data-checklist=") == 3


def test_it_records_the_visit_and_names_the_draft_to_drop(
    client, today, tree, campaign, sam, village
):
    client.force_login(sam)
    data = _data(client.get(_url(campaign)), sam, village)
    response = _post(
        client, campaign, data, {"photos": SimpleUploadedFile("a.jpg", jpeg_bytes((800, 600)))}
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("visits-visit-detail", args=[visit.pk])
        + f"?saved=visit-{campaign.pk}-{tree.hospital.pk}"
    )
    assert visit.checklist_answers == {"visit_poor": True, "ask_ideas": "发展蜜橘产业"}
    assert visit.photos.count() == 1
    assert AuditEntry.objects.filter(action="create", object_type="visits.visit").count() == 1
    # The form sent again (a lost connection, a reload) records nothing new.
    again = _post(client, campaign, data)
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("visits-visit-detail", args=[visit.pk]))
    assert Visit.objects.count() == 1


def test_a_group_of_six_is_refused_on_the_form(
    english, client, today, tree, campaign, sam, people, village
):
    client.force_login(sam)
    data = _data(client.get(_url(campaign)), sam, village, visitors=[p.pk for p in people[:6]])
    response = _post(client, campaign, data)
    assert response.status_code == 400
    assert "A visit group has at most 5 people under this campaign; this one has 6." in (
        response.content.decode()
    )
    assert not Visit.objects.exists()


def test_a_future_date_is_refused_on_the_form(english, client, today, tree, campaign, sam, village):
    client.force_login(sam)
    data = _data(client.get(_url(campaign)), sam, village, date="2024-05-16")
    response = _post(client, campaign, data)
    assert response.status_code == 400
    assert "A visit cannot be dated in the future" in response.content.decode()


def test_a_place_outside_scope_is_not_a_valid_choice(
    client, today, tree, campaign, sam, village, other_village
):
    client.force_login(sam)
    data = _data(client.get(_url(campaign)), sam, village, places=[other_village.pk])
    response = _post(client, campaign, data)
    assert response.status_code == 400
    assert "西山村" not in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (40 * 1024 * 1024)),
            "“big.jpg” is 40 MB; a photo may be at most 20 MB.",
        ),
        (
            SimpleUploadedFile("photo.jpg", PDF_BYTES, "image/jpeg"),
            "“photo.jpg” is not a photo: only JPEG, PNG and WebP images are accepted.",
        ),
    ],
    ids=["40mb", "pdf"],
)
def test_a_bad_photo_is_refused_and_the_visit_is_not_recorded(
    english, client, today, tree, campaign, sam, village, upload, message, _media
):
    client.force_login(sam)
    data = _data(client.get(_url(campaign)), sam, village)
    response = _post(client, campaign, data, {"photos": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Visit.objects.exists()
    assert not [p for p in _media.rglob("*") if p.is_file()]


def test_an_oversized_upload_is_refused_before_it_is_read(english, client, tree, campaign, sam):
    client.force_login(sam)
    response = client.post(
        _url(campaign),
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_the_other_county_and_a_missing_campaign_look_the_same(client, tree, campaign, carol):
    client.force_login(carol)
    refused = client.get(_url(campaign))
    missing = client.get(f"{reverse('visits-visit-create')}?campaign=999999")
    assert refused.status_code == missing.status_code == 404


def test_the_form_costs_a_fixed_number_of_queries(
    client, today, tree, campaign, sam, people, village
):
    client.force_login(sam)
    first = queries_for(client, _url(campaign))
    from ducha.orgs.tests.factories import HouseholdFactory

    for n in range(10):
        HouseholdFactory(code=f"HH9{n}", unit=tree.hospital, parent=village)
    assert queries_for(client, _url(campaign)) == first
