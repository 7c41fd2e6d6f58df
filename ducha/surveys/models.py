"""Surveys and reviews (评议、测评), their versions and answers; honours, nominations and
typical cases (典型、表彰).

A survey's questions live in a version. The first answer freezes it: editing a survey that
has answers makes a new version, and each response points at the version it answered, so
no answer is ever read against questions it was not given.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign
from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit, Person

SCALE_MIN, SCALE_MAX = 1, 5


def new_public_key() -> str:
    return secrets.token_urlsafe(9)


class Survey(BaseModel):
    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", _("Patient and public satisfaction")
        PUBLIC_REVIEW = "public_review", _("Public review of a unit")
        PARTY_MEMBER_REVIEW = "party_member_review", _("Review of party members")
        MUTUAL_REVIEW = "mutual_review", _("Mutual review (top-down and bottom-up)")
        CROSS_DEPARTMENT_REVIEW = "cross_department", _("Cross-department review")
        LEADER_COMMENT = "leader_comment", _("Leader comment")
        PUBLIC_ONLINE_REVIEW = "public_online", _("Public online review")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("The public, without an account")
        STAFF = "staff", _("Staff, with their accounts")

    class Periodicity(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        ONCE = "once", _("Once")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    # The issuing unit: its subtree is where the survey can be seen and managed.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="surveys"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="surveys",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    periodicity = models.CharField(
        _("period"), max_length=10, choices=Periodicity.choices, default=Periodicity.MONTHLY
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Units reviewed; none chosen means every unit under the issuing unit.
    targets = models.ManyToManyField(
        OrgUnit, verbose_name=_("units reviewed"), blank=True, related_name="+"
    )
    # Satisfied = an answer at or above this on the key question (plans count 4–5 of 5).
    satisfaction_threshold = models.PositiveSmallIntegerField(
        _("satisfied from"),
        default=4,
        validators=[MinValueValidator(SCALE_MIN), MaxValueValidator(SCALE_MAX)],
    )
    publish_to_public = models.BooleanField(
        _("results may be published to the public"), default=False
    )
    # The printed links carry this instead of the id, so open surveys can't be enumerated.
    public_key = models.CharField(
        max_length=16, unique=True, default=new_public_key, editable=False
    )
    current_version = models.ForeignKey(
        "SurveyVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_staff(self) -> bool:
        return self.audience == self.Audience.STAFF

    @property
    def is_monthly(self) -> bool:
        return self.periodicity == self.Periodicity.MONTHLY

    @property
    def has_subjects(self) -> bool:
        """A review of party members is answered about one party member at a time."""
        return self.kind == self.Kind.PARTY_MEMBER_REVIEW


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the first answer; a frozen version is never changed again.
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="uniq_survey_version")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Section(models.Model):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale of 1 to 5")
        YES_NO = "yes_no", _("Yes or no")
        TEXT = "text", _("Free text")

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section,
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Kept when a new version copies the question, so results add up across versions.
    code = models.CharField(max_length=20)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    required = models.BooleanField(_("required"), default=True)
    # The question the satisfaction rate is read from (a 1–5 scale).
    is_key = models.BooleanField(_("key question"), default=False)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="uniq_question_code"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(is_key=True), name="one_key_question"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    value = models.CharField(max_length=20)  # stable across versions, like Question.code
    label = models.CharField(_("choice"), max_length=200)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="uniq_choice_value")
        ]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One filled-in form about one unit (and, for party members, one person) in one period.

    A public response carries a hash of the client's cookie id: one per client, survey, unit
    and period. A staff response carries no account at all; StaffParticipation records that
    the person answered, apart from what they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        Person,
        verbose_name=_("person reviewed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(_("period"), max_length=7, blank=True)  # "2026-05" or ""
    client_hash = models.CharField(max_length=64, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["survey", "unit", "period"], name="response_cell")]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "period", "subject", "client_hash"],
                condition=~Q(client_hash="") & Q(subject__isnull=False),
                name="one_public_answer_per_subject",
            ),
            models.UniqueConstraint(
                fields=["survey", "unit", "period", "client_hash"],
                condition=~Q(client_hash="") & Q(subject__isnull=True),
                name="one_public_answer_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.unit_id}:{self.period}#{self.pk}"


class StaffParticipation(models.Model):
    """That an account answered a staff survey (once per unit, person and period). It links
    to no response, so nobody can read one person's answers."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=7, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "period", "user"],
                condition=Q(subject__isnull=True),
                name="one_staff_answer",
            ),
            models.UniqueConstraint(
                fields=["survey", "unit", "period", "user", "subject"],
                condition=Q(subject__isnull=False),
                name="one_staff_answer_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.unit_id}:{self.period}:{self.user_id}"


class Answer(models.Model):
    class Moderation(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # One row per chosen choice (several for a multiple choice); 1–5 or yes 1 / no 0 in number.
    choice = models.ForeignKey(
        Choice, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    # Free text is shown outside the office only once approved.
    moderation = models.CharField(max_length=10, choices=Moderation.choices, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"


class Feedback(models.Model):
    """The office's feedback on one unit's results for a period (通报): published to the unit,
    and to the public where the survey allows it."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="feedback")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7, blank=True)
    text = models.TextField(_("feedback"), blank=True)
    to_public = models.BooleanField(_("publish to the public"), default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit", "period"], name="uniq_feedback")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.unit_id}:{self.period}"


# --- exemplars and commendation -------------------------------------------------------------


class Honour(BaseModel):
    """A named honour (优秀党员, 先进基层党组织 …) awarded by a unit, nominated from below."""

    class SubjectKind(models.TextChoices):
        PERSON = "person", _("A person")
        UNIT = "unit", _("A unit")

    title = models.CharField(_("honour"), max_length=100)
    subject_kind = models.CharField(_("awarded to"), max_length=10, choices=SubjectKind.choices)
    # The awarding unit approves; nominations come from units under it, level by level.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("awarding unit"), on_delete=models.PROTECT, related_name="honours"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="honours",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("criteria"), blank=True)
    is_open = models.BooleanField(_("open for nominations"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "title", "id"]
        verbose_name = _("honour")
        verbose_name_plural = _("honours")

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Nomination(BaseModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Under recommendation")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    honour = models.ForeignKey(Honour, on_delete=models.PROTECT, related_name="nominations")
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The unit nominated, or the person's unit.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="nominations"
    )
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("nominated by"), on_delete=models.PROTECT, related_name="+"
    )
    # The level whose decision is awaited: the next unit up, until the awarding unit.
    at_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("now at"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reasons = models.TextField(_("reasons"))
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["honour", "person"],
                condition=Q(person__isnull=False) & ~Q(status="declined"),
                name="one_live_nomination_per_person",
            ),
            models.UniqueConstraint(
                fields=["honour", "unit"],
                condition=Q(person__isnull=True) & ~Q(status="declined"),
                name="one_live_nomination_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.honour.title}: {self.person.name if self.person_id else self.unit.name}"

    @property
    def subject_name(self) -> str:
        return self.person.name if self.person_id else self.unit.name


class NominationStep(models.Model):
    """One level's decision on a nomination, in order: nominated, recommended …, approved."""

    class Decision(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        RECOMMENDED = "recommended", _("Recommended upward")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.decision} @ {self.unit_id}"


class NominationEvidence(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="nominations/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class TypicalCase(BaseModel):
    """A typical case (典型案例): written by a unit, reviewed by the office above, published
    on the public pages."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="typical_cases"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="typical_cases",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    review_note = models.TextField(_("review note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def __str__(self) -> str:
        return self.title
