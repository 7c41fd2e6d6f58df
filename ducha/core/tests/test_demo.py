import datetime
import io
import re
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ducha.audit.models import AuditEntry
from ducha.audit.services import audit_verify
from ducha.core import demo_data as data
from ducha.core.demo import id_check_digit
from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Person, Place, Post, Role, RoleAssignment

User = get_user_model()


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    # Hashing speed is not under test; the demo hashes seven passwords per run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def printed_accounts(output: str) -> dict[str, tuple[str, str]]:
    """username → (password, role) from the table load_demo prints."""
    accounts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in dict(data.ACCOUNTS):
            accounts[parts[0]] = (parts[1], parts[2])
    return accounts


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (OrgUnit, Person, Post, RoleAssignment, Place, User, AuditEntry)
    }


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def test_it_builds_the_district_tree_of_the_plan(db, demo_settings):
    load_demo()

    province, city, district = unit("ZJ"), unit("TZ"), unit("HY")
    assert district.name == "台州市黄岩区卫生局"
    assert (province.parent, city.parent, district.parent) == (None, province, city)
    assert district.path == f"/{province.pk}/{city.pk}/{district.pk}/"
    assert district.depth == 2
    # Every unit of the leaders' visiting table (attachment 2) is found by the subtree query.
    below = OrgUnit.objects.filter(path__startswith=district.path).exclude(pk=district.pk)
    visited = {code for codes in data.LEADER_VISITS.values() for code in codes}
    assert visited <= set(below.values_list("code", flat=True))
    assert unit("HY-TYY").short_name == "台一医"
    # "宁溪中心卫生院及其管辖乡、镇卫生院": the township centres sit under their central centre.
    ningxi = unit("HY-NX")
    under_ningxi = OrgUnit.objects.filter(path__startswith=ningxi.path).exclude(pk=ningxi.pk)
    assert set(under_ningxi.values_list("name", flat=True)) == {
        "上垟乡卫生院",
        "屿头乡卫生院",
        "富山乡卫生院",
    }
    assert {u.kind for u in below} >= {
        OrgUnit.Kind.HOSPITAL,
        OrgUnit.Kind.TOWNSHIP_CENTRE,
        OrgUnit.Kind.CDC,
        OrgUnit.Kind.SUPERVISION,
        OrgUnit.Kind.MATERNAL_CHILD,
        OrgUnit.Kind.DEPARTMENT,
    }
    for u in OrgUnit.objects.select_related("parent"):
        parent_path = u.parent.path if u.parent else "/"
        assert u.path == f"{parent_path}{u.pk}/", u.code
        assert u.depth == (u.parent.depth + 1 if u.parent else 0), u.code


def test_it_gives_the_plans_leaders_their_posts_and_roles(db, demo_settings):
    load_demo()

    district = unit("HY")
    jiang = Person.objects.get(name="蒋海峰")
    assert list(jiang.posts.values_list("title", flat=True)) == ["党委书记", "局长"]
    assert set(jiang.roles.values_list("role", flat=True)) == {Role.BUREAU_LEADER, Role.UNIT_HEAD}
    huang = Person.objects.get(name="黄洪")
    assert "纪委书记" in huang.posts.values_list("title", flat=True)
    assert huang.roles.filter(role=Role.CAMPAIGN_OFFICE, unit=district).exists()
    leaders = RoleAssignment.objects.filter(role=Role.BUREAU_LEADER, unit=district)
    assert set(leaders.values_list("person__name", flat=True)) == {n for n, *_ in data.LEADERS}
    # Each unit below the bureau (its sections aside) has exactly one head; non-departments
    # also one coordinator and 8–20 staff.
    sections = {code for code, *_ in data.BUREAU_SECTIONS}
    for u in OrgUnit.objects.filter(path__startswith=district.path).exclude(pk=district.pk):
        if u.code in sections:
            continue
        roles = RoleAssignment.objects.filter(unit=u)
        assert roles.filter(role=Role.UNIT_HEAD).count() == 1, u.code
        if u.kind != OrgUnit.Kind.DEPARTMENT:
            assert roles.filter(role=Role.COORDINATOR).count() == 1, u.code
            assert 8 <= roles.filter(role=Role.STAFF).count() <= 20, u.code
    assert Person.objects.filter(is_party_member=True).exists()
    assert Person.objects.filter(is_party_member=False).exists()


