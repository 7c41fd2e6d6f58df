"""A unit hands in its report: files checked, stored, counted on time or late, never twice."""

import datetime
import hashlib
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404
from freezegun import freeze_time

from ducha.audit.models import AuditEntry
from ducha.campaigns.models import Campaign
from ducha.submissions import services
from ducha.submissions.models import Requirement, ReviewEvent, Submission, SubmissionFile

from .factories import (
    EXE_BYTES,
    PDF_BYTES,
    RequirementFactory,
    docx_bytes,
    make_campaign,
    png_bytes,
    submit,
    upload,
)

D = datetime.date


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def nothing_written(media) -> bool:
    return not Submission.objects.exists() and not stored_files(media)


@freeze_time("2012-06-10 02:00:00")
def test_it_stores_the_files_with_their_original_names(dora, requirement, tree, media):
    report, photo = docx_bytes(), png_bytes()
    version = submit(
        dora,
        requirement,
        tree.hospital,
        files=[upload(report, "东湖区人民医院总结报告.docx"), upload(photo, "现场照片.png")],
        note="  请审阅  ",
    )

    submission = Submission.objects.get()
    assert (submission.unit, submission.requirement) == (tree.hospital, requirement)
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.due_date == D(2012, 6, 18)
    assert submission.first_submitted_at == submission.counted_at == version.submitted_at
    assert submission.on_time
    assert (version.number, version.note, version.submitted_by) == (1, "请审阅", dora)
    files = list(version.files.order_by("id"))
    assert [f.original_name for f in files] == ["东湖区人民医院总结报告.docx", "现场照片.png"]
    assert files[0].content_type.endswith("wordprocessingml.document")
    assert files[1].content_type == "image/png"
    assert files[0].sha256 == hashlib.sha256(report).hexdigest()
    assert files[0].size == len(report)
    with default_storage.open(files[1].file.name) as stored:
        assert stored.read() == photo
    assert "东湖" not in files[0].file.name  # the disk name is ours, the original is kept
    assert len(stored_files(media)) == 2
    event = ReviewEvent.objects.get()
    assert (event.kind, event.actor) == (ReviewEvent.Kind.SUBMITTED, dora)
    entry = AuditEntry.objects.get(action="submit")
    assert (entry.actor_id, entry.unit_path) == (dora.pk, tree.hospital.path)
    assert entry.after["files"][0]["name"] == "东湖区人民医院总结报告.docx"


def test_an_exe_renamed_docx_is_refused_and_nothing_kept(dora, requirement, tree, media):
    with pytest.raises(ValidationError) as error:
        submit(
            dora,
            requirement,
            tree.hospital,
            files=[upload(docx_bytes(), "a.docx"), upload(EXE_BYTES, "总结报告.docx")],
        )
    assert error.value.code == "file_type"
    assert nothing_written(media)


def test_an_empty_file_is_refused(dora, requirement, tree, media):
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital, files=[upload(b"", "总结报告.docx")])
    assert error.value.code == "empty_file"
    assert nothing_written(media)


def test_a_file_over_the_limit_is_refused(dora, requirement, tree, media, settings):
    settings.SUBMISSION_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital, files=[upload(PDF_BYTES + b"0" * 4096, "a.pdf")])
    assert error.value.code == "too_large"
    assert nothing_written(media)

    submit(dora, requirement, tree.hospital, files=[upload(PDF_BYTES, "a.pdf")])
    assert Submission.objects.count() == 1


def test_a_submission_needs_a_file(dora, requirement, tree, english, media):
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital, files=[])
    assert error.value.message_dict == {"files": ["Attach at least one file."]}


def test_a_double_click_creates_nothing_twice(dora, requirement, tree, media):
    token = uuid.uuid4().hex
    first = submit(dora, requirement, tree.hospital, token=token)
    again = submit(dora, requirement, tree.hospital, token=token)

    assert again.pk == first.pk
    assert Submission.objects.count() == 1
    assert SubmissionFile.objects.count() == 1
    assert ReviewEvent.objects.count() == 1
    assert AuditEntry.objects.filter(action="submit").count() == 1
    assert len(stored_files(media)) == 1


