"""Contact assignments, visit records with their checklists, quotas and the study log (DOMAIN §6)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign
from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit, Person, Place


class ContactAssignment(BaseModel):
    """Who is paired with what in a campaign (联系点 / 包联 / 结对 / 网格包干)."""

    class Kind(models.TextChoices):
        LEADER_UNIT = "leader_unit", _("Bureau leader visits unit")
        LEADER_LIAISON = "leader_liaison", _("Bureau leader's liaison unit")
        UNIT_PLACE = "unit_place", _("Unit paired with village or enterprise")
        DOCTOR_GRID = "doctor_grid", _("Responsible doctor for grid cell")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="contact_assignments"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # The side that visits: a person (leader, doctor) or a unit.
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_assignments",
    )
    # The side that is visited: a unit or a place.
    target_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("visited unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacted_by",
    )
    target_place = models.ForeignKey(
        Place,
        verbose_name=_("visited place"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contacted_by",
    )
    # The plan's own wording of the target (e.g. "及其管辖乡、镇卫生院").
    target_text = models.CharField(_("as written"), max_length=200, blank=True)
    post = models.CharField(_("post"), max_length=60, blank=True)

    class Meta:
        ordering = ["campaign", "kind", "id"]
        verbose_name = _("contact assignment")
        verbose_name_plural = _("contact assignments")

    def __str__(self) -> str:
        who = self.person or self.unit
        what = self.target_unit or self.target_place
        return f"{who} → {what}"


class ChecklistTemplate(BaseModel):
    """A checklist the plan prescribes for a kind of target; built-ins ship as data."""

    class Target(models.TextChoices):
        VILLAGE = "village", _("Village or community")
        ENTERPRISE = "enterprise", _("Enterprise")
        UNIT = "unit", _("Unit level")
        ANY = "any", _("Any")

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    target = models.CharField(_("target"), max_length=12, choices=Target.choices)
    # [{"key": "visit_poor", "text": "走访贫困户", "kind": "check" | "text"}, ...]
    items = models.JSONField(_("items"), default=list)
    builtin = models.BooleanField(default=False)
    # Null for the built-ins; a campaign office may define its own for a campaign.
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="checklists"
    )

    class Meta:
        ordering = ["-builtin", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="uniq_checklist_code")
        ]

    def __str__(self) -> str:
        return self.name


class VisitSettings(models.Model):
    """Per-campaign visit settings beside the campaign's own group limit."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="visit_settings"
    )
    keep_photo_location = models.BooleanField(_("keep photo location"), default=False)

    def __str__(self) -> str:
        return f"visit settings {self.campaign_id}"


class Visit(BaseModel):
    """A visit record (走访记录 / 民情日记)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="visits")
    # The visiting unit: the record belongs to its subtree.
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("date"))
    visitors = models.ManyToManyField(Person, verbose_name=_("visit group"), related_name="visits")
    places = models.ManyToManyField(Place, verbose_name=_("places visited"), related_name="visits")
    target_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit visited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_received",
    )
    # What kind of target the visit went to (village, enterprise or unit), set from its
    # places when it is logged: quotas and the ledger count by it without joining places.
    target_kind = models.CharField(
        _("visited"), max_length=12, choices=ChecklistTemplate.Target.choices, blank=True
    )
    checklist = models.ForeignKey(
        ChecklistTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {"<item key>": true | "text"}
    checklist_answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    problems_found = models.TextField(_("problems found"), blank=True)
    discipline_affirmed = models.BooleanField(_("discipline rules kept"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "date"], name="visit_campaign_date")]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.date} {self.unit}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    original = models.ImageField(upload_to="visits/originals/%Y/%m/")
    display = models.ImageField(upload_to="visits/display/%Y/%m/")
    original_name = models.CharField(max_length=255)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.original_name


class Quota(BaseModel):
    """At least / at most N of an activity per person, unit or leader per period (定额)."""

    class Activity(models.TextChoices):
        VISIT_VILLAGE = "visit_village", _("Visits to contact villages")
        VISIT_ENTERPRISE = "visit_enterprise", _("Visits to enterprises")
        VISIT_ANY = "visit_any", _("Visits")
        STUDY_SELF = "study_self", _("Self-study hours")
        STUDY_COLLECTIVE = "study_collective", _("Collective study hours")

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", _("at least")
        AT_MOST = "<=", _("at most")

    class Subject(models.TextChoices):
        PERSON = "person", _("per staff member")
        LEADER = "leader", _("per bureau leader")
        UNIT = "unit", _("per unit")

    class Period(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")
        CAMPAIGN = "campaign", _("over the campaign")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="quotas")
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    number = models.DecimalField(_("number"), max_digits=8, decimal_places=1)
    subject = models.CharField(_("counted"), max_length=8, choices=Subject.choices)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    text = models.CharField(_("as written"), max_length=200, blank=True)

    class Meta:
        ordering = ["campaign", "activity", "id"]

    def __str__(self) -> str:
        return self.text or f"{self.activity} {self.comparator} {self.number}"


class StudyRecord(BaseModel):
    """Study log (学习记录): hours of self or collective study."""

    class Kind(models.TextChoices):
        SELF = "self", _("Self-study")
        COLLECTIVE = "collective", _("Collective study")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="study_records")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="study_records"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.date} {self.hours}"


class VisitReport(BaseModel):
    """A unit's visit report for a campaign, drafted from its visits, then submitted."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visit_reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="visit_reports")
    text = models.TextField(_("text"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission = models.ForeignKey(
        "submissions.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="uniq_visit_report")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.unit}"
