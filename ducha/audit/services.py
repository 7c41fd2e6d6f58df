"""The only writer of the audit log."""

import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of a record, as JSON-ready data (foreign keys by id)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("created_at", "updated_at", "password"):
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def entry_digest(
    *,
    prev_hash: str,
    seq: int,
    at: str,
    actor_id,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    unit_path: str,
    before,
    after,
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            seq,
            at,
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            object_repr,
            unit_path,
            before,
            after,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def digest_of(entry: AuditEntry) -> str:
    return entry_digest(
        prev_hash=entry.prev_hash,
        seq=entry.seq,
        at=entry.at.isoformat(),
        actor_id=entry.actor_id,
        actor_name=entry.actor_name,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        unit_path=entry.unit_path,
        before=entry.before,
        after=entry.after,
    )


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit_path: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry, chained to the previous one. Runs inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    before = json.loads(json.dumps(before, ensure_ascii=False, default=str)) if before else before
    after = json.loads(json.dumps(after, ensure_ascii=False, default=str)) if after else after
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "username", "") or ""
    with transaction.atomic():
        AuditHead.objects.get_or_create(id=1)
        head = AuditHead.objects.select_for_update().get(id=1)
        # Microseconds are dropped: some databases would round them and break the digest.
        at = timezone.now().replace(microsecond=0)
        seq = head.last_seq + 1
        digest = entry_digest(
            prev_hash=head.last_hash,
            seq=seq,
            at=at.isoformat(),
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            unit_path=unit_path,
            before=before,
            after=after,
        )
        entry = AuditEntry.objects.create(
            seq=seq,
            at=at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            unit_path=unit_path,
            before=before,
            after=after,
            prev_hash=head.last_hash,
            hash=digest,
        )
        head.last_seq, head.last_hash = seq, digest
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass
class VerifyResult:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Walk the chain in order; report gaps, broken links, altered entries and a cut tail."""
    problems: list[str] = []
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{entry.seq - 1} are missing")
        if entry.prev_hash != prev_hash:
            problems.append(f"entry {entry.seq}: link to the previous entry is broken")
        if digest_of(entry) != entry.hash:
            problems.append(f"entry {entry.seq}: content does not match its hash (edited)")
        expected_seq, prev_hash, checked = entry.seq + 1, entry.hash, checked + 1
    head = AuditHead.objects.filter(id=1).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        problems.append(
            f"the log ends at entry {expected_seq - 1} but {head.last_seq} were written "
            "(entries deleted from the end)"
        )
    return VerifyResult(checked=checked, problems=problems)
