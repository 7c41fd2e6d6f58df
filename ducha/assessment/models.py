"""The indicator system of a campaign and the hand-given scores (DOMAIN §10)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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
        _("computed from"), max_length=20, choices=Source.choices, default=Source.NONE
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
