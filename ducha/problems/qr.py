"""QR codes of the opinion box link, for the poster printed at the unit (segno, pure Python)."""

from __future__ import annotations

import io

import segno


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The link as a PNG QR code with a quiet zone; error level M survives a smudged print."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, *, scale: int = 8) -> str:
    """The same code as inline SVG markup, sharp at any print size."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=4, omitsize=True)