def test_a_token_of_another_unit_is_not_a_replay(dora, requirement, tree, english):
    token = uuid.uuid4().hex
    submit(dora, requirement, tree.hospital, token=token)
    other = RequirementFactory(campaign=requirement.campaign)
    with pytest.raises(ValidationError) as error:
        submit(dora, other, tree.hospital, token=token)
    assert error.value.messages == ["The form has expired; reload the page."]


def test_a_second_submission_while_under_review_is_refused(dora, requirement, tree, english):
    submit(dora, requirement, tree.hospital)
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital)
    assert error.value.code == "already_submitted"
    assert Submission.objects.get().versions.count() == 1


def test_a_closed_campaign_takes_no_submissions(dora, requirement, tree, english, media):
    Campaign.objects.filter(pk=requirement.campaign_id).update(status=Campaign.Status.CLOSED)
    requirement.campaign.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital)
    assert error.value.messages == ["The campaign is closed."]
    assert nothing_written(media)


def test_a_draft_campaign_takes_no_submissions_yet(dora, requirement, tree, english, media):
    Campaign.objects.filter(pk=requirement.campaign_id).update(status=Campaign.Status.DRAFT)
    requirement.campaign.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital)
    assert error.value.code == "campaign_draft"
    assert nothing_written(media)


def test_a_unit_outside_the_scope_is_refused_like_a_missing_one(
    carol, dora, requirement, tree, media
):
    # Carol neither sees the county's campaign nor its hospital: the same 404 as a missing id.
    for unit in (tree.hospital, tree.other_hospital):
        with pytest.raises(Http404):
            submit(carol, requirement, unit)
    # Dora sees her hospital only, not the other hospital of the campaign.
    with pytest.raises(Http404):
        submit(dora, requirement, tree.hospital2)
    assert nothing_written(media)


def test_those_who_only_view_may_not_submit(bob, sam, alice, requirement, tree, media):
    for actor in (bob, sam, alice):
        with pytest.raises(PermissionDenied):
            submit(actor, requirement, tree.hospital)
    assert nothing_written(media)


def test_a_unit_in_scope_that_does_not_take_part_is_told_so(dora, tree, english, media):
    # Dora's department (内科) is hers to submit for, but only the hospital takes part.
    campaign = make_campaign(tree.county, [tree.hospital])
    requirement = RequirementFactory(campaign=campaign)
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.department)
    assert error.value.messages == ["Your unit does not take part in this requirement."]

    # A participant the requirement does not ask is told the same.
    campaign = make_campaign(tree.county, [tree.hospital, tree.hospital2])
    requirement = RequirementFactory(campaign=campaign)
    requirement.units.set([tree.hospital2])
    with pytest.raises(ValidationError) as error:
        submit(dora, requirement, tree.hospital)
    assert error.value.code == "not_participant"
    assert nothing_written(media)


def test_if_storing_a_file_fails_nothing_remains(dora, requirement, tree, media, monkeypatch):
    # The disk fills up while the second file is written.
    real_save = FileSystemStorage._save
    calls = []

    def failing_save(self, name, content):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_save)
    with pytest.raises(OSError):
        submit(dora, requirement, tree.hospital, files=[upload(PDF_BYTES, "a.pdf")] * 2)

    assert len(calls) == 2
    assert nothing_written(media)
    assert not ReviewEvent.objects.exists()
    assert not AuditEntry.objects.filter(action="submit").exists()


# --- on time or late: the end of the due day in China Standard Time ------------------------


def test_the_last_second_of_the_due_day_in_china_is_on_time(dora, requirement, tree):
    with freeze_time("2012-06-18 15:59:59"):  # 23:59:59 in Beijing on the due day
        submit(dora, requirement, tree.hospital)
    assert Submission.objects.get().on_time


