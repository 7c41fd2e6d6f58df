"""Checking the files a unit submits: the content decides the type, never the name.

Accepted: Word (.docx, .doc), Excel (.xlsx), PDF, JPEG and PNG. A .docx/.xlsx is a zip
holding word/ or xl/ parts; a .doc is an OLE2 compound file with a WordDocument stream; a PDF
starts with %PDF; images by their magic bytes. Anything else is refused whatever its name,
as are empty files, files over SUBMISSION_MAX_BYTES and Office files carrying macros.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
HEAD = 8192
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
# Readers accept a PDF header anywhere in the first kilobyte; some scanners write junk first.
PDF_SEARCH = 1024
# The directory entry of a Word 97-2003 document's main stream, as OLE2 stores names.
WORD_STREAM = "WordDocument".encode("utf-16-le")
MAX_NAME = 200
_CONTROL = {chr(c) for c in range(32)} | {"\x7f"}


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    family: str  # a name ending in any extension of the same family is accepted


DOCX = FileKind(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word"
)
DOC = FileKind("doc", "application/msword", "word")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl")
PDF = FileKind("pdf", "application/pdf", "pdf")
JPEG = FileKind("jpg", "image/jpeg", "image")
PNG = FileKind("png", "image/png", "image")

FAMILY_EXTENSIONS = {
    "word": {"docx", "doc"},
    "xl": {"xlsx"},
    "pdf": {"pdf"},
    "image": {"jpg", "jpeg", "png"},
}
ACCEPT = ".docx,.doc,.pdf,.xlsx,.jpg,.jpeg,.png"


@dataclass(frozen=True)
class CheckedFile:
    upload: IO[bytes]
    name: str
    kind: FileKind
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The file's own name as the user's computer called it: no folders, no control
    characters, at most 200 characters (the extension is kept when cutting)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in _CONTROL).strip()
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name or "upload"


def size_text(size: int) -> str:
    """20 MB, 512 KB: a size as people read it."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def check_upload(upload: IO[bytes], *, name: str | None = None) -> CheckedFile:
    """Read the upload once to size, hash and type it; raise ValidationError naming the file
    when it is empty, too large, or not one of the accepted kinds by content."""
    name = clean_name(name if name is not None else getattr(upload, "name", ""))
    limit = settings.SUBMISSION_MAX_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(name, limit)
    upload.seek(0)
    digest, size, head, has_word_stream = hashlib.sha256(), 0, b"", False
    tail = b""
    while chunk := upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise _too_large(name, limit)
        digest.update(chunk)
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
        window = tail + chunk
        has_word_stream = has_word_stream or WORD_STREAM in window
        tail = window[-len(WORD_STREAM) :]
    if size == 0:
        raise ValidationError(
            _("“%(name)s” is empty (0 bytes).") % {"name": name}, code="empty_file"
        )
    kind = _kind(upload, head, has_word_stream, name)
    upload.seek(0)
    _check_name_matches(name, kind)
    return CheckedFile(upload=upload, name=name, kind=kind, size=size, sha256=digest.hexdigest())


def _kind(upload: IO[bytes], head: bytes, has_word_stream: bool, name: str) -> FileKind:
    if head.startswith(ZIP_MAGIC):
        return _office_kind(upload, name)
    if head.startswith(OLE2_MAGIC):
        # Excel 97-2003, PowerPoint and Windows installers (.msi) are OLE2 files too.
        if has_word_stream:
            return DOC
        raise _not_accepted(name, "")
    if PDF_MAGIC in head[:PDF_SEARCH]:
        return PDF
    guess = filetype.guess(head)
    if guess is not None and guess.mime == JPEG.content_type:
        return JPEG
    if guess is not None and guess.mime == PNG.content_type:
        return PNG
    raise _not_accepted(name, guess.extension if guess is not None else "")


def _office_kind(upload: IO[bytes], name: str) -> FileKind:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _not_accepted(name, "zip") from None
    if "[Content_Types].xml" not in parts:
        raise _not_accepted(name, "zip")
    if any(part.lower().endswith("vbaproject.bin") for part in parts):
        raise ValidationError(
            _("“%(name)s” contains macros. Save it as a document without macros and try again.")
            % {"name": name},
            code="macros",
        )
    if any(part.startswith("word/") for part in parts):
        return DOCX
    if any(part.startswith("xl/") for part in parts):
        return XLSX
    raise _not_accepted(name, "zip")


def _check_name_matches(name: str, kind: FileKind) -> None:
    """A PDF named .docx would not open from the download; a PNG named .jpg would."""
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if not extension or extension in FAMILY_EXTENSIONS[kind.family]:
        return
    raise ValidationError(
        _("“%(name)s” is a .%(kind)s file by its content; rename it to end in .%(kind)s.")
        % {"name": name, "kind": kind.extension},
        code="name_mismatch",
    )


def _not_accepted(name: str, looks_like: str) -> ValidationError:
    if looks_like:
        message = _(
            "“%(name)s” is not a Word, Excel, PDF, JPEG or PNG file (by its content it looks "
            "like a .%(ext)s file)."
        ) % {"name": name, "ext": looks_like}
    else:
        message = _("“%(name)s” is not a Word, Excel, PDF, JPEG or PNG file.") % {"name": name}
    return ValidationError(message, code="file_type")


def _too_large(name: str, limit: int) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is larger than %(size)s.") % {"name": name, "size": size_text(limit)},
        code="too_large",
    )
