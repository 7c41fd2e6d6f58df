import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from ducha.audit import selectors
from ducha.audit.models import AuditEntry
from ducha.audit.services import audit_record
from ducha.orgs import services
from ducha.orgs.models import Role
from ducha.orgs.tests.factories import make_member


@pytest.fixture
def county_admin(tree):
    return make_member("countyadmin", tree.county, Role.SYSTEM_ADMIN).user


@pytest.fixture
def entries(admin, tree):
    ours = services.unit_update(actor=admin, unit=tree.hospital2, sort_order=1)
    theirs = services.unit_update(actor=admin, unit=tree.other_hospital, sort_order=1)
    login = audit_record(actor=admin, action=AuditEntry.Action.LOGIN, object_type="auth.user")
    by_object = {e.object_id: e for e in AuditEntry.objects.filter(action="update")}
    return type(
        "Entries",
        (),
        {"ours": by_object[str(ours.pk)], "theirs": by_object[str(theirs.pk)], "login": login},
    )


def test_it_keeps_entries_inside_the_audit_scope(county_admin, admin, carol, entries):
    assert set(selectors.entries_for_user(county_admin)) == {entries.ours}
    assert set(selectors.entries_for_user(admin)) == {entries.ours, entries.theirs}
    assert not selectors.entries_for_user(carol).exists()


def test_it_shows_superusers_everything(django_user_model, entries):
    root = django_user_model.objects.create_superuser("root", password="Root-Pass-2024")
    assert set(selectors.entries_for_user(root)) == {entries.ours, entries.theirs, entries.login}


def test_it_gets_one_entry_or_404(county_admin, entries):
    assert selectors.audit_entry_get(county_admin, entries.ours.seq) == entries.ours
    for seq in (entries.theirs.seq, 999999, "x"):
        with pytest.raises(Http404):
            selectors.audit_entry_get(county_admin, seq)


def test_it_filters_by_local_day(admin, entries):
    # 2024-03-01 00:30 in Shanghai is still 29 February in UTC.
    at = timezone.make_aware(datetime.datetime(2024, 3, 1, 0, 30))
    AuditEntry.objects.filter(pk=entries.ours.pk).update(at=at)
    day = datetime.date(2024, 3, 1)
    assert list(selectors.audit_entries_list(admin, date_from=day, date_to=day)) == [entries.ours]
    before = datetime.date(2024, 2, 29)
    assert not selectors.audit_entries_list(admin, date_from=before, date_to=before).exists()
