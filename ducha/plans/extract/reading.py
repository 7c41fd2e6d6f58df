"""Reading a plan from a file: .txt (UTF-8, GB18030/GBK) or .docx; everything else refused."""

import io
import zipfile
from pathlib import Path


class UnsupportedDocument(Exception):
    """The file is not something the importer can read; the message says what to do instead."""


EMPTY = "文件是空的，没有可提取的文字。 / The file is empty: there is no text to extract."
PASTE = (
    "不支持{kind}：请打开原文件，复制其中的文字粘贴进来，或另存为 .docx / .txt。"
    " / {kind_en} is not supported: open it, copy the text and paste it, "
    "or save it as .docx or .txt."
)

# magic bytes of formats people upload instead of text
_MAGIC = [
    (b"%PDF", "PDF（可能是扫描件）", "A PDF (possibly a scan)"),
    (b"\x89PNG", "图片（PNG）", "An image (PNG)"),
    (b"\xff\xd8\xff", "图片（JPEG）", "An image (JPEG)"),
    (b"GIF8", "图片（GIF）", "An image (GIF)"),
    (b"II*\x00", "图片（TIFF）", "An image (TIFF)"),
    (b"MM\x00*", "图片（TIFF）", "An image (TIFF)"),
    (b"RIFF", "图片（WebP）", "An image (WebP)"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word（.doc）文件", "An old Word (.doc) file"),
    (b"{\\rtf", "RTF 文件", "An RTF file"),
]


def _refuse(kind: str, kind_en: str) -> UnsupportedDocument:
    return UnsupportedDocument(PASTE.format(kind=kind, kind_en=kind_en))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which covers GBK and GB2312."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as e:
        raise _refuse("无法识别的编码", "Text in an unknown encoding") from e


def docx_text(data: bytes) -> str:
    """Paragraphs and tables in document order; a table row becomes one tab-separated line."""
    import docx  # python-docx, imported here so reading .txt does not pay for it

    document = docx.Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                cells, seen = [], set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    paras = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
                    cells.append("、".join(paras))
                lines.append("\t".join(cells))
    return "\n".join(lines)


def read_bytes(data: bytes, name: str = "") -> str:
    """The document's text; raises UnsupportedDocument for empty, image, PDF or .doc input."""
    if not data.strip():
        raise UnsupportedDocument(EMPTY)
    for magic, kind, kind_en in _MAGIC:
        if data.startswith(magic):
            raise _refuse(kind, kind_en)
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                is_docx = "word/document.xml" in z.namelist()
        except zipfile.BadZipFile:
            is_docx = False
        if not is_docx:
            raise _refuse("该压缩格式", "This archive format")
        text = docx_text(data)
    else:
        if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _refuse("二进制文件", "A binary file")
        text = decode_text(data)
    if not text.strip():
        raise UnsupportedDocument(EMPTY)
    return text


def read_document(path: str | Path) -> str:
    path = Path(path)
    return read_bytes(path.read_bytes(), path.name)
