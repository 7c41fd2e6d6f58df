"""Photos of visits: only real images are accepted, a display copy is made, and where the
photo was taken is removed unless the campaign asks to keep it.

The content decides, never the name: Pillow must open and verify the file as a JPEG, PNG or
WebP image, so a PDF renamed .jpg is refused. The display copy is a JPEG of at most
DISPLAY_MAX px, turned upright from the camera's orientation tag and without metadata.
The original is kept as uploaded, except that when location must be removed and the photo
carries GPS data, the stored original is re-encoded without it (a JPEG at its own quality
tables, so nothing visible changes) and without its XMP packet, which may repeat the GPS.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

DISPLAY_MAX = 1600
DISPLAY_QUALITY = 82
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# 100 megapixels is beyond any phone camera; larger "images" are decompression bombs.
MAX_PIXELS = 100_000_000
GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAX_NAME = 200
_CONTROL = {chr(c) for c in range(32)} | {"\x7f"}


@dataclass
class PreparedPhoto:
    """A checked photo, ready to store: the original (GPS removed if it must be) and the
    display copy, both in memory."""

    name: str
    original: ContentFile
    display: ContentFile
    width: int
    height: int
    size: int
    location_removed: bool


def clean_name(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in _CONTROL).strip()
    if len(name) > MAX_NAME:
        suffix = PurePosixPath(name).suffix[:16]
        name = name[: MAX_NAME - len(suffix)] + suffix
    return name or "photo"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def prepare_photo(upload: IO[bytes], *, keep_location: bool, name: str | None = None):
    """Check one uploaded photo and make its stored versions; ValidationError naming the
    file when it is too large, empty or not a JPEG, PNG or WebP image."""
    name = clean_name(name if name is not None else getattr(upload, "name", ""))
    data = _read_limited(upload, name)
    if not data:
        raise ValidationError(_("“%(name)s” is empty (0 bytes).") % {"name": name}, code="empty")
    image_format = _verified_format(data, name)
    try:
        original, width, height, has_location = _original(data, image_format, keep_location)
        display = _display_copy(data)
    except (OSError, ValueError, SyntaxError):
        # verify() checks the structure only; a photo cut off in transfer fails on decoding.
        raise ValidationError(
            _("“%(name)s” could not be read as an image: it may be damaged or incomplete.")
            % {"name": name},
            code="damaged",
        ) from None
    extension = ACCEPTED_FORMATS[image_format]
    stem = uuid.uuid4().hex
    return PreparedPhoto(
        name=name,
        original=ContentFile(original, name=f"{stem}.{extension}"),
        display=ContentFile(display, name=f"{stem}.jpg"),
        width=width,
        height=height,
        size=len(original),
        location_removed=has_location and not keep_location,
    )


def _original(data: bytes, image_format: str, keep_location: bool):
    """The bytes to keep as the original, its upright size, and whether it had a location."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        has_location = GPS_IFD in exif or _xmp_has_gps(image)
        original = data
        if has_location and not keep_location:
            original = _without_location(image, image_format)
        width, height = image.size
        # Orientations 5 to 8 turn the picture a quarter: its upright width is its height.
        if exif.get(ORIENTATION, 1) in (5, 6, 7, 8):
            width, height = height, width
    return original, width, height, has_location


def _read_limited(upload: IO[bytes], name: str) -> bytes:
    limit = settings.PHOTO_MAX_BYTES
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise _too_large(name, limit, declared)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_large(name, limit, None)
    return data


def _too_large(name: str, limit: int, size: int | None) -> ValidationError:
    if size is not None:
        message = _(
            "“%(name)s” is %(size)s; a photo may be at most %(limit)s. Send a smaller photo "
            "(most phones can share a photo at a reduced size)."
        ) % {"name": name, "size": size_text(size), "limit": size_text(limit)}
    else:
        message = _("“%(name)s” is larger than %(limit)s; a photo may be at most %(limit)s.") % {
            "name": name,
            "limit": size_text(limit),
        }
    return ValidationError(message, code="too_large")


def _not_a_photo(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is not a photo: only JPEG, PNG and WebP images are accepted.")
        % {"name": name},
        code="not_image",
    )


def _verified_format(data: bytes, name: str) -> str:
    """The image format after Pillow has checked the file's structure."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _not_a_photo(name) from None
    except Exception:  # truncated or damaged image data: Pillow raises many kinds
        raise _not_a_photo(name) from None
    if image_format not in ACCEPTED_FORMATS:
        raise _not_a_photo(name)
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("“%(name)s” has too many pixels to be a photo.") % {"name": name}, code="too_big"
        )
    return image_format


def _xmp_has_gps(image: Image.Image) -> bool:
    xmp = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(xmp, str):
        xmp = xmp.encode("utf-8", "replace")
    return b"GPS" in xmp


def _without_location(image: Image.Image, image_format: str) -> bytes:
    """The original image re-encoded without GPS data (and without XMP); the orientation tag
    and colour profile stay, so the photo looks as it did."""
    exif = image.getexif()
    if GPS_IFD in exif:
        del exif[GPS_IFD]
    options: dict = {"exif": exif.tobytes()}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    out = io.BytesIO()
    if image_format == "JPEG":
        # The original's own quantisation tables and subsampling: no visible re-compression.
        image.save(out, "JPEG", quality="keep", subsampling="keep", **options)
    elif image_format == "PNG":
        image.save(out, "PNG", **options)
    else:
        image.save(out, "WEBP", quality=92, **options)
    return out.getvalue()


def _display_copy(data: bytes) -> bytes:
    """A JPEG of at most DISPLAY_MAX px, upright and without metadata. A large JPEG is
    decoded at a reduced scale (draft mode): a 48-megapixel photo needs a fraction of the
    memory and time."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (DISPLAY_MAX, DISPLAY_MAX))
        copy = ImageOps.exif_transpose(image)
        copy.thumbnail((DISPLAY_MAX, DISPLAY_MAX), Image.Resampling.LANCZOS)
    if copy.mode not in ("RGB", "L"):
        rgba = copy.convert("RGBA")
        copy = Image.new("RGB", rgba.size, (255, 255, 255))
        copy.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=DISPLAY_QUALITY, optimize=True, progressive=True)
    return out.getvalue()
