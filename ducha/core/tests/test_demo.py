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
from ducha.campaigns.models import Campaign
from ducha.core import demo_data as data
from ducha.core.demo import CST, PLAN_FILE, id_check_digit
from ducha.orgs import access
from ducha.orgs.models import OrgUnit, Person, Place, Post, Role, RoleAssignment
from ducha.submissions.models import Requirement, Submission
from ducha.visits.models import ContactAssignment, Quota

User = get_user_model()


@pytest.fixture
def demo_settings(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo's submitted files
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
        AuditEntry.objects.filter(action="import", object_type__startswith="orgs.").values_list(
            "object_type", "after__count"
        )
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


# --- the district campaign, imported from the plan -----------------------------------------


def test_the_plans_campaign_is_imported_with_its_real_dates_and_adopted(db, demo_settings):
    load_demo()

    district = unit("HY")
    campaign = Campaign.objects.get(unit=district, parent=None)
    assert campaign.title == "黄岩区卫生系统“进村入企大走访、比学赶创促发展”活动实施意见"
    assert campaign.doc_number == "黄卫发〔2012〕39号"
    assert campaign.issue_date == datetime.date(2012, 4, 18)
    assert campaign.status == Campaign.Status.ACTIVE
    assert campaign.activated_at.astimezone(CST).date() == datetime.date(2012, 4, 18)
    assert campaign.source_text == PLAN_FILE.read_text(encoding="utf-8")
    # The demo's copy of the plan is the seed document, its first line included.
    assert campaign.source_text.startswith(" 台州市黄岩区卫生局（通知）\n黄卫发〔2012〕39号\n")
    requirements = {r.kind: r for r in Requirement.objects.filter(campaign=campaign)}
    summary = requirements[Requirement.Kind.SUMMARY_REPORT]
    assert (summary.due_date, summary.receiver) == (
        datetime.date(2012, 6, 18),
        "区卫生局人事监察科",
    )
    unit_plan = requirements[Requirement.Kind.UNIT_PLAN]
    assert unit_plan.due_date == datetime.date(2012, 4, 30)
    assert "办公室" in unit_plan.due_text  # the plan gives no date: the office set it
    # The leadership group of attachment 1, linked to the demo's people.
    members = list(campaign.leadership.select_related("person"))
    assert len(members) == 13
    assert all(m.person is not None and m.person.name == m.name for m in members)
    assert campaign.leadership.get(role="office_director").person.user.username == "office"
    # Attachment 2's visiting table, matched to the demo's units.
    table = {
        (a.person.name, a.target_unit.code)
        for a in ContactAssignment.objects.filter(campaign=campaign, kind="leader_unit")
    }
    assert table == {(n, code) for n, codes in data.LEADER_VISITS.items() for code in codes}
    quota = Quota.objects.get(campaign=campaign, text="每年不少于2次")
    assert (quota.activity, quota.subject, quota.period) == ("visit_village", "person", "year")
    assert campaign.key_tasks.count() == 7
    assert AuditEntry.objects.filter(action="import", object_id=str(campaign.pk)).exists()
    # 宁溪中心卫生院 made the plan its own for its township centres.
    child = Campaign.objects.get(parent=campaign)
    assert child.unit == unit(data.STORY_UNIT)
    assert child.status == Campaign.Status.ACTIVE
    assert set(child.participants.values_list("unit__name", flat=True)) == {
        "上垟乡卫生院",
        "屿头乡卫生院",
        "富山乡卫生院",
    }
    assert set(child.requirements.values_list("parent__kind", flat=True)) == {
        Requirement.Kind.UNIT_PLAN,
        Requirement.Kind.SUMMARY_REPORT,
    }


def test_the_units_submissions_have_a_spread_of_fates(db, demo_settings):
    load_demo()

    campaign = Campaign.objects.get(unit=unit("HY"), parent=None)
    participants = campaign.participants.count()
    for kind in (Requirement.Kind.UNIT_PLAN, Requirement.Kind.SUMMARY_REPORT):
        submissions = Submission.objects.filter(
            requirement__campaign=campaign, requirement__kind=kind
        )
        on_time = [s for s in submissions if s.on_time]
        late = [s for s in submissions if not s.on_time]
        statuses = {s.status for s in submissions}
        assert on_time and late, kind
        assert statuses == {"submitted", "accepted", "returned"}, kind
        assert 0 < participants - submissions.count() < participants / 4, kind  # missing
        for s in submissions.filter(status="returned"):
            assert s.return_reason and s.correction_due
        # Handed in by the unit's coordinator, by the server's (2012) clock.
        first = submissions.first()
        assert (
            first.versions.first()
            .submitted_by.person.roles.filter(role=Role.COORDINATOR, unit=first.unit)
            .exists()
        )
        assert all(s.first_submitted_at.year == 2012 for s in submissions)
    # A report returned and corrected within the period keeps its first, on-time, submission.
    fixed = Submission.objects.filter(requirement__campaign=campaign, versions__number=2).distinct()
    assert fixed and all(s.on_time and s.counted_at == s.first_submitted_at for s in fixed)
    # The story unit: its plan accepted, its summary returned with a reason.
    ningxi = unit(data.STORY_UNIT)
    mine = {
        s.requirement.kind: s
        for s in Submission.objects.filter(requirement__campaign=campaign, unit=ningxi)
    }
    assert mine[Requirement.Kind.UNIT_PLAN].status == "accepted"
    assert mine[Requirement.Kind.SUMMARY_REPORT].status == "returned"
    assert User.objects.get(username="coordinator").person.unit == ningxi
    # The other units' coordinators have accounts without a password.
    assert not User.objects.get(username="coord-hy-tyy").has_usable_password()
    assert audit_verify().ok


def test_the_campaign_is_supervised_assessed_and_benchmarked(db, demo_settings):
    from ducha.assessment.models import ScoreRelease
    from ducha.assessment.scoring import campaign_ranking
    from ducha.benchmarks.models import Benchmark
    from ducha.inspections.models import Bulletin, InspectionRound

    load_demo()

    campaign = Campaign.objects.get(unit=unit("HY"), parent=None)
    office = User.objects.get(username="office")
    # The indicator system adds up to 100 and every participant has a score in June 2012.
    assert sum(i.weight for i in campaign.indicators.all()) == 100
    june = campaign_ranking(campaign=campaign, period="2012-06", user=office)
    assert june.rows and all(row.score is not None for row in june.rows)
    clean = {
        row.unit.code: next(c.value for c in row.cells if c.indicator.content == "督查无问题率")
        for row in june.rows
    }
    # Inspected with findings, inspected without, not inspected (no data, not 0).
    assert (clean["HY-NX"], clean["HY-FY"], clean["HY-TYY"]) == (0, 100, None)
    # June's joint inspection found problems at two units, each now a problem to rectify.
    inspection = InspectionRound.objects.get(campaign=campaign)
    assert inspection.is_joint and inspection.date == datetime.date(2012, 6, 14)
    assert {f.unit.code for f in inspection.findings.all()} == {"HY-NX", "HY-ZYY"}
    assert all(f.problem.campaign == campaign for f in inspection.findings.all())
    # June's bulletin waits as a draft for the office; June's scores are published.
    bulletin = Bulletin.objects.get(campaign=campaign)
    assert bulletin.period == "2012-06" and not bulletin.is_issued
    assert "宁溪中心卫生院2" in bulletin.body
    release = ScoreRelease.objects.get(campaign=campaign)
    assert release.period == "2012-06" and release.published_at.year == 2012
    # 宁溪 compares itself with a neighbouring district, with sourced values and a measure.
    benchmark = Benchmark.objects.get(unit=unit(data.STORY_UNIT))
    assert benchmark.values.count() == 6 and all(v.source for v in benchmark.values.all())
    assert benchmark.measures.count() == 1
    assert audit_verify().ok
