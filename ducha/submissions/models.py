"""Required submissions (报送), the units' submissions, their review and return (退回)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign
from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit


class Requirement(BaseModel):
    """What the plan asks each participating unit to hand in, by when."""

    class Kind(models.TextChoices):
        UNIT_PLAN = "unit_plan", _("Unit plan")
        STAGE_REPORT = "stage_report", _("Stage report")
        PROBLEM_ANALYSIS = "problem_analysis", _("Problem-analysis report")
        RECTIFICATION_MEASURES = "rectification_measures", _("Rectification measures")
        SELF_ANALYSIS = "self_analysis", _("Unit head's self-analysis")
        VISIT_REPORT = "visit_report", _("Visit report")
        SPECIAL_REPORT = "special_report", _("Special report")
        SUMMARY_REPORT = "summary_report", _("Summary report")
        BRIEF = "brief", _("Brief")
        OTHER = "other", _("Other")

    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # For a one-off requirement the due date; for a recurring one the first due date.
    due_date = models.DateField(_("due date"))
    due_text = models.CharField(_("due date as written"), max_length=60, blank=True)
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    receiver = models.CharField(_("received by"), max_length=100, blank=True)
    # Empty: every participant of the campaign must submit.
    units = models.ManyToManyField(OrgUnit, verbose_name=_("units"), blank=True, related_name="+")
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=3)
    escalate_days_after = models.PositiveSmallIntegerField(
        _("escalate to the unit head after (days)"), default=3
    )
    # A child campaign's requirement adopts its parent's and may only tighten its date.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("required submission")
        verbose_name_plural = _("required submissions")

    def __str__(self) -> str:
        return self.title


class Submission(BaseModel):
    """One unit's answer to one requirement for one due date (a period, for recurring ones)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    requirement = models.ForeignKey(
        Requirement, on_delete=models.PROTECT, related_name="submissions"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="submissions")
    due_date = models.DateField(_("due date"))
    # End of the due day in China Standard Time: received at or before it is on time.
    due_at = models.DateTimeField()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    first_submitted_at = models.DateTimeField(_("first submitted"))
    last_submitted_at = models.DateTimeField(_("last submitted"))
    # The time that counts for timeliness: the first submission, unless a returned report came
    # back after its correction period, when the resubmission counts (DOMAIN §5).
    counted_at = models.DateTimeField(_("counted as received"))
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    correction_due = models.DateField(_("correct by"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "unit", "due_date"], name="uniq_submission_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.unit} · {self.due_date}"

    @property
    def on_time(self) -> bool:
        return self.counted_at <= self.due_at


class SubmissionVersion(models.Model):
    """Each (re)submission with its note and files; history is never overwritten."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    # The form's one-time token: a double click or a resent form creates nothing twice.
    client_token = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="uniq_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class SubmissionFile(models.Model):
    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="submissions/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name


class ReviewEvent(models.Model):
    """The history of a submission: submitted, returned, resubmitted, accepted."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind}"
