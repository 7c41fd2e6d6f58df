"""Org tree, people with posts and roles, and the places they visit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.core.models import BaseModel


class OrgUnit(BaseModel):
    """A node of the org tree. `path` holds the ids from the root ("/1/5/9/") so that a
    whole subtree is one indexed prefix query, whatever its depth."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("Health commission")
        BUREAU = "bureau", _("Health bureau")
        HOSPITAL = "hospital", _("Hospital")
        TOWNSHIP_CENTRE = "township_centre", _("Township health centre")
        COMMUNITY_CENTRE = "community_centre", _("Community health service centre")
        CDC = "cdc", _("Centre for disease control")
        SUPERVISION = "supervision", _("Health supervision institute")
        MATERNAL_CHILD = "maternal_child", _("Maternal and child health centre")
        VILLAGE_CLINIC = "village_clinic", _("Village clinic")
        DEPARTMENT = "department", _("Department")
        OTHER = "other", _("Other unit")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")

    def __str__(self) -> str:
        return self.name

    def is_descendant_of(self, other: "OrgUnit") -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]


class OrgUnitChange(models.Model):
    """Renames and moves of a unit, kept so old bulletins and rankings still read right."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        RENAMED = "renamed", _("Renamed")
        MOVED = "moved", _("Moved")

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_name = models.CharField(max_length=100, blank=True)
    new_name = models.CharField(max_length=100, blank=True)
    old_parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_parent = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind}"


class Person(BaseModel):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    code = models.CharField(_("staff number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_party_member = models.BooleanField(_("party member"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name


class Post(BaseModel):
    """A post (职务) a person holds at a unit; one person may hold several."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("post"), max_length=50)
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "title"], name="uniq_post_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.title}"


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    CAMPAIGN_OFFICE = "campaign_office", _("Campaign office")
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    UNIT_HEAD = "unit_head", _("Unit head")
    COORDINATOR = "coordinator", _("Unit coordinator")
    STAFF = "staff", _("Staff member")
    INSPECTOR = "inspector", _("Inspector")


class RoleAssignment(BaseModel):
    """A role held at a unit: it reaches that unit's whole subtree and nothing outside it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="uniq_role_at_unit")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} @ {self.unit}"


class Place(BaseModel):
    """A place outside the health system that staff visit, under the unit responsible for it."""

    class Kind(models.TextChoices):
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")
        ENTERPRISE = "enterprise", _("Enterprise")
        HOUSEHOLD = "household", _("Household")
        GRID_CELL = "grid_cell", _("Grid cell")

    class HouseholdKind(models.TextChoices):
        POOR = "poor", _("Poor household")
        VETERAN_PARTY_MEMBER = "veteran", _("Veteran party member")
        PETITIONER = "petitioner", _("Petitioner")
        OTHER = "other", _("Other household")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="places"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("located in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    household_kind = models.CharField(
        _("household kind"), max_length=12, choices=HouseholdKind.choices, blank=True
    )
    # Personal data of households (DOMAIN §16): shown only to those who need it.
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    responsible_doctor = models.ForeignKey(
        Person,
        verbose_name=_("responsible doctor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_cells",
    )
    notes = models.TextField(_("notes"), blank=True)

    PERSONAL_FIELDS = ("contact_name", "id_number", "phone")

    class Meta:
        ordering = ["unit__path", "kind", "name", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name

    @property
    def is_household(self) -> bool:
        return self.kind == self.Kind.HOUSEHOLD


class ApiToken(BaseModel):
    """A personal API token; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=50)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
