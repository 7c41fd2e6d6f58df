"""QR codes of the public answer links, for the posters units print (segno, pure Python)."""

from __future__ import annotations

import io

import segno

# Level M survives a crease or a smudge on a printed poster and keeps the code small.
ERROR_LEVEL = "m"


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error=ERROR_LEVEL).save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    """An inline <svg> that prints sharp at any size (the A4 poster)."""
    return segno.make(url, error=ERROR_LEVEL).svg_inline(
        scale=10, border=2, omitsize=True, svgclass="qr"
    )
