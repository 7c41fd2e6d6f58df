"""The indicator system of a campaign and the hand-given scores (DOMAIN §10)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit


class Indicator(BaseModel):
    class Method(models.TextChoices):
        MATERIAL_REVIEW = "material_review", _("Material review")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        ON_SITE = "on_site", _("On-site check")
        COMPUTED = "computed", _("Computed")

    class Comparator(models.TextChoices):
        NONE = "", _("No numeric target")
        AT_LEAST = "gte", _("at least (≥)")
        AT_MOST = "lte", _("at most (≤)")

    class Source(models.TextChoices):
        NONE = "none", _("Scored by hand")
        TIMELINESS = "timeliness", _("Reporting timeliness")
        CLOSURE_RATE = "closure_rate", _("Rectification closure rate")
        QUOTA_ATTAINMENT = "quota_attainment", _("Visit quota attainment")
        SATISFACTION = "satisfaction", _("Satisfaction rate")
        OVERDUE_RATE = "overdue_rate", _("Rectification overdue rate")
        INSPECTION_FINDINGS = "inspection_findings", _("Inspections without findings")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    content = models.CharField(_("content"), max_length=300)
    standard = models.TextField(_("standard"), blank=True)
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.MATERIAL_REVIEW
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    target = models.CharField(_("target as written"), max_length=100, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=3, choices=Comparator.choices, blank=True, default=""
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    computed_source = models.CharField(
        _("computed from"), max_length=24, choices=Source.choices, default=Source.NONE
    )
    # 一票否决: missing the target fails the unit whatever its score.
    veto = models.BooleanField(_("veto item"), default=False)
    leader = models.CharField(_("leader in charge"), max_length=50, blank=True)
    responsible_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.content

    @property
    def is_computed(self) -> bool:
        return self.computed_source != self.Source.NONE

    @property
    def lower_is_better(self) -> bool:
        """A rate where less is better (the overdue rate) earns `100 − value` points."""
        return self.computed_source == self.Source.OVERDUE_RATE

    def meets_target(self, value: Decimal) -> bool | None:
        """Whether `value` (a percentage or a hand score) meets the numeric target."""
        if not self.comparator or self.target_value is None:
            return None
        if self.comparator == self.Comparator.AT_LEAST:
            return value >= self.target_value
        return value <= self.target_value


class ManualScore(BaseModel):
    """A hand-given score (0–100 of the indicator's weight) for one unit and period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7)  # YYYY-MM
    value = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    evidence = models.TextField(_("evidence"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"], name="assessment_one_score_per_period"
            )
        ]
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")


class FollowUp(BaseModel):
    """What was done about a bottom-ranked or failed unit (诫勉谈话、效能问责)."""

    class Kind(models.TextChoices):
        ADMONITION_TALK = "admonition_talk", _("Admonition talk")
        ACCOUNTABILITY = "accountability", _("Accountability")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="assessment_follow_ups"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    kind = models.CharField(_("follow-up"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("note"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")


class ScoreRelease(BaseModel):
    """The published scores of a month (公布): the ranking frozen as it was computed, with the
    hash of its canonical JSON, so that a later recomputation can be checked against it."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="score_releases"
    )
    period = models.CharField(_("period"), max_length=7)  # YYYY-MM
    version = models.PositiveIntegerField(_("version"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    # Appeals are accepted until the end of this day, China Standard Time.
    appeal_deadline = models.DateField(_("appeal deadline"))
    indicators = models.JSONField(_("indicators"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    content_hash = models.CharField(_("content hash"), max_length=64)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "period", "version"], name="assessment_release_version"
            )
        ]
        verbose_name = _("score release")
        verbose_name_plural = _("score releases")

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    @property
    def is_superseded(self) -> bool:
        return self.superseded_by_id is not None


class Appeal(BaseModel):
    """A unit's appeal (申诉) against its published score, or one indicator of it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("appeal", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("appeal", "Accepted")
        REJECTED = "rejected", pgettext_lazy("appeal", "Rejected")

    release = models.ForeignKey(ScoreRelease, on_delete=models.PROTECT, related_name="appeals")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    # None: the appeal is against the whole score.
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    reasons = models.TextField(_("reasons for the appeal"))
    file = models.FileField(upload_to="assessment/appeals/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    corrected_value = models.DecimalField(
        _("corrected value"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The version published when the appeal was accepted.
    result_release = models.ForeignKey(
        ScoreRelease, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open appeal per unit and indicator (or whole score) of a release.
            models.UniqueConstraint(
                fields=["release", "unit", "indicator"],
                condition=models.Q(status="submitted", indicator__isnull=False),
                name="assessment_one_open_appeal_per_indicator",
            ),
            models.UniqueConstraint(
                fields=["release", "unit"],
                condition=models.Q(status="submitted", indicator__isnull=True),
                name="assessment_one_open_appeal_per_score",
            ),
        ]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return f"{self.unit} · {self.release}"


class ScoreCorrectionQuerySet(models.QuerySet):
    def values_for(self, *, campaign, period: str) -> dict[tuple[int, int], Decimal]:
        """{(indicator id, unit id): corrected value} of a month; the latest correction wins."""
        rows = self.filter(indicator__campaign=campaign, period=period).order_by("created_at", "id")
        return {(c.indicator_id, c.unit_id): c.value for c in rows}


class ScoreCorrection(BaseModel):
    """The value an accepted appeal gives one indicator of one unit for a month; the ranking
    uses it instead of the computed or hand-given value."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="corrections")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=7)
    value = models.DecimalField(
        _("corrected value"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="correction")

    objects = ScoreCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("score correction")
        verbose_name_plural = _("score corrections")

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}: {self.value}"
