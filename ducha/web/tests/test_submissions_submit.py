"""Submitting a report through the page: the form, uploads, awkward files and refusals."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ducha.campaigns.models import Campaign
from ducha.submissions.models import Submission, SubmissionFile, SubmissionVersion
from ducha.submissions.tests import factories
from ducha.submissions.tests.factories import EXE_BYTES, docx_bytes, png_bytes, upload
from ducha.web.tests.test_ledgers_import import BOUNDARY

campaign, requirement, media = factories.campaign, factories.requirement, factories.media
pytestmark = pytest.mark.usefixtures("media")


def url(requirement):
    return reverse("submissions-submission-create", args=[requirement.campaign_id, requirement.pk])


def post(client, requirement, tree, *, files=None, token=None, **extra):
    data = {
        "unit": tree.hospital.pk,
        "due_date": "2012-06-18",
        "note": "请审阅",
        "client_token": token or uuid.uuid4().hex,
        "files": files if files is not None else [upload(docx_bytes(), "总结报告.docx")],
        **extra,
    }
    return client.post(url(requirement), data)


def raw_body(filename: bytes, data: bytes, token: str, unit_id: int) -> bytes:
    """A multipart body written by hand, so the file name can be bytes that aren't UTF-8."""

    def field(name: str, value: str) -> bytes:
        return (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()

    return (
        field("unit", str(unit_id))
        + field("due_date", "2012-06-18")
        + field("client_token", token)
        + f"--{BOUNDARY}\r\n".encode()
        + b'Content-Disposition: form-data; name="files"; filename="'
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + data
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def post_raw(client, requirement, body: bytes):
    return client.generic(
        "POST", url(requirement), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


@freeze_time("2012-06-10 02:00:00")
def test_the_form_carries_a_one_time_token_and_keeps_the_note_as_a_draft(
    client, dora, requirement, tree
):
    client.force_login(dora)
    first = client.get(url(requirement)).content.decode()
    second = client.get(url(requirement)).content.decode()

    tokens = [re.search(r'name="client_token" value="(\w+)"', c).group(1) for c in (first, second)]
    assert tokens[0] != tokens[1]
    assert 'enctype="multipart/form-data"' in first
    assert f'data-draft="submission-{requirement.pk}"' in first
    assert 'type="file" name="files"' in first and "multiple" in first


@freeze_time("2012-06-10 02:00:00")
def test_dora_submits_a_report(client, dora, requirement, tree):
    client.force_login(dora)
    response = post(
        client, requirement, tree, files=[upload(docx_bytes()), upload(png_bytes(), "照片.png")]
    )

    submission = Submission.objects.get()
    assert response.status_code == 302
    detail = reverse("submissions-submission-detail", args=[submission.pk])
    assert response["Location"] == f"{detail}?saved=submission-{requirement.pk}"
    assert (submission.unit, submission.due_date) == (tree.hospital, datetime.date(2012, 6, 18))
    assert submission.status == Submission.Status.SUBMITTED
    names = sorted(SubmissionFile.objects.values_list("original_name", flat=True))
    assert names == ["总结报告.docx", "照片.png"]
    page = client.get(response["Location"]).content.decode()
    assert "总结报告.docx" in page
    assert f'data-draft-saved="submission-{requirement.pk}"' in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (EXE_BYTES, "总结报告.docx", "is not a Word, Excel, PDF, JPEG or PNG file"),
        (b"", "总结报告.docx", "“总结报告.docx” is empty (0 bytes)."),
    ],
)
def test_it_refuses_a_bad_file_and_keeps_nothing(
    client, dora, requirement, tree, media, english, data, name, message
):
    client.force_login(dora)
    response = post(client, requirement, tree, files=[upload(data, name)])

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_it_refuses_a_file_over_the_limit(client, dora, requirement, tree, settings, english):
    settings.SUBMISSION_MAX_BYTES = 1024
    client.force_login(dora)
    response = post(client, requirement, tree, files=[upload(docx_bytes(), "总结报告.docx")])

    assert response.status_code == 400
    assert "“总结报告.docx” is larger than 1 KB." in response.content.decode()
    assert not Submission.objects.exists()


def test_it_refuses_an_upload_too_large_to_read(client, dora, requirement, tree, settings, english):
    settings.SUBMISSION_MAX_BYTES = 100
    client.force_login(dora)
    big = factories.PDF_BYTES + b"0" * (100 * 10 + 70 * 1024)
    response = post(client, requirement, tree, files=[upload(big, "方案.pdf")])

    assert response.status_code == 413
    assert "The upload is too large" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_submission_needs_a_file(client, dora, requirement, tree, english):
    client.force_login(dora)
    response = post(client, requirement, tree, files=[])
    assert response.status_code == 400
    assert "Attach at least one file." in response.content.decode()


def test_a_double_click_submits_once(client, dora, requirement, tree):
    client.force_login(dora)
    token = uuid.uuid4().hex
    first = post(client, requirement, tree, token=token)
    second = post(client, requirement, tree, token=token)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert SubmissionVersion.objects.count() == 1
    assert SubmissionFile.objects.count() == 1


def test_a_second_report_while_one_is_under_review_is_refused(
    client, dora, requirement, tree, english
):
    client.force_login(dora)
    post(client, requirement, tree)
    response = post(client, requirement, tree)
    assert response.status_code == 400
    assert "already submitted" in response.content.decode()
    assert SubmissionVersion.objects.count() == 1


def test_a_closed_campaign_takes_nothing(client, dora, requirement, tree, english):
    Campaign.objects.filter(pk=requirement.campaign_id).update(status=Campaign.Status.CLOSED)
    client.force_login(dora)
    assert "The campaign is closed." in client.get(url(requirement)).content.decode()
    response = post(client, requirement, tree)
    assert response.status_code == 400
    assert "The campaign is closed." in response.content.decode()
    assert not Submission.objects.exists()


def test_refusals(client, bob, sam, carol, dora, requirement, tree):
    # Carol can't see the county's campaign: the same 404 as a missing requirement.
    client.force_login(carol)
    missing = reverse("submissions-submission-create", args=[requirement.campaign_id, 999999])
    assert client.get(url(requirement)).status_code == 404
    assert client.get(missing).status_code == 404
    assert post(client, requirement, tree).status_code == 404
    # Bob and Sam see it but may not submit.
    for user in (bob, sam):
        client.force_login(user)
        assert client.get(url(requirement)).status_code == 403
        assert post(client, requirement, tree).status_code == 403
    # Dora can't pick the other hospital: it isn't among her choices.
    client.force_login(dora)
    response = post(client, requirement, tree, unit=tree.hospital2.pk)
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_a_unit_the_requirement_does_not_ask_is_refused(client, dora, requirement, tree):
    requirement.units.set([tree.hospital2])
    client.force_login(dora)
    assert client.get(url(requirement)).status_code == 403


def test_it_keeps_a_file_name_sent_in_gbk(client, dora, requirement, tree):
    client.force_login(dora)
    body = raw_body("总结报告.docx".encode("gbk"), docx_bytes(), uuid.uuid4().hex, tree.hospital.pk)
    response = post_raw(client, requirement, body)

    assert response.status_code == 302
    assert SubmissionFile.objects.get().original_name == "总结报告.docx"


def test_it_survives_a_file_name_of_undecodable_bytes(client, dora, requirement, tree):
    client.force_login(dora)
    body = raw_body(b"\xff\xfe\x80<b>.docx", docx_bytes(), uuid.uuid4().hex, tree.hospital.pk)
    response = post_raw(client, requirement, body)

    assert response.status_code == 302
    name = SubmissionFile.objects.get().original_name
    assert name.endswith("<b>.docx")
    page = client.get(response["Location"]).content.decode()
    assert "&lt;b&gt;.docx" in page and "<b>.docx" not in page
