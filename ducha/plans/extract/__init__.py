"""Extraction of a campaign from an implementation plan's text (no Django, no network).

extract_file(path) -> dict following shared/plan-extract.schema.json; extract_text(text) for
text already read. Each field comes from one rule module; what the text does not say stays
null or empty.
"""

from pathlib import Path

from .assignments import extract_assignments
from .dates import has_masked_year
from .deadlines import extract_deadlines
from .header import doc_number, issue_date, issuer, title
from .leadership import extract_leadership
from .normalize import normalize
from .phases import extract_phases
from .quotas import extract_quotas
from .reading import UnsupportedDocument, read_bytes, read_document
from .split import split_plans

__all__ = [
    "UnsupportedDocument",
    "extract_file",
    "extract_plan",
    "extract_text",
    "read_bytes",
    "read_document",
    "split_plans",
]


def extract_plan(text: str) -> dict:
    """One plan's fields from its normalised text."""
    date = issue_date(text)
    year = int(date[:4]) if date else None
    number, _ = doc_number(text)
    return {
        "title": title(text),
        "doc_number": number,
        "issuer": issuer(text),
        "issue_date": date,
        "year_placeholder": has_masked_year(text),
        "phases": extract_phases(text, year),
        "deadlines": extract_deadlines(text, year),
        "leadership": extract_leadership(text),
        "quotas": extract_quotas(text),
        "assignments": extract_assignments(text),
    }


def extract_text(text: str) -> list[dict]:
    """Every plan found in the text, first one first (usually exactly one)."""
    text = normalize(text)
    return [extract_plan(part) for part in split_plans(text)] or [extract_plan(text)]


def extract_file(path: str | Path) -> list[dict]:
    return extract_text(read_document(path))
