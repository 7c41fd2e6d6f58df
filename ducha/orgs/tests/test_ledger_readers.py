"""Reading uploaded ledgers: formats, encodings, header rows, bad files and typed cells.

The people and units sheets have no date column (no model field holds one), so the
"bad date" case is tested here, on the typed-cell parser every ledger would use for one.
"""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from ducha.orgs.ledgers.readers import (
    CellError,
    parse_bool,
    parse_date,
    parse_int,
    read_table,
)
from ducha.orgs.ledgers.units import COLUMNS as UNIT_COLUMNS
from ducha.orgs.tests.ledger_files import UNIT_HEADER, xlsx

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
CSV_TEXT = "编码,名称,简称,类型,上级编码,排序\r\nH09,东湖区第二人民医院,区二院,医院,D01,3\r\n"


def read(data: bytes):
    return read_table(io.BytesIO(data), UNIT_COLUMNS)


def refusal(data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        read(data)
    return caught.value


# --- typed cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2024/3/5", datetime.date(2024, 3, 5)),
        ("2024.03.05", datetime.date(2024, 3, 5)),
        ("2024年3月5日", datetime.date(2024, 3, 5)),
        ("20240305", datetime.date(2024, 3, 5)),
        (datetime.datetime(2024, 3, 5, 8, 30), datetime.date(2024, 3, 5)),
        (45356, datetime.date(2024, 3, 5)),  # an Excel serial day number
        ("", None),
        (None, None),
    ],
)
def test_it_reads_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "2023/13/01", "明天", "2024-3", "05/03/2024", -3])
def test_it_refuses_bad_dates(value, english):
    with pytest.raises(CellError) as caught:
        parse_date(value)
    assert "not a valid date" in str(caught.value)


def test_it_reads_whole_numbers_and_refuses_others(english):
    assert parse_int("12") == 12
    assert parse_int(12.0) == 12
    assert parse_int(" 1,200 ") == 1200
    assert parse_int("") is None
    for bad in ("12.5", 12.5, "十二", True):
        with pytest.raises(CellError, match="not a whole number"):
            parse_int(bad)


def test_it_reads_yes_and_no(english):
    assert parse_bool("是") is True
    assert parse_bool("否") is False
    assert parse_bool("Y") is True
    assert parse_bool(True) is True
    assert parse_bool(0) is False
    assert parse_bool("") is None
    with pytest.raises(CellError, match="Enter 是 or 否"):
        parse_bool("也许")


# --- header rows -----------------------------------------------------------------------------


def test_it_finds_the_header_below_a_title_and_keeps_excel_row_numbers(db):
    table = read(
        xlsx(
            [
                ["组织机构台账"],
                [],
                ["序号", *UNIT_HEADER],
                [1, "H09", "第二医院", "", "医院", "D01", 1],
                [],
                [2, "H10", "第三医院", "", "医院", "D01", 2],
            ]
        )
    )
    assert table.header_row == 3
    assert [(n, v["code"]) for n, v in table.rows] == [(4, "H09"), (6, "H10")]


def test_it_accepts_english_header_names(db):
    table = read(
        xlsx([["Code", "Name", "Kind", "Parent code"], ["H09", "第二医院", "医院", "D01"]])
    )
    assert table.rows[0][1]["name"] == "第二医院"


def test_it_reports_a_missing_required_column(english):
    table = read(xlsx([["编码", "简称", "类型", "上级编码"], ["H09", "二院", "医院", "D01"]]))
    assert [(e.row, e.column, e.reason) for e in table.errors] == [
        (1, "名称", "This required column is missing.")
    ]
    assert table.rows == []


def test_it_reports_a_column_given_twice(english):
    table = read(xlsx([[*UNIT_HEADER, "名称"], ["H09", "二院", "", "医院", "D01", 1, "x"]]))
    assert [(e.row, e.column) for e in table.errors] == [(1, "名称")]


def test_it_refuses_a_sheet_without_a_header_row(english):
    error = refusal(xlsx([["a", "b"], [1, 2]]))
    assert "No header row found" in error.messages[0]


def test_it_refuses_a_header_without_rows(english):
    error = refusal(xlsx([UNIT_HEADER, [], [None, "  "]]))
    assert "no data rows" in error.messages[0]


# --- CSV encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("gbk"),
        CSV_TEXT.encode("gb18030"),
        CSV_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
        CSV_TEXT.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode text"
    ],
    ids=["gbk", "gb18030", "utf-8", "utf-8-bom", "utf-16-tabs"],
)
def test_it_reads_csv_in_the_encodings_offices_use(data):
    table = read(data)
    assert table.errors == []
    assert table.rows == [
        (
            2,
            {
                "code": "H09",
                "name": "东湖区第二人民医院",
                "short_name": "区二院",
                "kind": "医院",
                "parent_code": "D01",
                "sort_order": "3",
            },
        )
    ]


def test_it_reads_gb18030_only_characters():
    # 𠀀 (U+20000) exists in GB18030 but not in GBK.
    data = "编码,名称,类型,上级编码\nH09,𠀀医院,医院,D01\n".encode("gb18030")
    assert read(data).rows[0][1]["name"] == "𠀀医院"


# --- files that are not ledgers --------------------------------------------------------------


def test_it_refuses_a_png_renamed_xlsx(english):
    error = refusal(PNG)
    assert "not a spreadsheet" in error.messages[0]
    assert ".png" in error.messages[0]


def test_it_refuses_random_bytes(english):
    data = bytes(range(256)) * 20
    assert "not a spreadsheet" in refusal(data).messages[0]


def test_it_refuses_a_zip_that_is_not_a_workbook(english):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert "not a readable .xlsx" in refusal(out.getvalue()).messages[0]


def test_it_refuses_a_truncated_workbook(english):
    data = xlsx([UNIT_HEADER, ["H09", "二院", "", "医院", "D01", 1]])
    assert "not a readable .xlsx" in refusal(data[: len(data) // 2]).messages[0]


def test_it_explains_old_xls_files(english):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "Excel 97" in refusal(data).messages[0]


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf"])
def test_it_refuses_an_empty_file(data, english):
    error = refusal(data)
    assert (error.code, error.messages) == ("empty", ["The file is empty."])


def test_it_refuses_a_file_over_the_limit_without_reading_it(settings, english):
    settings.IMPORT_MAX_BYTES = 1000
    data = (CSV_TEXT * 100).encode("utf-8")
    error = refusal(data)
    assert error.code == "too_large"
