"""Inspection rounds and their findings (DOMAIN §9): 一月一督查, 明查暗访, 六督联查, and hazard
sweeps (隐患排查): each inspected unit inspects itself first, then the bureau spot-checks some."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit
from ducha.problems.models import Problem


class InspectionRound(BaseModel):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        AD_HOC = "ad_hoc", _("Ad hoc")
        HAZARD_SWEEP = "hazard_sweep", _("Hazard sweep")

    class Mode(models.TextChoices):
        OPEN = "open", pgettext_lazy("inspection mode", "Open")
        UNANNOUNCED = "unannounced", _("Unannounced")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="inspection_rounds"
    )
    # The issuing unit: the campaign's unit, kept on the row for scoping by path.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="inspection_rounds")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MONTHLY)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, default=Mode.OPEN)
    # One supervising body per line; several make a joint inspection (六督联查).
    bodies = models.TextField(_("supervising bodies"), blank=True)
    date = models.DateField(_("date"))
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    # Hazard sweeps only: each inspected unit files its self-inspection by the end of this day
    # (China Standard Time); the bureau's spot-checks come after.
    self_inspection_deadline = models.DateField(
        _("self-inspection deadline"), null=True, blank=True
    )
    units = models.ManyToManyField(
        OrgUnit, related_name="inspected_in", verbose_name=_("inspected units")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="hazard_sweep") | Q(self_inspection_deadline__isnull=False),
                name="inspections_sweep_has_deadline",
            )
        ]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")

    def __str__(self) -> str:
        return self.title

    @property
    def body_list(self) -> list[str]:
        return [line.strip() for line in self.bodies.splitlines() if line.strip()]

    @property
    def is_joint(self) -> bool:
        return len(self.body_list) > 1

    @property
    def is_hazard_sweep(self) -> bool:
        return self.kind == self.Kind.HAZARD_SWEEP


class SelfInspection(BaseModel):
    """An inspected unit's check of itself against a hazard sweep's checklist (自查), filed once
    by the deadline; each hazard it reports becomes a problem of the unit."""

    class Status(models.TextChoices):
        # Computed, not stored: filing after the deadline is refused, so nothing is late.
        FILED = "filed", pgettext_lazy("self-inspection", "Filed")
        PENDING = "pending", _("Not yet due")
        MISSING = "missing", _("Missing")

    round = models.ForeignKey(
        InspectionRound, on_delete=models.CASCADE, related_name="self_inspections"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("remarks"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("filed at"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit"], name="inspections_self_inspection_once"
            )
        ]
        verbose_name = _("self-inspection")
        verbose_name_plural = _("self-inspections")

    def __str__(self) -> str:
        return f"{self.round}: {self.unit}"


class SelfInspectionItem(models.Model):
    class Result(models.TextChoices):
        OK = "ok", _("No hazard")
        HAZARD = "hazard", _("Hazard found")

    self_inspection = models.ForeignKey(
        SelfInspection, on_delete=models.CASCADE, related_name="items"
    )
    item = models.CharField(_("checklist item"), max_length=200)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    problem = models.OneToOneField(
        Problem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_inspection_item",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_inspection", "item"], name="inspections_self_inspection_item_once"
            )
        ]
        verbose_name = _("self-inspection item")
        verbose_name_plural = _("self-inspection items")

    def __str__(self) -> str:
        return self.item


class SpotCheck(BaseModel):
    """The bureau's check of one unit of a hazard sweep after its self-inspection (抽查)."""

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="spot_checks")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    note = models.TextField(_("result"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="inspections_spot_check_once")
        ]
        verbose_name = _("spot-check")
        verbose_name_plural = _("spot-checks")

    def __str__(self) -> str:
        return f"{self.round}: {self.unit}"


class Finding(BaseModel):
    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="findings")
    text = models.TextField(_("finding"))
    severity = models.CharField(
        _("severity"),
        max_length=16,
        choices=Problem.Severity.choices,
        default=Problem.Severity.MINOR,
    )
    # Every finding enters the rectification loop as a problem of the inspected unit; its
    # evidence files are stored with that problem (checked by content there).
    problem = models.OneToOneField(Problem, on_delete=models.PROTECT, related_name="finding")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Hazard sweeps: the spot-check that found it, the checklist item it concerns, and whether
    # the unit's self-inspection had marked that item as free of hazards (漏报).
    spot_check = models.ForeignKey(
        SpotCheck, null=True, blank=True, on_delete=models.CASCADE, related_name="findings"
    )
    checklist_item = models.CharField(_("checklist item"), max_length=200, blank=True)
    missed_by_self_inspection = models.BooleanField(
        _("missed by the self-inspection"), default=False
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]


class Bulletin(BaseModel):
    """A monthly bulletin (通报): drafted from the period's data, edited, then issued with a
    number in the issuer's yearly sequence and frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="bulletins"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="bulletins")
    period = models.CharField(_("period"), max_length=7)  # YYYY-MM
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # The issuer's short name in document numbers: 黄卫通 in 黄卫通〔2012〕3号.
    doc_prefix = models.CharField(_("document number prefix"), max_length=20, blank=True)
    copy_to = models.CharField(_("copy to"), max_length=300, blank=True)
    criticised = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name=_("units criticised by name")
    )
    problems = models.ManyToManyField(Problem, blank=True, related_name="bulletins")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"], name="inspections_bulletin_number_once"
            )
        ]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def doc_number(self) -> str:
        if self.number is None:
            return ""
        return f"{self.doc_prefix}〔{self.year}〕{self.number}号"
