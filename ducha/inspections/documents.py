"""An issued bulletin as a .docx laid out after GB/T 9704-2012 (党政机关公文格式): the red
header with the issuing body, the document number, a red rule, the centred title in 小标宋,
the body in 仿宋_GB2312 三号 (16 pt), the seal area (the issuing body centred over the date,
which stands four characters from the right margin, with room above for the seal), and the
record at the end (版记: copy-to and the issuing line between rules), page numbers below."""

from __future__ import annotations

import io
import unicodedata

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .models import Bulletin

RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
NUMBER_FONT = "宋体"
BODY_SIZE = Pt(16)  # 三号
RECORD_SIZE = Pt(14)  # 四号: the record at the end and the page numbers
HEADER_SIZE = Pt(36)
LINE = Pt(28)  # fixed line pitch of the body: 22 lines in the 225 mm type area
TEXT_WIDTH = Mm(156)  # the type area's width
# The date stands four characters from the right margin (右空四字).
DATE_RIGHT_CHARS = 4
# Room for the seal (about 42 mm across) above the issuing body: it presses the body's name and
# the date, its top within one line below the text.
SEAL_SPACE = Pt(3 * 28)


def _font(run, name: str, size, *, color=None, bold=False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # Chinese text takes the East Asian font; python-docx sets only the Latin one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _rule(paragraph, edge: str, *, color: str, size: int) -> None:
    """A rule along the paragraph's `edge` (top/bottom); `size` in eighths of a point."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{edge}")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "1"),
        ("w:color", color),
    ):
        line.set(qn(key), value)
    borders.append(line)


def _red_rule(paragraph) -> None:
    _rule(paragraph, "bottom", color="FF0000", size=12)


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def text_width(text: str, size) -> int:
    """The width of `text` in EMU: Chinese and full-width characters take a full em, others
    half of one."""
    ems = sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)
    return int(ems * size)


def _header_size(name: str):
    """The issuing body's mark is 36 pt unless the name would not fit on one line."""
    return min(HEADER_SIZE, Pt(int(TEXT_WIDTH / max(text_width(name, Pt(1)), 1))))


def _seal_area(document, name: str, date: str) -> None:
    """The issuing body centred over the date, the date four characters from the right."""
    date_indent = DATE_RIGHT_CHARS * BODY_SIZE
    name_indent = date_indent + (text_width(date, BODY_SIZE) - text_width(name, BODY_SIZE)) // 2
    if name_indent < 0:  # a name longer than the date and its margin: move both left
        date_indent -= name_indent
        name_indent = 0
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.space_before = SEAL_SPACE
    signature.paragraph_format.right_indent = name_indent
    _fixed_lines(signature)
    _font(signature.add_run(name), BODY_FONT, BODY_SIZE)
    dated = document.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated.paragraph_format.right_indent = date_indent
    _fixed_lines(dated)
    _font(dated.add_run(date), BODY_FONT, BODY_SIZE)


def _fixed_lines(paragraph, pitch=LINE) -> None:
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = pitch
    paragraph.paragraph_format.space_after = Pt(0)


def _record(document, bulletin: Bulletin, date: str) -> None:
    """The record at the end (版记): the copy-to line and the issuing line, between a thick
    rule above and below and a thin one between them, as wide as the type area, the text one
    character in from each side."""
    indent = "\u3000"  # one character, inside the rules
    first = None
    if bulletin.copy_to:
        first = document.add_paragraph()
        _fixed_lines(first, Pt(22))
        _font(first.add_run(f"{indent}抄送：{bulletin.copy_to}。"), BODY_FONT, RECORD_SIZE)
        _rule(first, "top", color="000000", size=8)
    issuing = document.add_paragraph()
    _fixed_lines(issuing, Pt(22))
    issuing.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH - RECORD_SIZE, WD_TAB_ALIGNMENT.RIGHT
    )
    _font(issuing.add_run(f"{indent}{bulletin.unit.name}\t{date}印发"), BODY_FONT, RECORD_SIZE)
    if first is None:
        first = issuing
        _rule(issuing, "top", color="000000", size=8)
    else:
        _rule(issuing, "top", color="000000", size=4)
    _rule(issuing, "bottom", color="000000", size=8)
    first.paragraph_format.space_before = Pt(2 * 28)


def _page_numbers(section) -> None:
    """— 1 — centred below the type area, in 四号 宋体 Arabic numerals."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), NUMBER_FONT, RECORD_SIZE)
    run = footer.add_run()
    _font(run, NUMBER_FONT, RECORD_SIZE)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _font(footer.add_run(" —"), NUMBER_FONT, RECORD_SIZE)


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = Document()
    section = document.sections[0]
    # GB/T 9704: A4, top 37 mm, left 28 mm, type area 156 × 225 mm.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    _page_numbers(section)

    name = bulletin.unit.name
    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(name), TITLE_FONT, _header_size(name), color=RED)

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Two blank lines under the mark, then the number with the red rule 4 mm below it.
    number.paragraph_format.space_before = Pt(2 * 28)
    number.paragraph_format.space_after = Mm(4)
    _font(number.add_run(bulletin.doc_number), BODY_FONT, BODY_SIZE)
    _red_rule(number)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fixed_lines(title, Pt(35))
    # Two blank lines under the red rule, one under the title.
    title.paragraph_format.space_before = Pt(2 * 28)
    title.paragraph_format.space_after = LINE
    _font(title.add_run(bulletin.title), TITLE_FONT, Pt(22))

    for line in bulletin.body.splitlines():
        if not line.strip():
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = 2 * BODY_SIZE  # two characters
        _fixed_lines(paragraph)
        _font(paragraph.add_run(line.strip()), BODY_FONT, BODY_SIZE)

    issued = timezone.localdate(bulletin.issued_at) if bulletin.issued_at else None
    date = _chinese_date(issued) if issued else ""
    _seal_area(document, name, date)
    _record(document, bulletin, date)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
