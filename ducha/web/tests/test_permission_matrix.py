"""Every role × every list, detail, create, update and delete route of the UI and the API.

One cast, one set of records in 东湖区人民医院 (the hospital), and a spec written here, apart
from access.py, of what each role may do. Each case checks the status, and for refused writes
that the database is exactly as before, so nothing outside a role's rights can be read or
written, whether through a link or a guessed id.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ducha.audit.services import audit_record
from ducha.orgs.models import OrgUnit, Person, Place, Role, RoleAssignment
from ducha.orgs.tests.factories import HouseholdFactory, make_member

User = get_user_model()

# What each role may do at the hospital (DOMAIN §1), independent of access.py's table.
SPEC = {
    "admin": {"view", "units", "people", "places", "accounts", "audit"},
    "office": {"view", "places"},
    "leader": {"view"},
    "head": {"view", "people"},
    "coordinator": {"view", "people", "places"},
    "staff": {"view"},
    "inspector": {"view"},
    "carol": set(),  # a coordinator in the other county: the hospital is outside her scope
}
ROLES = {
    "admin": ("city", Role.SYSTEM_ADMIN),
    "office": ("county", Role.CAMPAIGN_OFFICE),
    "leader": ("county", Role.BUREAU_LEADER),
    "head": ("hospital", Role.UNIT_HEAD),
    "coordinator": ("hospital", Role.COORDINATOR),
    "staff": ("hospital", Role.STAFF),
    "inspector": ("county", Role.INSPECTOR),
    "carol": ("other_hospital", Role.COORDINATOR),
}


@pytest.fixture
def cast(tree):
    users = {
        name: make_member(f"m_{name}", getattr(tree, where), role, name=name).user
        for name, (where, role) in ROLES.items()
    }
    target = make_member("target", tree.hospital, Role.STAFF, name="目标人员")
    household = HouseholdFactory(
        code="HHX",
        name="李小红户",
        unit=tree.hospital,
        id_number="330102199002023456",
        phone="13900001111",
    )
    entry = audit_record(
        actor=None,
        action="update",
        object_type="orgs.orgunit",
        object_id=str(tree.hospital.pk),
        unit_path=tree.hospital.path,
    )
    records = {
        "unit": tree.hospital,
        "leaf": tree.department,
        "person": target,
        "place": household,
        "role": target.roles.get(),
        "entry": entry,
        "new_parent": tree.hospital2,
    }
    return users, records


def fingerprint():
    return (
        list(OrgUnit.objects.order_by("pk").values_list("pk", "code", "name", "path", "is_active")),
        list(Person.objects.order_by("pk").values_list("pk", "code", "name", "unit_id", "phone")),
        list(Place.objects.order_by("pk").values_list("pk", "code", "name", "unit_id", "address")),
        list(RoleAssignment.objects.order_by("pk").values_list("pk", "person_id", "role")),
        list(User.objects.order_by("pk").values_list("pk", "is_active", "password")),
    )


# --- the routes ----------------------------------------------------------------------------
# (id, method, url(records), payload(records, tree) or None, what it needs)


def _u(name, key=None):
    return lambda r: reverse(name, args=[r[key].pk]) if key else reverse(name)


UI_READS = [
    ("unit-detail", _u("orgs-unit-detail", "unit"), "view"),
    ("unit-children", _u("orgs-unit-children", "unit"), "view"),
    ("person-detail", _u("orgs-person-detail", "person"), "view"),
    ("place-detail", _u("orgs-place-detail", "place"), "view"),
    ("audit-detail", lambda r: reverse("audit-entry-detail", args=[r["entry"].seq]), "audit"),
    ("account-page", _u("accounts-account-create", "person"), "accounts"),
    ("unit-create-form", _u("orgs-unit-create", "unit"), "units"),
    ("unit-update-form", _u("orgs-unit-update", "unit"), "units"),
    ("unit-move-form", _u("orgs-unit-move", "unit"), "units"),
    ("unit-delete-form", _u("orgs-unit-delete", "leaf"), "units"),
    ("person-update-form", _u("orgs-person-update", "person"), "people"),
    ("person-delete-form", _u("orgs-person-delete", "person"), "people"),
    ("place-update-form", _u("orgs-place-update", "place"), "places"),
    ("place-delete-form", _u("orgs-place-delete", "place"), "places"),
]

UI_WRITES = [
    (
        "unit-create",
        _u("orgs-unit-create", "unit"),
        lambda r: {
            "code": "NEW1",
            "name": "新科室",
            "kind": "department",
            "sort_order": 0,
            "is_active": "on",
        },
        "units",
    ),
    (
        "unit-update",
        _u("orgs-unit-update", "unit"),
        lambda r: {
            "code": r["unit"].code,
            "name": "改名医院",
            "kind": "hospital",
            "sort_order": 0,
            "is_active": "on",
        },
        "units",
    ),
    (
        "unit-move",
        _u("orgs-unit-move", "leaf"),
        lambda r: {"new_parent": r["new_parent"].pk},
        "units",
    ),
    ("unit-delete", _u("orgs-unit-delete", "leaf"), lambda r: {}, "units"),
    (
        "person-create",
        lambda r: reverse("orgs-person-create") + f"?unit={r['unit'].pk}",
        lambda r: {"code": "NEWP", "name": "新人", "unit": r["unit"].pk, "posts": "医生"},
        "people",
    ),
    (
        "person-update",
        _u("orgs-person-update", "person"),
        lambda r: {"code": r["person"].code, "name": "改名", "unit": r["unit"].pk, "posts": ""},
        "people",
    ),
    ("person-delete", _u("orgs-person-delete", "person"), lambda r: {}, "people"),
    (
        "place-create",
        lambda r: reverse("orgs-place-create") + f"?unit={r['unit'].pk}",
        lambda r: {"code": "NEWV", "name": "新村", "kind": "village", "unit": r["unit"].pk},
        "places",
    ),
    (
        "place-update",
        _u("orgs-place-update", "place"),
        lambda r: {
            "code": r["place"].code,
            "name": "改名户",
            "kind": "household",
            "household_kind": "poor",
            "unit": r["unit"].pk,
            "address": "新地址 8 号",
        },
        "places",
    ),
    ("place-delete", _u("orgs-place-delete", "place"), lambda r: {}, "places"),
    (
        "account-disable",
        _u("accounts-account-active", "person"),
        lambda r: {"active": "0"},
        "accounts",
    ),
    (
        "account-password",
        _u("accounts-account-password", "person"),
        lambda r: {"password1": "Brand-New-Pass-77", "password2": "Brand-New-Pass-77"},
        "accounts",
    ),
    (
        "role-assign",
        _u("accounts-role-assign", "person"),
        lambda r: {"unit": r["unit"].pk, "role": "coordinator"},
        "accounts",
    ),
    ("role-revoke", _u("accounts-role-revoke", "role"), lambda r: {}, "accounts"),
]

API_READS = [
    ("api-unit", lambda r: f"/api/orgs/units/{r['unit'].pk}", "view"),
    ("api-unit-children", lambda r: f"/api/orgs/units/{r['unit'].pk}/children", "view"),
    ("api-person", lambda r: f"/api/orgs/people/{r['person'].pk}", "view"),
    ("api-place", lambda r: f"/api/orgs/places/{r['place'].pk}", "view"),
]

API_WRITES = [
    (
        "api-unit-create",
        "post",
        lambda r: "/api/orgs/units",
        lambda r: {
            "parent_id": r["unit"].pk,
            "code": "NEW1",
            "name": "新科室",
            "kind": "department",
        },
        "units",
    ),
    (
        "api-unit-update",
        "patch",
        lambda r: f"/api/orgs/units/{r['unit'].pk}",
        lambda r: {"name": "改名医院"},
        "units",
    ),
    (
        "api-unit-move",
        "post",
        lambda r: f"/api/orgs/units/{r['leaf'].pk}/move",
        lambda r: {"parent_id": r["new_parent"].pk},
        "units",
    ),
    ("api-unit-delete", "delete", lambda r: f"/api/orgs/units/{r['leaf'].pk}", None, "units"),
    (
        "api-person-create",
        "post",
        lambda r: "/api/orgs/people",
        lambda r: {"unit_id": r["unit"].pk, "code": "NEWP", "name": "新人"},
        "people",
    ),
    (
        "api-person-update",
        "patch",
        lambda r: f"/api/orgs/people/{r['person'].pk}",
        lambda r: {"name": "改名"},
        "people",
    ),
    ("api-person-delete", "delete", lambda r: f"/api/orgs/people/{r['person'].pk}", None, "people"),
    (
        "api-place-create",
        "post",
        lambda r: "/api/orgs/places",
        lambda r: {"unit_id": r["unit"].pk, "code": "NEWV", "name": "新村", "kind": "village"},
        "places",
    ),
    (
        "api-place-update",
        "patch",
        lambda r: f"/api/orgs/places/{r['place'].pk}",
        lambda r: {"address": "新地址 8 号"},
        "places",
    ),
    ("api-place-delete", "delete", lambda r: f"/api/orgs/places/{r['place'].pk}", None, "places"),
]


def _login(client, user):
    client.logout()
    client.force_login(user)


@pytest.mark.parametrize("route_id,url,need", UI_READS, ids=[r[0] for r in UI_READS])
def test_ui_reads(client, cast, route_id, url, need):
    users, records = cast
    wrong = []
    for name, user in users.items():
        _login(client, user)
        status = client.get(url(records)).status_code
        if not SPEC[name]:
            expected = {404, 403} if need in ("audit", "accounts") else {404}
        elif need in SPEC[name]:
            expected = {200}
        else:
            expected = {403}
        if status not in expected:
            wrong.append(f"{name}: {status}, expected {sorted(expected)}")
    assert wrong == []


@pytest.mark.parametrize("route_id,url,payload,need", UI_WRITES, ids=[r[0] for r in UI_WRITES])
def test_ui_writes_are_refused_without_the_right(client, cast, route_id, url, payload, need):
    users, records = cast
    wrong = []
    for name, user in users.items():
        if need in SPEC[name]:
            continue
        _login(client, user)
        before = fingerprint()
        response = client.post(url(records), payload(records))
        # Refused outright, or (for a create naming an out-of-scope unit) a form error.
        ok_status = response.status_code in (403, 404) or (
            route_id.endswith("-create") and response.status_code == 200
        )
        if not ok_status:
            wrong.append(f"{name}: status {response.status_code}")
        if fingerprint() != before:
            wrong.append(f"{name}: the database changed")
    assert wrong == []


@pytest.mark.parametrize("route_id,url,payload,need", UI_WRITES, ids=[r[0] for r in UI_WRITES])
def test_ui_writes_succeed_with_the_right(client, cast, route_id, url, payload, need):
    users, records = cast
    allowed = [name for name in users if need in SPEC[name]]
    assert allowed, "every write route has a role that may use it"
    for name in allowed:
        _login(client, users[name])
        before = fingerprint()
        response = client.post(url(records), payload(records))
        assert response.status_code == 302, (name, response.status_code)
        assert fingerprint() != before, name
        break  # one success per route: the write has happened and the records changed


@pytest.mark.parametrize("route_id,url,need", API_READS, ids=[r[0] for r in API_READS])
def test_api_reads(client, cast, route_id, url, need):
    users, records = cast
    wrong = []
    for name, user in users.items():
        _login(client, user)
        status = client.get(url(records)).status_code
        expected = 200 if need in SPEC[name] else 404
        if status != expected:
            wrong.append(f"{name}: {status}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize(
    "route_id,method,url,payload,need", API_WRITES, ids=[r[0] for r in API_WRITES]
)
def test_api_writes(cast, route_id, method, url, payload, need):
    from django.test import Client

    users, records = cast
    wrong = []
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        before = fingerprint()
        body = json.dumps(payload(records)) if payload else None
        response = getattr(client, method)(url(records), data=body, content_type="application/json")
        if need in SPEC[name]:
            if response.status_code not in (200, 201, 204):
                wrong.append(f"{name}: {response.status_code} {response.content[:200]}")
            # Undo by rolling back is not possible mid-test; later roles see the changed state,
            # so a success ends this route's round.
            break
        expected = {403} if SPEC[name] else {404}
        if route_id.endswith("-create") and not SPEC[name]:
            expected = {404, 422}
        if response.status_code not in expected:
            wrong.append(f"{name}: {response.status_code}, expected {sorted(expected)}")
        if fingerprint() != before:
            wrong.append(f"{name}: the database changed")
    assert wrong == []


@pytest.mark.parametrize("kind", ["units", "people", "places"])
def test_lists_show_only_the_subtree(client, cast, kind):
    users, records = cast
    marker = {"units": "东湖区人民医院", "people": "目标人员", "places": "HHX"}[kind]
    record = records[{"units": "unit", "people": "person", "places": "place"}[kind]]
    page = {"units": "/units/?q=医院", "people": "/people/", "places": "/places/"}[kind]
    for name, user in users.items():
        _login(client, user)
        html = client.get(page).content.decode()
        api_ids = {item["id"] for item in client.get(f"/api/orgs/{kind}").json()["items"]}
        assert (marker in html) == bool(SPEC[name]), name
        assert (record.pk in api_ids) == bool(SPEC[name]), name


def test_household_personal_data_is_masked_for_roles_that_do_not_need_it(client, cast):
    users, records = cast
    needs_it = {"head", "coordinator", "staff"}
    place = records["place"]
    for name, user in users.items():
        if not SPEC[name]:
            continue
        _login(client, user)
        pages = [
            client.get(reverse("orgs-place-detail", args=[place.pk])).content.decode(),
            client.get("/places/").content.decode(),
            client.get(f"/api/orgs/places/{place.pk}").content.decode(),
            client.get("/api/orgs/places").content.decode(),
        ]
        for text in pages:
            assert ("330102199002023456" in text) == (name in needs_it), name
            assert ("13900001111" in text) == (name in needs_it), name
