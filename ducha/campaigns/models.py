"""Campaigns (专项活动) as their plans (实施方案) describe them, and their cascade to child units."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit, Person


class Campaign(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class ScopeMode(models.TextChoices):
        SUBTREE = "subtree", _("All units under the issuing unit")
        LIST = "list", _("Chosen units")

    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    doc_number = models.CharField(_("document number"), max_length=60, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=100, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    # The unit that runs the campaign: its subtree is where the campaign can be seen and managed.
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="campaigns"
    )
    # Cascade (层层落实): a child campaign adopts its parent's plan at a subordinate unit.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("adopted from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scope_mode = models.CharField(
        _("scope"), max_length=10, choices=ScopeMode.choices, default=ScopeMode.SUBTREE
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    discipline_rules = models.TextField(
        _("discipline rules"),
        blank=True,
        help_text=_("One rule per line, e.g. the five prohibitions."),
    )
    # Visit groups are capped by the plan ("每组不超过5人").
    visit_group_max = models.PositiveSmallIntegerField(_("largest visit group"), default=5)
    source_text = models.TextField(_("plan text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issue_date", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_for_submissions(self) -> bool:
        return self.status == self.Status.ACTIVE


class Participant(models.Model):
    """A unit taking part in a campaign (the scope, materialised so roll-ups are one join)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="participations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="uniq_participant")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.unit_id}"


class KeyTask(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="key_tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Phase(models.Model):
    """A phase (阶段) with resolved dates and the plan's own wording beside them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    start_text = models.CharField(_("start as written"), max_length=60, blank=True)
    end_text = models.CharField(_("end as written"), max_length=60, blank=True)
    tasks = models.TextField(_("tasks of the phase"), blank=True)
    inherited_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )

    class Meta:
        ordering = ["order", "starts_on", "id"]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: datetime.date) -> bool:
        return self.starts_on <= today <= self.ends_on


class LeadershipMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")
        OFFICE_DIRECTOR = "office_director", _("Office director")
        OFFICE_STAFF = "office_staff", _("Office staff")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="leadership")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leadership_roles",
    )
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class Attachment(BaseModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="campaigns/%Y/%m/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.original_name
