"""Key tasks, the leadership group and attachments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.audit.models import AuditEntry
from ducha.campaigns import services
from ducha.campaigns.models import Attachment, KeyTask, LeadershipMember
from ducha.orgs.tests.factories import PersonFactory

# --- key tasks -----------------------------------------------------------------------------


def test_it_numbers_key_tasks(alice, campaign):
    first = services.key_task_add(actor=alice, campaign=campaign, title="开展大走访")
    second = services.key_task_add(actor=alice, campaign=campaign, title="查摆问题", text="…")
    assert (first.number, second.number) == (1, 2)
    services.key_task_update(actor=alice, task=first, number=5, title="开展进村入企大走访")
    first.refresh_from_db()
    assert (first.number, first.title) == (5, "开展进村入企大走访")
    assert services.key_task_add(actor=alice, campaign=campaign, title="整改").number == 6
    entry = AuditEntry.objects.get(object_type="campaigns.keytask", action="update")
    assert entry.before == {"number": 1, "title": "开展大走访"}


def test_it_refuses_a_taken_number(alice, campaign):
    services.key_task_add(actor=alice, campaign=campaign, title="一")
    second = services.key_task_add(actor=alice, campaign=campaign, title="二")
    with pytest.raises(ValidationError) as error:
        services.key_task_update(actor=alice, task=second, number=1)
    assert "number" in error.value.message_dict
    assert KeyTask.objects.get(pk=second.pk).number == 2


def test_it_deletes_key_tasks_and_refuses_a_leader(alice, bob, campaign):
    task = services.key_task_add(actor=alice, campaign=campaign, title="一")
    with pytest.raises(PermissionDenied):
        services.key_task_delete(actor=bob, task=task)
    services.key_task_delete(actor=alice, task=task)
    assert not KeyTask.objects.exists()
    assert AuditEntry.objects.filter(object_type="campaigns.keytask", action="delete").exists()


# --- leadership group ----------------------------------------------------------------------


def test_it_sets_the_leadership_group(alice, campaign, tree):
    director = PersonFactory(unit=tree.county, name="李局长")
    members = [
        {
            "role": LeadershipMember.Role.LEADER,
            "person": director,
            "name": "ignored",
            "post": "局长",
        },
        {"role": LeadershipMember.Role.DEPUTY, "name": " 王副局长 ", "post": "副局长"},
        {"role": LeadershipMember.Role.OFFICE_DIRECTOR, "name": "赵主任", "post": "办公室主任"},
    ]
    services.leadership_set(actor=alice, campaign=campaign, members=members)
    rows = list(campaign.leadership.all())
    assert [(m.role, m.name, m.post, m.person_id) for m in rows] == [
        ("leader", "李局长", "局长", director.pk),  # the name comes from the linked person
        ("deputy", "王副局长", "副局长", None),
        ("office_director", "赵主任", "办公室主任", None),
    ]
    services.leadership_set(actor=alice, campaign=campaign, members=members[1:2])
    assert campaign.leadership.count() == 1
    entry = AuditEntry.objects.filter(action="update", object_type="campaigns.campaign").first()
    assert len(entry.before["leadership"]) == 3
    assert entry.after["leadership"] == [
        {"role": "deputy", "name": "王副局长", "post": "副局长", "person_id": None}
    ]


def test_it_refuses_a_person_outside_the_scope_and_bad_rows(alice, campaign, tree, english):
    stranger = PersonFactory(unit=tree.other_county)
    bad = [
        {"role": "leader", "person": stranger, "post": "局长"},
        {"role": "deputy", "name": "", "post": ""},
        {"role": "chief", "name": "某人"},
    ]
    with pytest.raises(ValidationError) as error:
        services.leadership_set(actor=alice, campaign=campaign, members=bad)
    messages = error.value.messages
    assert messages[0] == "Row 1: no such person in your scope."
    assert messages[1].startswith("Row 2, name")
    assert messages[2].startswith("Row 3, role")
    assert not LeadershipMember.objects.exists()


def test_it_refuses_the_leadership_group_to_a_leader(bob, campaign):
    with pytest.raises(PermissionDenied):
        services.leadership_set(actor=bob, campaign=campaign, members=[])


# --- attachments ---------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_keeps_an_attachment_under_its_original_name(alice, campaign, media):
    upload = SimpleUploadedFile("实施方案.docx", b"PK\x03\x04 plan", content_type="application/zip")
    attachment = services.attachment_add(actor=alice, campaign=campaign, file=upload)
    attachment.refresh_from_db()
    assert attachment.original_name == "实施方案.docx"
    assert attachment.size == len(b"PK\x03\x04 plan")
    assert attachment.uploaded_by == alice
    assert attachment.file.name.endswith(".docx")
    assert "实施方案" not in attachment.file.name  # stored under a random name
    assert (media / attachment.file.name).read_bytes() == b"PK\x03\x04 plan"
    entry = AuditEntry.objects.get(object_type="campaigns.attachment", action="create")
    assert entry.after == {"original_name": "实施方案.docx", "size": 9}


def test_it_refuses_a_file_over_20_mb(alice, campaign, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1024)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=alice, campaign=campaign, file=SimpleUploadedFile("big.pdf", b"x" * 1025)
        )
    assert "file" in error.value.message_dict
    assert not Attachment.objects.exists()
    assert not any(media.rglob("*.pdf"))


def test_it_deletes_an_attachment_and_its_file(
    alice, bob, campaign, media, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        actor=alice, campaign=campaign, file=SimpleUploadedFile("表.xlsx", b"data")
    )
    path = media / attachment.file.name
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=bob, attachment=attachment)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=alice, attachment=attachment)
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert AuditEntry.objects.filter(object_type="campaigns.attachment", action="delete").exists()
