import factory
from django.contrib.auth import get_user_model

from ducha.orgs.models import OrgUnit, Person, Place, Post, Role, RoleAssignment

User = get_user_model()
PASSWORD = "Correct-Horse-42"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrgUnit.Kind.HOSPITAL
    parent = None
    path = "/"

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        parent = obj.parent
        obj.path = f"{parent.path if parent else '/'}{obj.pk}/"
        obj.depth = parent.depth + 1 if parent else 0
        if create:
            obj.save(update_fields=["path", "depth"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    code = factory.Sequence(lambda n: f"P{n:06d}")
    name = factory.Sequence(lambda n: f"人员{n}")
    unit = factory.SubFactory(OrgUnitFactory)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    person = factory.SubFactory(PersonFactory)
    unit = factory.SelfAttribute("person.unit")
    title = "科员"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    code = factory.Sequence(lambda n: f"PL{n:06d}")
    name = factory.Sequence(lambda n: f"村{n}")
    kind = Place.Kind.VILLAGE
    unit = factory.SubFactory(OrgUnitFactory)


class HouseholdFactory(PlaceFactory):
    kind = Place.Kind.HOUSEHOLD
    household_kind = Place.HouseholdKind.POOR
    name = factory.Sequence(lambda n: f"王{n}户")
    contact_name = "王大明"
    id_number = "330102198001011234"
    phone = "13812345678"


def make_member(username: str, unit: OrgUnit, role: str | None, **person_fields) -> Person:
    """A person with an account and (optionally) a role at `unit`."""
    user = UserFactory(username=username, first_name=person_fields.get("name", username))
    person = PersonFactory(unit=unit, user=user, **person_fields)
    if role:
        RoleAssignment.objects.create(person=person, unit=unit, role=role)
    return person


__all__ = ["PASSWORD", "Role"]
