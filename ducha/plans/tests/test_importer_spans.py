"""Reading a plan for the review page: where each value stands in the document as given."""

import time

import pytest
from django.core.exceptions import ValidationError

from ducha.plans import importer
from ducha.plans.extract.normalize import normalize
from ducha.plans.spans import OffsetMap, plan_spans, segments

from .samples import MASKED_PLAN, seed_text


def marked(preview, draft) -> dict[str, list[str]]:
    """Row key → the pieces of the original text marked for it."""
    out: dict[str, list[str]] = {}
    for s in draft.segments(preview):
        if s.key:
            out.setdefault(s.key, []).append(s.text)
    return out


def test_values_are_marked_in_the_text_as_the_user_gave_it(alice, tree):
    preview = importer.plan_import_preview(seed_text())
    draft = importer.import_draft(preview, actor=alice)
    pieces = draft.segments(preview)
    # Nothing is lost or changed: the pieces are the document.
    assert "".join(s.text for s in pieces) == preview.text
    marks = marked(preview, draft)
    # The extractor read 2012年4月18日; the user's document says it in Chinese numerals.
    assert marks["issue_date"] == ["二〇一二年四月十八日"]
    assert marks["doc_number"] == ["黄卫发〔2012〕39号"]
    assert marks["deadline-0"] == ["6月18日前", "区卫生局人事监察科", "活动开展情况的书面总结报告"]
    assert marks["quota-0"] == ["每年不少于2次"]
    wang = draft.people.index("王蔚")
    assert "王  蔚" in marks[f"person-{wang}"]  # written with spaces in the plan
    # Targets are marked in the visiting table, not where the plan mentions the unit earlier.
    ningxi = next(
        i for i, r in enumerate(draft.data["assignments"]) if r["target_text"].startswith("宁溪")
    )
    assert marks[f"assignment-{ningxi}"] == ["宁溪中心卫生院及其管辖乡、镇卫生院"]


def test_the_map_survives_windows_line_ends_and_full_width_digits():
    original = "通知\r\n二〇一二年四月十八日\r\n于６月１８日前报送总结报告。\r\n"
    normalized = normalize(original)
    assert normalized == "通知\n2012年4月18日\n于6月18日前报送总结报告。\n"
    mapping = OffsetMap(original, normalized)
    start = normalized.index("2012")
    end = normalized.index("\n", start)
    assert original[mapping.start(start) : mapping.end(end)] == "二〇一二年四月十八日"
    s = normalized.index("6月")
    e = normalized.index("前")
    assert original[mapping.start(s) : mapping.end(e)] == "６月１８日"
    s = normalized.index("总结")
    assert original[mapping.start(s) : mapping.end(s + 4)] == "总结报告"


def test_overlapping_values_are_marked_once():
    text = "组长：张三\n成员：张三丰\n"
    plan = {"title": "组长：张三", "phases": [], "deadlines": [], "quotas": []}
    found = plan_spans(text, plan, ["张三"], [])
    assert [(s.key, text[s.start : s.end]) for s in found.spans] == [
        ("title", "组长：张三"),
        ("person-0", "张三"),  # the second one, inside 张三丰: the first lay inside the title
    ]
    pieces = segments(text, found.spans, OffsetMap(text, text))
    assert "".join(p.text for p in pieces) == text


def test_gbk_text_reads_like_utf8(alice, tree):
    utf8 = importer.plan_import_preview(MASKED_PLAN.encode("utf-8"), name="方案.txt")
    gbk = importer.plan_import_preview(MASKED_PLAN.encode("gbk"), name="方案.txt")
    assert gbk.text == utf8.text == MASKED_PLAN
    assert gbk.plans == utf8.plans


def test_a_docx_is_read(tmp_path):
    import docx

    document = docx.Document()
    for line in MASKED_PLAN.split("\n")[:12]:
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    preview = importer.plan_import_preview(path.read_bytes(), name="plan.docx")
    assert preview.plans[0]["doc_number"] == "东卫发〔2024〕12号"


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".doc"),
        ("notes.md", "东湖区卫生系统作风整顿活动实施方案".encode(), "notes.md"),
    ],
)
def test_other_formats_are_refused_with_a_paste_hint(english, name, data, word):
    with pytest.raises(ValidationError) as error:
        importer.plan_import_preview(data, name=name)
    message = error.value.messages[0]
    assert word in message
    assert "not supported" in message and "paste" in message
    assert "不支持" not in message  # the English half only, on an English page


def test_an_empty_file_is_refused(english):
    with pytest.raises(ValidationError) as error:
        importer.plan_import_preview(b" \n\n", name="plan.txt")
    assert "empty" in error.value.messages[0]
    with pytest.raises(ValidationError):
        importer.plan_import_preview("   ")


def test_two_plans_in_one_text_are_two_parts(alice, tree):
    seed = seed_text()
    preview = importer.plan_import_preview(seed + "\n\n" + MASKED_PLAN)
    assert [p["title"] for p in preview.plans] == [
        "黄岩区卫生系统“进村入企大走访、比学赶创促发展”活动实施意见",
        "东湖区卫生系统作风整顿活动实施方案",
    ]
    second = preview.parts[1]
    assert second.original.strip() == MASKED_PLAN.strip()
    draft = importer.import_draft(preview, 1, actor=alice)
    assert draft.data["doc_number"] == "东卫发〔2024〕12号"
    assert "".join(s.text for s in draft.segments(preview)) == second.original


def test_a_hundred_page_plan_is_read_in_bounded_time(alice, tree):
    # One long plan (~130 pages): the seed with its key tasks repeated many times over.
    seed = seed_text()
    body = seed[seed.index("三、重点内容") : seed.index("四、工作要求")]
    text = seed.replace("四、工作要求", body * 80 + "四、工作要求", 1)
    assert len(text) > 120_000
    started = time.perf_counter()
    preview = importer.plan_import_preview(text)
    draft = importer.import_draft(preview, actor=alice)
    pieces = draft.segments(preview)
    elapsed = time.perf_counter() - started
    assert draft.data["doc_number"] == "黄卫发〔2012〕39号"
    assert "".join(s.text for s in pieces) == preview.parts[0].original
    assert elapsed < 10, elapsed


def test_a_text_beyond_any_plan_is_refused(english):
    with pytest.raises(ValidationError) as error:
        importer.plan_import_preview("附" * (importer.MAX_CHARS + 1))
    assert "too long" in error.value.messages[0]
