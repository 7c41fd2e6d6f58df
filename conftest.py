"""The small cast every test shares (STYLE §5).

江州市卫生健康委员会 (province commission, root)
└── 黄州市卫生局 city bureau                     ← admin (system admin)
    ├── 东湖区卫生健康局 county bureau            ← Alice (campaign office), Bob (bureau leader)
    │   ├── 东湖区人民医院 hospital              ← Dora (unit coordinator), Sam (staff)
    │   │   └── 内科 department
    │   └── 东湖区中医院 hospital
    └── 西山县卫生健康局 county bureau
        └── 西山县人民医院 hospital              ← Carol (unit coordinator, must be refused)
"""

import pytest

from ducha.orgs.models import OrgUnit, Place, Role
from ducha.orgs.tests.factories import (
    PASSWORD,
    HouseholdFactory,
    OrgUnitFactory,
    PlaceFactory,
    make_member,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing cost is not under test; the password rules are validators, tested apart.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def tree(db):
    root = OrgUnitFactory(code="P00", name="江州市卫生健康委员会", kind=OrgUnit.Kind.COMMISSION)
    city = OrgUnitFactory(code="C01", name="黄州市卫生局", kind=OrgUnit.Kind.BUREAU, parent=root)
    county = OrgUnitFactory(
        code="D01", name="东湖区卫生健康局", kind=OrgUnit.Kind.BUREAU, parent=city
    )
    hospital = OrgUnitFactory(code="H01", name="东湖区人民医院", parent=county)
    department = OrgUnitFactory(
        code="H01-1", name="内科", kind=OrgUnit.Kind.DEPARTMENT, parent=hospital
    )
    hospital2 = OrgUnitFactory(code="H02", name="东湖区中医院", parent=county)
    other_county = OrgUnitFactory(
        code="D02", name="西山县卫生健康局", kind=OrgUnit.Kind.BUREAU, parent=city
    )
    other_hospital = OrgUnitFactory(code="H03", name="西山县人民医院", parent=other_county)
    return type(
        "Tree",
        (),
        {
            "root": root,
            "city": city,
            "county": county,
            "hospital": hospital,
            "department": department,
            "hospital2": hospital2,
            "other_county": other_county,
            "other_hospital": other_hospital,
        },
    )


@pytest.fixture
def admin(tree):
    return make_member("admin", tree.city, Role.SYSTEM_ADMIN, name="管理员").user


@pytest.fixture
def alice(tree):
    return make_member("alice", tree.county, Role.CAMPAIGN_OFFICE, name="艾丽").user


@pytest.fixture
def bob(tree):
    return make_member("bob", tree.county, Role.BUREAU_LEADER, name="鲍勃").user


@pytest.fixture
def dora(tree):
    return make_member("dora", tree.hospital, Role.COORDINATOR, name="多拉").user


@pytest.fixture
def sam(tree):
    return make_member("sam", tree.hospital, Role.STAFF, name="山姆").user


@pytest.fixture
def carol(tree):
    return make_member("carol", tree.other_hospital, Role.COORDINATOR, name="卡罗").user


@pytest.fixture
def village(tree):
    return PlaceFactory(code="V01", name="东湖村", unit=tree.hospital)


@pytest.fixture
def household(tree, village):
    return HouseholdFactory(code="HH01", name="王大明户", unit=tree.hospital, parent=village)


@pytest.fixture
def other_village(tree):
    return PlaceFactory(
        code="V02", name="西山村", unit=tree.other_hospital, kind=Place.Kind.VILLAGE
    )


@pytest.fixture
def english(settings):
    """Responses in English, for tests that read message text."""
    settings.LANGUAGE_CODE = "en"
    return settings
