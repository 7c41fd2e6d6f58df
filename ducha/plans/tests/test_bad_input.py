import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from ducha.plans.extract import UnsupportedDocument, extract_file, extract_text

ROOT = Path(__file__).resolve().parents[3]
SHARED = (ROOT / "../shared").resolve()
DEV = Path(__file__).resolve().parent / "devset"


def _dev_text(name: str) -> str:
    text = (SHARED / "plans-dev" / f"{name}.txt").read_text(encoding="utf-8")
    return text.split("\n", 1)[1]


def _run(path, *args, capsys):
    """The management command's (exit code, stdout, stderr)."""
    code = 0
    try:
        call_command("extract_plan", str(path), *args)
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_it_refuses_an_empty_file(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    code, out, err = _run(path, capsys=capsys)
    assert code == 2
    assert out == ""
    assert "空" in err and "empty" in err


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "PNG"),
        ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".doc"),
        # the bytes decide, not the name
        ("renamed.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".doc"),
    ],
)
def test_it_refuses_images_pdf_and_old_word(tmp_path, capsys, name, data, word):
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = _run(path, capsys=capsys)
    assert code == 2
    assert out == ""
    assert word in err
    assert "粘贴" in err and "paste" in err


def test_it_reads_gbk_text(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(_dev_text("04").encode("gbk"))
    plan = extract_file(path)[0]
    assert plan["title"] == "烟草系统纪律作风整顿活动实施方案"
    assert len(plan["deadlines"]) == 4


def test_it_reads_docx_with_a_table(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某区卫生系统大走访活动实施意见")
    document.add_paragraph("为进一步深化活动，特制订如下实施意见。")
    document.add_paragraph("局领导班子成员走访活动安排表")
    table = document.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("姓  名", "职  务", "调研单位"),
            ("张三", "党委书记", "区中医院"),
            ("李四", "副局长", ""),
        ],
        strict=True,
    ):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    table.rows[2].cells[2].paragraphs[0].text = "区人民医院"
    table.rows[2].cells[2].add_paragraph("区妇幼保健院")
    path = tmp_path / "plan.docx"
    document.save(path)
    plan = extract_file(path)[0]
    assert plan["title"] == "某区卫生系统大走访活动实施意见"
    assert plan["assignments"] == [
        {"person": "张三", "role": "党委书记", "targets": ["区中医院"]},
        {"person": "李四", "role": "副局长", "targets": ["区人民医院", "区妇幼保健院"]},
    ]


def test_a_zip_that_is_not_docx_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "plan.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedDocument):
        extract_file(path)


def test_a_document_with_no_phases():
    plan = extract_text(_dev_text("02"))[0]
    assert plan["phases"] == []
    assert plan["doc_number"] == "川卫创先发〔2012〕1号"


def test_two_plans_in_one_box(tmp_path, capsys):
    path = tmp_path / "two.txt"
    path.write_text(_dev_text("03") + "\n" + _dev_text("04"), encoding="utf-8")
    code, out, err = _run(path, capsys=capsys)
    assert code == 0
    assert json.loads(out)["title"] == "全县卫生系统作风整顿活动实施方案"
    assert "2" in err and "--all" in err
    code, out, err = _run(path, "--all", capsys=capsys)
    plans = json.loads(out)
    assert [p["title"] for p in plans] == [
        "全县卫生系统作风整顿活动实施方案",
        "烟草系统纪律作风整顿活动实施方案",
    ]
    assert len(plans[1]["deadlines"]) == 4


def test_one_plan_with_a_notice_and_attachments_is_one_plan():
    assert len(extract_text(_dev_text("01"))) == 1
    assert len(extract_text(_dev_text("02"))) == 1


def test_a_hundred_page_document_completes(tmp_path):
    seed = (SHARED / "seeds" / "000_85cf68c62efb8e40.txt").read_text(encoding="utf-8")
    path = tmp_path / "long.txt"
    path.write_text("\n".join([seed] * 30), encoding="utf-8")  # ~390 KB, ~130 pages
    started = time.perf_counter()
    plans = extract_file(path)
    elapsed = time.perf_counter() - started
    assert plans and plans[0]["title"]
    assert elapsed < 10, elapsed


def test_the_console_command_takes_a_hyphen(tmp_path):
    path = tmp_path / "04.txt"
    path.write_text(_dev_text("04"), encoding="utf-8")
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [str(bin_dir / "ducha"), "extract-plan", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["issuer"] == "市局（公司）党委"
