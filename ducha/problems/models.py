"""Problems (问题清单), their routing between levels, rectification (整改) and closing (销号),
commitments (承诺), public disclosure (开门整改) and the opinion box (意见箱). DOMAIN §7, §8, §11."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.campaigns.models import Campaign
from ducha.core.models import BaseModel
from ducha.orgs.models import OrgUnit, Person, Place

# An open rectification turns yellow this many days before its deadline unless set otherwise.
DEFAULT_WARN_DAYS = 7


class Category(BaseModel):
    """A kind of problem. Built-ins ship as data; a campaign office may add its own."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    builtin = models.BooleanField(default=False)
    # The office that added it (its subtree uses it); null for the built-ins.
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")

    def __str__(self) -> str:
        return self.name


class Problem(BaseModel):
    class Source(models.TextChoices):
        VISIT = "visit", _("Visit")
        SELF_INSPECTION = "self_inspection", _("Self-inspection")
        OPINION = "opinion", _("Opinion")
        EVALUATION = "evaluation", _("Evaluation")
        INSPECTION = "inspection", _("Inspection")
        HAZARD_SWEEP = "hazard_sweep", _("Hazard sweep")
        COMPLAINT = "complaint", _("Complaint")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")
        GRAVE = "grave", _("Grave")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        SOLVED_ON_SPOT = "solved_on_spot", _("Solved on the spot")
        ASSIGNED = "assigned", _("Assigned")
        ESCALATED = "escalated", _("Escalated")
        RECTIFYING = "rectifying", _("Being rectified")
        CLAIMED = "claimed", _("Done, awaiting verification")
        CLOSED = "closed", _("Closed")
        INVALID = "invalid", _("Closed as invalid")

    # Nothing found may silently disappear: these are the only ways out (DOMAIN §2).
    FINISHED = (Status.SOLVED_ON_SPOT, Status.CLOSED, Status.INVALID)

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    # The responsible unit: the problem belongs to its subtree; assigning moves it.
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    # Where it was reported; kept when the problem is assigned elsewhere.
    found_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("found at"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="problems"
    )
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR
    )
    # A place or a thing (a broken ramp, a dirty toilet): closing needs a before and an after photo.
    is_physical = models.BooleanField(_("concerns a place or a thing"), default=False)
    place = models.ForeignKey(
        Place,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REPORTED
    )
    # Set while the problem waits with a level above or an outside coordinating body.
    escalated_to = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_body = models.CharField(_("outside coordinating body"), max_length=100, blank=True)
    solution = models.TextField(_("what was done"), blank=True)
    invalid_reason = models.TextField(_("reason"), blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Open rectification (开门整改): the unit writes the public wording, without personal data.
    disclosed = models.BooleanField(_("disclosed to the public"), default=False)
    disclosed_at = models.DateTimeField(null=True, blank=True)
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_text = models.TextField(_("public description"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [models.Index(fields=["status", "unit"]), models.Index(fields=["disclosed"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINISHED

    @property
    def holder_id(self) -> int:
        """The unit that must act now: the level it was escalated to, else the responsible one."""
        return self.escalated_to_id or self.unit_id


class Rectification(BaseModel):
    """Task book, timetable, responsible person (任务书、时间表、责任人)."""

    class Light(models.TextChoices):
        GREEN = "green", _("On track")
        YELLOW = "yellow", _("Deadline near")
        RED = "red", _("Overdue")

    problem = models.OneToOneField(Problem, on_delete=models.PROTECT, related_name="rectification")
    measures = models.TextField(_("measures"))
    target = models.TextField(_("target"))
    deadline = models.DateField(_("deadline"))
    first_deadline = models.DateField(_("first deadline"))
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    responsible_leader = models.ForeignKey(
        Person,
        verbose_name=_("responsible leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_rectifications",
    )
    warn_days = models.PositiveSmallIntegerField(
        _("yellow from (days before the deadline)"),
        default=DEFAULT_WARN_DAYS,
        validators=[MaxValueValidator(90)],
    )
    # deadline - warn_days, kept by the services so lists filter by colour in SQL.
    warn_from = models.DateField(editable=False)
    # "一时解决不了的制定计划、逐步解决": long-term items keep a plan with milestones.
    is_long_term = models.BooleanField(_("long-term"), default=False)
    plan = models.TextField(_("plan"), blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.problem_id} · {self.deadline}"

    def set_deadline(self, deadline: datetime.date) -> None:
        self.deadline = deadline
        self.warn_from = deadline - datetime.timedelta(days=self.warn_days)

    def light(self, today: datetime.date) -> str:
        """Three-colour supervision (三色督办). A claimed item is judged on the day it was
        claimed: the wait for verification is not the unit's delay."""
        day = today
        if self.claimed_at is not None:
            day = min(today, self.claimed_at.date())
        if day > self.deadline:
            return self.Light.RED
        if day >= self.deadline - datetime.timedelta(days=self.warn_days):
            return self.Light.YELLOW
        return self.Light.GREEN

    def is_overdue(self, today: datetime.date) -> bool:
        return self.light(today) == self.Light.RED


class Milestone(models.Model):
    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class Extension(models.Model):
    """An extension request (延期申请); granted or refused by the level above."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="extensions"
    )
    old_deadline = models.DateField(_("current deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rectification"],
                condition=models.Q(status="pending"),
                name="uniq_pending_extension",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rectification_id} → {self.new_deadline}"


class Event(models.Model):
    """The problem's history: every hop, with actor, time and reason. Never edited."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Reported")
        ATTACHED = "attached", _("Files added")
        SOLVED_ON_SPOT = "solved_on_spot", _("Solved on the spot")
        ASSIGNED = "assigned", _("Assigned")
        ESCALATED = "escalated", _("Escalated")
        RECTIFICATION_SET = "rectification_set", _("Rectification set")
        PROGRESS = "progress", _("Progress")
        MILESTONE_DONE = "milestone_done", _("Milestone reached")
        CLAIMED = "claimed", _("Claimed done")
        SENT_BACK = "sent_back", _("Sent back")
        CLOSED = "closed", _("Closed")
        INVALID = "invalid", _("Closed as invalid")
        EXTENSION_REQUESTED = "ext_requested", _("Extension requested")
        EXTENSION_GRANTED = "ext_granted", _("Extension granted")
        EXTENSION_REFUSED = "ext_refused", _("Extension refused")
        DISCLOSED = "disclosed", _("Disclosed")
        WITHDRAWN = "withdrawn", _("Withdrawn from the public page")
        REMINDED = "reminded", _("Overdue reminder sent")
        OVERDUE_ESCALATED = "overdue_escalated", _("Overdue, escalated")

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(db_index=True)
    from_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_body = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    # A progress update the unit chose to show on the public page.
    public = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.kind}"


class Evidence(models.Model):
    """A file or photo attached to a problem's progress, claim or closing."""

    class Kind(models.TextChoices):
        FILE = "file", _("Evidence")
        BEFORE = "before", _("Before photo")
        AFTER = "after", _("After photo")

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="evidence")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.FILE)
    file = models.FileField(upload_to="problems/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Rating(models.Model):
    """The public's rating of a closed, disclosed rectification."""

    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    # A keyed hash of the client's address: one rating per client, and no address kept.
    client = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["problem", "client"], name="uniq_rating_per_client"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.score}"


class Commitment(BaseModel):
    """A unit head's public commitment on a listed problem, a party member's one-sentence
    pledge, or a unit's service commitment; verified as kept or broken (DOMAIN §8)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public commitment")
        PLEDGE = "pledge", _("One-sentence pledge")
        SERVICE = "service", _("Service commitment")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="commitments"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    problem = models.ForeignKey(
        Problem,
        verbose_name=_("problem"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    text = models.CharField(_("commitment"), max_length=500)
    target = models.CharField(_("target"), max_length=300, blank=True)
    responsibility = models.CharField(_("responsibility"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public page"), default=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.text[:60]


class Opinion(BaseModel):
    """An opinion left in a unit's opinion box by anyone, without an account."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ANSWERED = "answered", _("Answered")
        PROBLEM = "problem", _("Registered as a problem")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="opinions"
    )
    text = models.TextField(_("opinion"))
    # Optional, for a reply in person; never published.
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    client = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    problem = models.OneToOneField(
        Problem, null=True, blank=True, on_delete=models.PROTECT, related_name="opinion"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")

    def __str__(self) -> str:
        return self.text[:60]
