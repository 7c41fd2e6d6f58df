"""Ledger actions: import a file (all rows or none), export a list, give out the template."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.audit.services import audit_record

from .. import access
from ..access import Cap
from . import people, places, units
from .common import ImportResult, Ledger, common_path
from .export import export_workbook, template_workbook
from .readers import read_table

LEDGERS: dict[str, Ledger] = {
    ledger.kind: ledger for ledger in (units.LEDGER, people.LEDGER, places.LEDGER)
}
# The audit entry names this many of the imported codes; the count covers the rest.
AUDIT_CODES = 50


@dataclass
class ExportFile:
    filename: str
    file: IO[bytes]
    rows: int


def ledger_import(*, actor, ledger: Ledger, file: IO[bytes], filename: str) -> ImportResult:
    """Read the file and check every row; write all rows in one transaction, or none when
    any row is wrong. One audit entry covers the whole import (one per row would cost more
    than the import itself at 10,000 rows). A file that can't be read raises ValidationError."""
    if not access.has_any_cap(actor, ledger.import_cap):
        raise PermissionDenied
    filename = clean_filename(filename)
    table = read_table(file, ledger.columns)
    if table.errors:
        return ImportResult(filename=filename, errors=table.errors)
    plan, errors = ledger.validate(actor=actor, table=table)
    if errors:
        errors.sort(key=lambda e: e.row)
        return ImportResult(filename=filename, rows=len(table.rows), errors=errors)
    try:
        with transaction.atomic():
            written = ledger.write(actor=actor, plan=plan)
            audit_record(
                actor=actor,
                action="import",
                object_type=ledger.object_type,
                object_repr=filename[:200],
                unit_path=written.unit_path,
                after={
                    "file": filename,
                    "rows": written.count,
                    "codes": written.codes[:AUDIT_CODES],
                },
            )
    except IntegrityError:
        # Another import or edit took one of the codes after the check above.
        raise ValidationError(
            _(
                "Some of these codes were taken while the file was being checked. Nothing was "
                "imported; upload the file again to see which."
            ),
            code="race",
        ) from None
    return ImportResult(filename=filename, rows=len(table.rows), created=written.count)


def ledger_export(*, actor, ledger: Ledger) -> ExportFile:
    """The records the actor may see, as .xlsx, households masked where the actor may not
    read personal data; recorded as one "export" audit entry."""
    if not access.has_any_cap(actor, Cap.VIEW):
        raise PermissionDenied
    now = timezone.localtime()
    username = getattr(actor, "username", "")
    title = f"{ledger.name}台账（{username} 导出于 {now:%Y-%m-%d %H:%M}，第 2 行为表头）"
    file, count = export_workbook(ledger, ledger.export_rows(actor=actor), title=title)
    filename = f"{ledger.name}-{now:%Y%m%d-%H%M}.xlsx"
    audit_record(
        actor=actor,
        action="export",
        object_type=ledger.object_type,
        object_repr=filename,
        unit_path=common_path(access.scope_paths(actor)),
        after={"file": filename, "rows": count},
    )
    return ExportFile(filename=filename, file=file, rows=count)


def ledger_template(*, ledger: Ledger) -> ExportFile:
    return ExportFile(
        filename=f"{ledger.name}-导入模板.xlsx", file=template_workbook(ledger), rows=0
    )


_CONTROL = {chr(c) for c in range(32)} | {"\x7f"}


def clean_filename(name: str) -> str:
    """The uploaded file's own name, for display and the audit log: no folders, no control
    characters, at most 200 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in _CONTROL).strip()
    return name[:200] or "upload"
