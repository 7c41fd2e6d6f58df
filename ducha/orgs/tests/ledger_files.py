"""Spreadsheets made in memory for the ledger tests."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.orgs.ledgers import services
from ducha.orgs.ledgers.readers import read_table

UNIT_HEADER = ["编码", "名称", "简称", "类型", "上级编码", "排序"]
PERSON_HEADER = ["工号", "姓名", "性别", "单位编码", "职务", "党员"]
PLACE_HEADER = [
    "编码",
    "名称",
    "类型",
    "责任单位编码",
    "所属地点编码",
    "地址",
    "户类型",
    "联系人",
    "身份证号",
    "电话",
    "责任医生工号",
    "备注",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: list[list], *, sheet: str = "Sheet1") -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "ledger.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_TYPE)


def run_import(actor, kind: str, rows: list[list], *, name: str = "ledger.xlsx"):
    data = xlsx(rows)
    return services.ledger_import(
        actor=actor, ledger=services.LEDGERS[kind], file=upload(data, name), filename=name
    )


def sheet_rows(data: bytes, *, sheet: int = 0) -> list[tuple]:
    """All rows of a workbook's sheet, as values."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in workbook.worksheets[sheet].iter_rows(values_only=True)]


def table_of(data: bytes, kind: str):
    return read_table(io.BytesIO(data), services.LEDGERS[kind].columns)


def errors_of(result) -> set[tuple[int, str]]:
    """(row, column) of each reported problem."""
    return {(e.row, e.column) for e in result.errors}
