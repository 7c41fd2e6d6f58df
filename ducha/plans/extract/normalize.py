"""Text clean-up before the rules run: one form for digits, spaces, brackets and dates."""

import re
import unicodedata

from .numerals import arabic_dates

# full-width ASCII letters and digits become half-width; Chinese punctuation stays as it is
_FULLWIDTH = {c: chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({c: chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({c: chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update(
    {0x3000: " ", 0x00A0: " ", 0xFF0A: "*", 0x2002: " ", 0x2003: " ", 0x200B: "", 0xFEFF: ""}
)

_DOCNUM_BRACKETS = re.compile(
    r"[\[［【(（〔]\s*((?:19|20)[\d*xX×]{2})\s*[\]］】)）〕]\s*(?=\d+\s*号)"
)
_ENTITY = re.compile(r"&[A-Za-z]?\d+;|&nbsp;")

# ASCII punctuation shown to users in Chinese text
_TO_CHINESE = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})


def normalize(text: str) -> str:
    """One form for the rules: half-width digits, LF line ends, Arabic dates, 〔〕 in numbers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_FULLWIDTH)
    text = _ENTITY.sub("", text)
    text = arabic_dates(text)
    text = _DOCNUM_BRACKETS.sub(lambda m: f"〔{m[1]}〕", text)
    return text


def squeeze(s: str) -> str:
    """Remove every whitespace character (names like 王  蔚, titles broken by spaces)."""
    return re.sub(r"\s+", "", s)


def chinese_punct(s: str) -> str:
    """ASCII brackets and commas as the full-width ones Chinese text uses."""
    return unicodedata.normalize("NFC", s).translate(_TO_CHINESE)
