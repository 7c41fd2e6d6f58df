"""The content of a submitted file decides its type, never its name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from ducha.submissions import files

from .factories import EXE_BYTES, PDF_BYTES, docx_bytes, jpeg_bytes, png_bytes, upload, xlsx_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole2(*stream_names: str) -> bytes:
    """An OLE2 compound file's outline: the magic, then directory names in UTF-16LE."""
    body = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") for n in stream_names)
    return OLE2 + b"\x00" * 1016 + body + b"\x00" * 512


def zip_of(*names: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "extension", "content_type"),
    [
        (docx_bytes(), "总结报告.docx", "docx", files.DOCX.content_type),
        (xlsx_bytes(), "走访台账.xlsx", "xlsx", files.XLSX.content_type),
        (PDF_BYTES, "方案.pdf", "pdf", "application/pdf"),
        (png_bytes(), "照片.png", "png", "image/png"),
        (jpeg_bytes(), "照片.JPG", "jpg", "image/jpeg"),
        (ole2("Root Entry", "WordDocument", "1Table"), "剖析材料.doc", "doc", "application/msword"),
        # A PNG saved as .jpg (as phones do) opens from the download all the same.
        (png_bytes(), "微信图片.jpg", "png", "image/png"),
        (docx_bytes(), "报告", "docx", files.DOCX.content_type),
    ],
)
def test_it_accepts_the_listed_kinds_by_content(data, name, extension, content_type):
    checked = files.check_upload(upload(data, name))

    assert (checked.kind.extension, checked.kind.content_type) == (extension, content_type)
    assert checked.name == name
    assert checked.size == len(data)
    assert len(checked.sha256) == 64


def test_it_refuses_an_exe_renamed_docx(english):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(EXE_BYTES, "总结报告.docx"))

    assert error.value.code == "file_type"
    assert error.value.messages == [
        "“总结报告.docx” is not a Word, Excel, PDF, JPEG or PNG file (by its content it looks "
        "like a .exe file)."
    ]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"plain text, not a report", "报告.docx"),
        (zip_of("[Content_Types].xml", "ppt/slides/slide1.xml"), "汇报.docx"),  # a .pptx
        (zip_of("readme.txt"), "报告.docx"),  # a plain zip
        (b"PK\x03\x04 but not really a zip", "报告.xlsx"),
        (ole2("Root Entry", "Workbook"), "台账.doc"),  # Excel 97-2003
        (ole2("Root Entry", "\x05SummaryInformation"), "安装.doc"),  # an .msi installer
        (b"GIF89a\x01\x00\x01\x00", "图.png"),
    ],
)
def test_it_refuses_other_content_whatever_its_name(data, name):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(data, name))
    assert error.value.code == "file_type"


def test_it_refuses_an_empty_file(english):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(b"", "总结报告.docx"))
    assert error.value.messages == ["“总结报告.docx” is empty (0 bytes)."]


def test_it_refuses_a_file_over_the_limit(settings, english):
    settings.SUBMISSION_MAX_BYTES = 1024
    files.check_upload(upload(PDF_BYTES + b"0" * (1024 - len(PDF_BYTES)), "a.pdf"))

    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(PDF_BYTES + b"0" * 1024, "方案.pdf"))
    assert error.value.messages == ["“方案.pdf” is larger than 1 KB."]


def test_it_counts_the_bytes_when_the_size_is_not_declared(settings):
    settings.SUBMISSION_MAX_BYTES = 1024
    stream = io.BytesIO(PDF_BYTES + b"0" * 2048)
    stream.name = "方案.pdf"

    with pytest.raises(ValidationError) as error:
        files.check_upload(stream)
    assert error.value.code == "too_large"


def test_it_refuses_office_files_with_macros():
    data = zip_of("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(data, "报告.docx"))
    assert error.value.code == "macros"


def test_it_refuses_a_name_that_says_another_kind(english):
    with pytest.raises(ValidationError) as error:
        files.check_upload(upload(PDF_BYTES, "总结报告.docx"))
    assert error.value.messages == [
        "“总结报告.docx” is a .pdf file by its content; rename it to end in .pdf."
    ]


def test_it_finds_the_word_stream_across_read_chunks():
    # The stream name straddles the boundary of two 64 KB reads.
    name = "WordDocument".encode("utf-16-le")
    data = OLE2 + b"\x00" * (files.CHUNK - len(OLE2) - 5) + name + b"\x00" * 100
    assert files.check_upload(upload(data, "a.doc")).kind == files.DOC


def test_it_cleans_the_original_name():
    assert files.clean_name("C:\\Users\\王\\桌面\\总结\x07报告.docx") == "总结报告.docx"
    assert files.clean_name("") == "upload"
    long = "很" * 300 + ".docx"
    assert files.clean_name(long).endswith(".docx")
    assert len(files.clean_name(long)) == 200
