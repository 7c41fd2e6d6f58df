"""Campaigns, requirements and files for the submission tests.

Campaign rows are made directly here (the campaign services are another context's); the
files are real documents built with python-docx, openpyxl and Pillow.
"""

from __future__ import annotations

import datetime
import io
import uuid

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.campaigns.models import Campaign, Participant
from ducha.submissions import services
from ducha.submissions.models import Requirement


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"作风整顿专项活动{n}")
    status = Campaign.Status.ACTIVE
    starts_on = datetime.date(2012, 5, 1)
    ends_on = datetime.date(2012, 12, 31)


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    kind = Requirement.Kind.SUMMARY_REPORT
    title = factory.Sequence(lambda n: f"总结报告{n}")
    due_date = datetime.date(2012, 6, 18)


def make_campaign(unit, participants, **fields) -> Campaign:
    campaign = CampaignFactory(unit=unit, **fields)
    Participant.objects.bulk_create(Participant(campaign=campaign, unit=u) for u in participants)
    return campaign


def docx_bytes(text: str = "东湖区人民医院总结报告") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["单位", "走访次数"])
    workbook.active.append(["东湖区人民医院", 3])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (10, 10, 200)).save(out, format="JPEG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot be run in DOS"


def upload(data: bytes, name: str = "总结报告.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def submit(actor, requirement, unit, *, files=None, token=None, **kwargs):
    """submission_submit with a good .docx and a fresh token unless told otherwise."""
    return services.submission_submit(
        actor=actor,
        requirement=requirement,
        unit=unit,
        files=files if files is not None else [upload(docx_bytes())],
        note=kwargs.pop("note", "请审阅"),
        client_token=token or uuid.uuid4().hex,
        **kwargs,
    )


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def campaign(tree):
    """The county's campaign in which both of its hospitals take part."""
    return make_campaign(tree.county, [tree.hospital, tree.hospital2], title="作风整顿专项活动")


@pytest.fixture
def requirement(campaign):
    return RequirementFactory(
        campaign=campaign, title="总结报告", due_date=datetime.date(2012, 6, 18)
    )
