"""An issued bulletin as a .docx laid out after GB/T 9704-2012 (党政机关公文格式): the red
header with the issuing body, the document number, a red rule, the centred title in 小标宋,
the body in 仿宋_GB2312 三号 (16 pt), the issue date and the copy-to line."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .models import Bulletin

RED = RGBColor(0xFF, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
BODY_SIZE = Pt(16)  # 三号


def _font(run, name: str, size, *, color=None, bold=False) -> None:
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    # Chinese text takes the East Asian font; python-docx sets only the Latin one.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _red_rule(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "1"),
        ("w:color", "FF0000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = Document()
    section = document.sections[0]
    # GB/T 9704: A4, top 37 mm, left 28 mm, type area 156 × 225 mm.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    header = document.add_paragraph()
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(header.add_run(bulletin.unit.name), TITLE_FONT, Pt(36), color=RED)

    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(bulletin.doc_number), BODY_FONT, BODY_SIZE)
    _red_rule(number)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    title.paragraph_format.space_after = Pt(24)
    _font(title.add_run(bulletin.title), TITLE_FONT, Pt(22))

    for line in bulletin.body.splitlines():
        if not line.strip():
            continue
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
        paragraph.paragraph_format.line_spacing = Pt(28)
        _font(paragraph.add_run(line.strip()), BODY_FONT, BODY_SIZE)

    issued = timezone.localdate(bulletin.issued_at) if bulletin.issued_at else None
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.space_before = Pt(32)
    _font(signature.add_run(bulletin.unit.name), BODY_FONT, BODY_SIZE)
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(date.add_run(_chinese_date(issued) if issued else ""), BODY_FONT, BODY_SIZE)

    if bulletin.copy_to:
        copy_to = document.add_paragraph()
        copy_to.paragraph_format.space_before = Pt(32)
        _font(copy_to.add_run(f"抄送：{bulletin.copy_to}。"), BODY_FONT, Pt(14))

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