def test_it_records_the_demo_in_the_audit_log(db, demo_settings):
    load_demo()

    unit_entries = AuditEntry.objects.filter(action="create", object_type="orgs.orgunit")
    assert unit_entries.count() == OrgUnit.objects.count()
    imports = dict(
        AuditEntry.objects.filter(action="import").values_list("object_type", "after__count")
    )
    assert imports == {
        "orgs.person": Person.objects.count(),
        "orgs.post": Post.objects.count(),
        "orgs.roleassignment": RoleAssignment.objects.count(),
        "orgs.place": Place.objects.count(),
    }
    assert audit_verify().ok


def test_it_makes_places_with_well_formed_personal_data(db, demo_settings):
    load_demo()

    # The example of GB 11643-1999 itself.
    assert id_check_digit("11010519491231002") == "X"
    households = Place.objects.filter(kind=Place.Kind.HOUSEHOLD)
    assert set(households.values_list("household_kind", flat=True)) == {
        Place.HouseholdKind.POOR,
        Place.HouseholdKind.VETERAN_PARTY_MEMBER,
        Place.HouseholdKind.PETITIONER,
    }
    for h in households:
        assert re.fullmatch(r"331003\d{11}[\dX]", h.id_number), h.id_number
        datetime.datetime.strptime(h.id_number[6:14], "%Y%m%d")
        assert h.id_number[17] == id_check_digit(h.id_number[:17])
        assert re.fullmatch(r"1[3-9]\d{9}", h.phone), h.phone
        assert h.parent.kind in (Place.Kind.VILLAGE, Place.Kind.COMMUNITY)
        assert h.unit.kind == OrgUnit.Kind.TOWNSHIP_CENTRE
    cells = Place.objects.filter(kind=Place.Kind.GRID_CELL).select_related("responsible_doctor")
    assert cells.exists()
    for cell in cells:
        doctor = cell.responsible_doctor
        assert doctor is not None and doctor.unit_id == cell.unit_id, cell.code
        assert doctor.posts.filter(title__in=data.DOCTOR_POSTS).exists()
    assert Place.objects.filter(kind=Place.Kind.ENTERPRISE).count() >= len(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.TOWNSHIP_CENTRE)
    )


def test_the_printed_accounts_can_log_in(db, demo_settings, client):
    output = load_demo()

    accounts = printed_accounts(output)
    assert set(accounts) == {username for username, _role in data.ACCOUNTS}
    path = demo_settings.VAR_DIR / "demo-accounts.txt"
    assert path.read_text(encoding="utf-8") in output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for username, (password, role) in accounts.items():
        assert len(password) >= 10
        client.logout()
        response = client.post(reverse("web-login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert response["Location"] == reverse("web-home")
        user = User.objects.get(username=username)
        assert client.session["_auth_user_id"] == str(user.pk)
        assert RoleAssignment.objects.filter(person__user=user, role=role).exists(), username
    assert User.objects.get(username="admin").is_superuser
    # A wrong password is refused, so the check above can fail.
    client.logout()
    response = client.post(reverse("web-login"), {"username": "staff", "password": "wrong-One-1"})
    assert response.status_code == 200


def test_a_second_run_changes_nothing_and_prints_the_accounts(db, demo_settings):
    first = load_demo()
    before = counts()
    hashes = dict(User.objects.values_list("username", "password"))

    second = load_demo()

    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert printed_accounts(second) == printed_accounts(first)


def test_it_leaves_a_database_with_other_data_alone(db, demo_settings):
    User.objects.create_user("someone")

    output = load_demo()

    assert "empty database" in output
    assert not OrgUnit.objects.exists()
    assert not (demo_settings.VAR_DIR / "demo-accounts.txt").exists()


def test_a_coordinator_sees_only_the_people_of_their_own_unit(db, demo_settings):
    load_demo()

    coordinator = User.objects.get(username="coordinator")
    ningxi, shangyang, beiyang = unit("HY-NX"), unit("HY-SYX"), unit("HY-BY")
    seen = access.people_for_user(coordinator)
    assert seen.filter(unit=ningxi).count() == Person.objects.filter(unit=ningxi).count() > 0
    # Its subordinate township centre is in its subtree; a sibling central centre is not.
    assert seen.filter(unit=shangyang).exists()
    assert not seen.filter(unit__path__startswith=beiyang.path).exists()
    assert not seen.filter(unit=unit("HY-TYY")).exists()
    assert not seen.filter(name="蒋海峰").exists()
    # And the other way round: the coordinator of 上垟 doesn't see 宁溪's own staff.
    other = Person.objects.get(unit=shangyang, roles__role=Role.COORDINATOR)
    other.user = User.objects.create_user("shangyang")
    other.save()
    assert not access.people_for_user(other.user).filter(unit=ningxi).exists()
    assert access.people_for_user(other.user).filter(unit=shangyang).exists()
