import pytest
from django.core.management import CommandError, call_command

from ducha.audit.models import AuditEntry
from ducha.orgs import services


@pytest.fixture
def log(admin, tree):
    """Five chained entries written by real actions."""
    for n in range(5):
        services.unit_update(actor=admin, unit=tree.hospital2, sort_order=n + 1)
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) == 5
    return entries


def test_it_passes_an_intact_log(log, capsys):
    call_command("audit", "verify")
    assert "5 entries, chain intact" in capsys.readouterr().out


def test_it_passes_an_empty_log(db, capsys):
    call_command("audit", "verify")
    assert "0 entries" in capsys.readouterr().out


def test_it_fails_after_an_entry_is_edited(log):
    AuditEntry.objects.filter(pk=log[2].pk).update(after={"sort_order": 99})
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_it_fails_after_an_entry_is_edited_with_its_hash_recomputed(log):
    from ducha.audit.services import digest_of

    entry = log[2]
    entry.after = {"sort_order": 99}
    AuditEntry.objects.filter(pk=entry.pk).update(after=entry.after, hash=digest_of(entry))
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_it_fails_after_a_middle_entry_is_deleted(log):
    AuditEntry.objects.filter(pk=log[2].pk).delete()
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_it_fails_after_the_last_entry_is_deleted(log):
    AuditEntry.objects.filter(pk=log[-1].pk).delete()
    with pytest.raises(CommandError):
        call_command("audit", "verify")