def test_a_second_later_in_china_is_late(dora, requirement, tree):
    with freeze_time("2012-06-18 16:00:01"):  # 00:00:01 on 19 June in Beijing
        submit(dora, requirement, tree.hospital, due_date=D(2012, 6, 18))
    submission = Submission.objects.get()
    assert submission.due_date == D(2012, 6, 18)
    assert not submission.on_time


def test_the_period_is_chosen_from_the_server_date(dora, campaign, tree, english):
    weekly = RequirementFactory(
        campaign=campaign,
        kind=Requirement.Kind.BRIEF,
        recurrence=Requirement.Recurrence.WEEKLY,
        due_date=D(2012, 6, 1),
        repeat_until=D(2012, 6, 29),
    )
    with freeze_time("2012-06-08 16:30:00"):  # 9 June in Beijing: the brief of the 15th
        version = submit(dora, weekly, tree.hospital)
    assert version.submission.due_date == D(2012, 6, 15)

    with freeze_time("2012-06-09 00:00:00"), pytest.raises(ValidationError) as error:
        submit(dora, weekly, tree.hospital, due_date=D(2012, 6, 9))
    assert error.value.message_dict == {"due_date": ["The requirement is not due on this date."]}

    with freeze_time("2012-06-09 00:00:00"):  # last week's brief, handed in late
        late = submit(dora, weekly, tree.hospital, due_date=D(2012, 6, 8))
    assert not late.submission.on_time


# --- a returned report comes back ---------------------------------------------------------


def returned(alice, dora, requirement, unit, *, days: int):
    with freeze_time("2012-06-15 02:00:00"):
        version = submit(dora, requirement, unit, note="初稿")
    with freeze_time("2012-06-20 02:00:00"):  # 20 June in Beijing
        services.submission_return(
            actor=alice, submission=version.submission, reason="缺少整改措施", correction_days=days
        )
    return Submission.objects.get(pk=version.submission_id)


def test_back_within_the_correction_period_keeps_the_first_time(alice, dora, requirement, tree):
    submission = returned(alice, dora, requirement, tree.hospital, days=3)
    assert submission.correction_due == D(2012, 6, 23)
    first = submission.first_submitted_at

    with freeze_time("2012-06-23 15:59:59"):  # the last second of 23 June in Beijing
        version = submit(dora, requirement, tree.hospital, note="修改稿")

    submission.refresh_from_db()
    assert version.number == 2
    assert submission.status == Submission.Status.SUBMITTED
    assert submission.counted_at == first
    assert submission.on_time
    assert submission.last_submitted_at == version.submitted_at
    # The history is kept: both versions with their files, every event in order.
    assert [v.note for v in submission.versions.all()] == ["初稿", "修改稿"]
    assert SubmissionFile.objects.filter(version__submission=submission).count() == 2
    assert [e.kind for e in submission.events.all()] == ["submitted", "returned", "resubmitted"]
    assert AuditEntry.objects.filter(action="resubmit", object_id=str(submission.pk)).exists()


def test_back_after_the_correction_period_counts_the_resubmission(alice, dora, requirement, tree):
    submission = returned(alice, dora, requirement, tree.hospital, days=3)

    with freeze_time("2012-06-23 16:00:01"):  # 24 June in Beijing
        version = submit(dora, requirement, tree.hospital)

    submission.refresh_from_db()
    assert submission.counted_at == version.submitted_at
    assert submission.first_submitted_at < submission.counted_at
    assert not submission.on_time


def test_a_returned_report_may_come_back_only_once(alice, dora, requirement, tree, english):
    returned(alice, dora, requirement, tree.hospital, days=3)
    with freeze_time("2012-06-21 02:00:00"):
        submit(dora, requirement, tree.hospital)
        with pytest.raises(ValidationError) as error:
            submit(dora, requirement, tree.hospital)
    assert error.value.code == "already_submitted"
    assert Submission.objects.get().versions.count() == 2
