"""What the three ledgers share: the ledger description, reading a row's cells with one error
per bad cell, and look-ups by code in chunks (a query per chunk of codes, never per row)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from .readers import (
    CellError,
    Column,
    RowError,
    cell_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
)

# Rows per INSERT/UPDATE; SQLite lowers it further to stay under its 999 parameters.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Ledger:
    """One importable and exportable list: org units, people or places."""

    kind: str  # as in the URL: units, people, places
    name: str  # fixed Chinese name of the sheet and the file, e.g. 组织机构
    title: Any  # lazy translation, shown on the page
    model: type[Model]
    import_cap: str
    columns: tuple[Column, ...]
    validate: Callable[..., tuple[Any, list[RowError]]]
    write: Callable[..., Written]
    export_rows: Callable[..., Iterator[list]]

    @property
    def object_type(self) -> str:
        return self.model._meta.label_lower


@dataclass
class Written:
    count: int
    codes: list[str]
    unit_path: str


@dataclass
class ImportResult:
    filename: str
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class RowReader:
    """The cells of one data row, read by column key; a bad cell adds one RowError and reads
    as None, so every problem of the row is reported at once."""

    def __init__(self, number: int, values: dict[str, Any], columns: dict[str, Column]):
        self.number = number
        self.values = values
        self.columns = columns
        self.errors: list[RowError] = []

    def error(self, key: str, reason: str) -> None:
        column = self.columns.get(key)
        self.errors.append(RowError(self.number, column.header if column else "", reason))

    def raw(self, key: str):
        return self.values.get(key)

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = cell_text(self.values.get(key))
        if required and not value:
            self.error(key, _("This cell must be filled in."))
        elif max_length is not None and len(value) > max_length:
            self.error(
                key,
                _("At most %(max)s characters, this has %(n)s.")
                % {"max": max_length, "n": len(value)},
            )
            return ""
        return value

    def _typed(self, key: str, parser, *args):
        try:
            return parser(self.values.get(key), *args)
        except CellError as exc:
            self.error(key, str(exc))
            return None

    def int(self, key: str) -> int | None:
        return self._typed(key, parse_int)

    def bool(self, key: str) -> bool | None:
        return self._typed(key, parse_bool)

    def date(self, key: str):
        return self._typed(key, parse_date)

    def choice(self, key: str, names: dict[str, str], *, required: bool = False) -> str | None:
        value = self._typed(key, parse_choice, names)
        if value is None and required and not self.errors_for(key):
            self.error(key, _("This cell must be filled in."))
        return value

    def errors_for(self, key: str) -> list[RowError]:
        header = self.columns[key].header
        return [e for e in self.errors if e.column == header]


def lazy_format(message, **values):
    """`message % values`, translated when shown rather than when the module is imported."""
    return lazy(lambda: str(message) % values, str)()


def columns_by_key(columns: Iterable[Column]) -> dict[str, Column]:
    return {c.key: c for c in columns}


def choice_names(choices, fixed: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Accepted names of a TextChoices: the fixed Chinese names offices write (`fixed` maps a
    value to its names; exports write the first), the stored value, and the label in Chinese
    and English, whatever language the page is in."""
    from django.utils import translation

    names: dict[str, str] = {}
    for value, aliases in fixed.items():
        for name in aliases:
            names.setdefault(name, value)
    for value, label in choices.choices:
        names.setdefault(value, value)
        for language in ("zh-hans", "en"):
            with translation.override(language):
                text = str(label)
            names.setdefault(text, value)
            names.setdefault(text.lower(), value)
    return names


def chunked(items: list, size: int | None = None) -> Iterator[list]:
    size = size or chunk_size()
    for start in range(0, len(items), size):
        yield items[start : start + size]


def chunk_size() -> int:
    """Codes per `IN (…)` look-up, under the database's limit on query parameters."""
    limit = connection.features.max_query_params or 5000
    return max(100, min(5000, limit - 50))


def fetch_by_code(queryset: QuerySet, codes: Iterable[str]) -> dict[str, Any]:
    """{code: record} for the codes found in `queryset`: one query per chunk of codes."""
    wanted = sorted(set(codes))
    found: dict[str, Any] = {}
    for chunk in chunked(wanted):
        for obj in queryset.filter(code__in=chunk):
            found[obj.code] = obj
    return found


def ensure_pks(objs: list) -> None:
    """Backends that can't return ids from a bulk INSERT: read them back by code."""
    if not objs or all(o.pk for o in objs):
        return
    model = type(objs[0])
    ids = dict(
        pair
        for chunk in chunked([o.code for o in objs])
        for pair in model.objects.filter(code__in=chunk).values_list("code", "id")
    )
    for obj in objs:
        obj.pk = ids[obj.code]


def existing_codes(model: type[Model], codes: Iterable[str]) -> set[str]:
    """Codes already taken, anywhere: codes are unique across the whole system."""
    wanted = sorted(set(codes))
    taken: set[str] = set()
    for chunk in chunked(wanted):
        taken.update(model.objects.filter(code__in=chunk).values_list("code", flat=True))
    return taken


def duplicate_errors(rows, key: str, header: str) -> tuple[dict[str, int], list[RowError]]:
    """First row number of each code, and an error for every later row repeating it."""
    first: dict[str, int] = {}
    errors: list[RowError] = []
    for row in rows:
        code = getattr(row, key)
        if not code:
            continue
        if code in first:
            errors.append(
                RowError(
                    row.number,
                    header,
                    _(
                        "The code “%(code)s” appears more than once in the file (first on row %(row)s)."
                    )
                    % {"code": code, "row": first[code]},
                )
            )
        else:
            first[code] = row.number
    return first, errors


def levels(codes_to_parent: dict[str, str | None]) -> tuple[dict[str, int], set[str]]:
    """For rows whose parent is another row of the file: how many of those parents stand above
    each row (0 = its parent is already in the database), and the codes caught in a loop."""
    level: dict[str, int] = {}
    looped: set[str] = set()
    for start in codes_to_parent:
        chain: list[str] = []
        on_chain: set[str] = set()
        code: str | None = start
        while code is not None and code not in level and code not in looped:
            if code in on_chain:
                looped.update(chain[chain.index(code) :])
                break
            chain.append(code)
            on_chain.add(code)
            parent = codes_to_parent.get(code)
            code = parent if parent in codes_to_parent else None
        for code in reversed(chain):
            if code in looped:
                continue
            parent = codes_to_parent.get(code)
            if parent in looped:
                looped.add(code)
            elif parent in codes_to_parent:
                level[code] = level[parent] + 1
            else:
                level[code] = 0
    return level, looped


def common_path(paths: Iterable[str]) -> str:
    """The deepest unit path that contains all of `paths` ("" when they share no root)."""
    common: list[str] | None = None
    for path in paths:
        parts = [p for p in path.split("/") if p]
        if common is None:
            common = parts
            continue
        size = 0
        while size < min(len(common), len(parts)) and common[size] == parts[size]:
            size += 1
        common = common[:size]
    if not common:
        return ""
    return "/" + "/".join(common) + "/"
