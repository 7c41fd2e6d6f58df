"""Benchmarks (对照标杆, DOMAIN §12): a unit compares itself on chosen indicators with a peer in
Ducha or a leading unit or region outside it, and records the measures that close the gap."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit


class Benchmark(BaseModel):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit in Ducha")
        OUTSIDE = "outside", _("Outside unit or region")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="benchmarks",
    )
    # The unit that benchmarks itself: a participant of the campaign.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind of benchmark"), max_length=10, choices=Kind.choices)
    benchmark_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("benchmark unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # An outside benchmark's name ("浙江省某县"); a Ducha unit's name for the other kind.
    name = models.CharField(_("benchmark"), max_length=100)
    note = models.TextField(_("why this benchmark"), blank=True)
    indicators = models.ManyToManyField(
        "assessment.Indicator", verbose_name=_("indicators to compare on"), related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "name"], name="benchmarks_one_name_per_unit"
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit", "benchmark_unit"],
                condition=models.Q(benchmark_unit__isnull=False),
                name="benchmarks_one_peer_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_outside(self) -> bool:
        return self.kind == self.Kind.OUTSIDE


class BenchmarkValue(BaseModel):
    """A benchmark's value of an indicator for a month, entered by hand or imported, on the
    same 0–100 scale as Ducha's own value, with where it was published."""

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "assessment.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(_("month"), max_length=7)  # YYYY-MM
    value = models.DecimalField(
        _("value"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    source = models.CharField(_("source"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period", "indicator__order", "indicator_id"]
        verbose_name = _("benchmark value")
        verbose_name_plural = _("benchmark values")
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "indicator", "period"], name="benchmarks_one_value_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.value}"


class BenchmarkMeasure(BaseModel):
    """A measure the unit adopted to close the gap to its benchmark (赶超措施)."""

    class Status(models.TextChoices):
        # "Adopted" and "Done" mean other things elsewhere in the catalogue.
        ADOPTED = "adopted", pgettext_lazy("benchmark measure", "Adopted")
        DONE = "done", pgettext_lazy("benchmark measure", "Done")

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(
        "assessment.Indicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Not a TextField: the same measure twice on one benchmark is a double submission, and
    # the unique constraint needs an indexable column.
    text = models.CharField(_("measure"), max_length=500)
    responsible_person = models.CharField(_("responsible person"), max_length=50)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ADOPTED
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # Open measures first, the nearest due date first; one without a date last.
        ordering = ["status", models.F("due_on").asc(nulls_last=True), "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "text"], name="benchmarks_one_measure")
        ]

    def __str__(self) -> str:
        return self.text[:100]

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE
