"""Where each extracted value stands in the plan's text, for the review page's highlights.

The extractor reads a normalised copy of the text (Arabic digits in dates, half-width digits,
〔〕 in document numbers). Values are looked up in that copy, near where the extractor found
them, then mapped back onto the text as the user gave it, so the page shows their document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# How far ahead the aligner looks for common text again after a normalised stretch
# (二〇一二年四月十八日 → 2012年4月18日), and how many equal characters count as common.
SYNC_WINDOW = 48
SYNC_LENGTH = 3
# A name or a target is marked at most this many times.
MAX_MARKS = 12
SENTENCE_END = "。；;\n"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str  # the form row it belongs to: "title", "phase-0", "person-3", "assignment-2" ...
    kind: str  # what it is: title, doc_number, issuer, issue_date, phase, deadline, ...


@dataclass(frozen=True)
class Segment:
    text: str
    key: str = ""
    kind: str = ""


# --- finding values ------------------------------------------------------------------------


def loose(value: str) -> str:
    """A pattern for `value` that allows line breaks and spaces between its characters (titles
    broken over two lines, names written 王  蔚)."""
    chars = [c for c in value if not c.isspace()]
    return r"\s*".join(re.escape(c) for c in chars)


def find(text: str, value: str | None, start: int = 0, end: int | None = None):
    """The first match of `value` (loosely) in text[start:end], or None."""
    if not value or not value.strip():
        return None
    return re.compile(loose(value)).search(text, start, len(text) if end is None else end)


def find_all(text: str, value: str, limit: int = MAX_MARKS) -> list[re.Match]:
    if not value or not value.strip():
        return []
    out = []
    for m in re.finditer(loose(value), text):
        out.append(m)
        if len(out) >= limit:
            break
    return out


def date_pattern(value: str | None, part: str | None = None) -> str | None:
    """A pattern for a schema date (YYYY-MM-DD, MM-DD, YYYY-MM, MM) as plans write it after
    normalising: 2012年6月18日, 6月18日, 201*年12月20日, 5月下旬."""
    if not value:
        return None
    m = re.fullmatch(r"(?:(\d{4})-)?(\d{2})(?:-(\d{2}))?", value)
    if not m:
        return None
    year, month, day = m.groups()
    pattern = rf"(?:(?:{year}|\d{{2,3}}[*xX×]+|[*xX×]{{2,4}})\s*年\s*)?" if year else ""
    if not year:
        pattern = r"(?:(?:\d{4}|\d{0,3}[*xX×]+)\s*年\s*)?"
    pattern += rf"0?{int(month)}\s*月(?:份)?"
    if day:
        pattern += rf"\s*0?{int(day)}\s*[日号]"
    elif part:
        words = {"early": "上旬|初|上中旬", "mid": "中旬|中|中下旬", "late": "下旬|底|末|中下旬"}
        pattern += rf"\s*(?:{words[part]})"
    return rf"(?<!\d){pattern}"


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or table line) holding text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in SENTENCE_END) if i != -1]
    return left, min(rights) if rights else len(text)


@dataclass
class PlanSpans:
    """The spans of one plan's values in its normalised text, plus the wording found there."""

    spans: list[Span]
    # row key → the plan's own wording of a date, e.g. {"phase-0": ("3月下旬", "4月下旬")}
    wording: dict[str, tuple[str, str]]
    # quota row key → the sentence the quota stands in (it says what is counted)
    context: dict[str, str]


PHASE_TAIL = re.compile(r"\s*(?:阶段)?\s*[(（](?P<d>[^()（）\n]{2,40})[)）]")
PHASE_SEP = re.compile(r"\s*(?:[-—–~～－―]+|至|到)\s*")


def plan_spans(text: str, plan: dict, people: list[str], assignments: list[dict]) -> PlanSpans:
    """Spans of the values of `plan` (the extractor's output for `text`). `people` are the
    distinct names of the leadership group and the visiting table, in the order the review
    form lists them; `assignments` the form's rows, one per person and target."""
    spans: list[Span] = []
    wording: dict[str, tuple[str, str]] = {}
    context: dict[str, str] = {}

    def add(m, key: str, kind: str) -> None:
        if m is not None and m.end() > m.start():
            spans.append(Span(m.start(), m.end(), key, kind))

    for field in ("title", "doc_number", "issuer"):
        add(find(text, plan.get(field)), field, field)
    if plan.get("issue_date"):
        pattern = date_pattern(plan["issue_date"])
        # The signing date stands on a line of its own; the first such line is the one.
        line = re.compile(rf"^\s*{pattern}\s*$", re.M).search(text)
        add(
            line and re.compile(pattern).search(text, line.start(), line.end()),
            "issue_date",
            "issue_date",
        )

    pos = 0
    for i, phase in enumerate(plan.get("phases") or []):
        key = f"phase-{i}"
        m = None
        for tail in (r"\s*阶段", r"\s*(?:阶段)?\s*[(（]", ""):
            m = re.compile(loose(phase["name"]) + tail).search(text, pos)
            if m:
                break
        if m is None:
            continue
        add(m, key, "phase")
        dates = PHASE_TAIL.match(text, m.start() + len(re.match(loose(phase["name"]), m[0])[0]))
        if dates:
            spans.append(Span(dates.start("d"), dates.end("d"), key, "phase"))
            ends = PHASE_SEP.split(dates["d"].strip(), maxsplit=1)
            wording[key] = (ends[0], ends[-1])
        pos = m.end()

    for i, deadline in enumerate(plan.get("deadlines") or []):
        key = f"deadline-{i}"
        m = find(text, deadline.get("what"))
        if m is None:
            continue
        add(m, key, "deadline")
        left, right = sentence_around(text, m.start(), m.end())
        add(find(text, deadline.get("to"), left, right), key, "deadline")
        pattern = date_pattern(deadline.get("due"))
        if pattern:
            d = re.compile(pattern + r"(?:\s*(?:之前|以前|前))?").search(text, left, right)
            if d:
                add(d, key, "deadline")
                wording[key] = (d[0], d[0])

    for i, quota in enumerate(plan.get("quotas") or []):
        key = f"quota-{i}"
        m = find(text, quota.get("text"))
        if m is None:
            continue
        add(m, key, "quota")
        left, right = sentence_around(text, m.start(), m.end())
        context[key] = text[left:right]

    last_seen: dict[str, int] = {}
    for i, name in enumerate(people):
        matches = find_all(text, name)
        for m in matches:
            add(m, f"person-{i}", "person")
        if matches:
            last_seen[name] = matches[-1].start()
    for i, row in enumerate(assignments):
        # The visiting table comes after the group's list: look after the person's last mention.
        anchor = last_seen.get(row["person"], 0)
        m = find(text, row["target_text"], anchor) or find(text, row["target_text"])
        add(m, f"assignment-{i}", "assignment")

    return PlanSpans(spans=_without_overlaps(spans), wording=wording, context=context)


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """Spans in order; where two overlap the earlier (or, starting together, longer) wins."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and span.start < out[-1].end:
            continue
        out.append(span)
    return out


# --- mapping the normalised text back onto the original -----------------------------------


def _align(a: str, b: str) -> tuple[list[int], list[int]]:
    """For each position p of `a` (normalised) the position in `b` (original) where a value
    starting at p starts, and where one ending at p ends. Text the normaliser rewrote maps as a
    whole: a value inside 2012年4月18日 marks all of 二〇一二年四月十八日."""
    n, m = len(a), len(b)
    starts, ends = [m] * (n + 1), [0] * (n + 1)
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            starts[i], ends[i + 1] = j, j + 1
            i, j = i + 1, j + 1
            continue
        di, dj = _resync(a, b, i, j)
        for p in range(i, i + di):
            starts[p] = j
            ends[p + 1] = j + dj
        i, j = i + di, j + dj
    for p in range(i, n):
        starts[p], ends[p + 1] = j, m
    return starts, ends


def _resync(a: str, b: str, i: int, j: int) -> tuple[int, int]:
    """The shortest skip (di, dj) after which both texts agree again for SYNC_LENGTH characters
    (or both end); if none lies within the window, the rest of both."""
    for total in range(1, 2 * SYNC_WINDOW + 1):
        for di in range(max(0, total - SYNC_WINDOW), min(total, SYNC_WINDOW) + 1):
            dj = total - di
            x, y = i + di, j + dj
            if x > len(a) or y > len(b):
                continue
            if x == len(a) and y == len(b):
                return di, dj
            if x < len(a) and y < len(b) and a[x : x + SYNC_LENGTH] == b[y : y + SYNC_LENGTH]:
                return di, dj
    return len(a) - i, len(b) - j


_BREAK = re.compile(r"\r\n|\r|\n")


class OffsetMap:
    """Positions in normalize(original) → positions in `original`. The normaliser keeps lines
    (it turns CR LF into LF), so lines are aligned one by one and equal lines cost nothing."""

    def __init__(self, original: str, normalized: str):
        self.original = original
        o_starts = [0] + [m.end() for m in _BREAK.finditer(original)]
        o_lines = _BREAK.split(original)
        n_lines = normalized.split("\n")
        self.n_starts: list[int] = []
        self.lines: list[tuple[int, tuple[list[int], list[int]] | None, int]] = []
        if len(o_lines) != len(n_lines):
            # Not line for line after all: align the whole text (slower, still linear-ish).
            self.n_starts = [0]
            self.lines = [(0, _align(normalized, original), len(normalized))]
            return
        pos = 0
        for o_start, o_line, n_line in zip(o_starts, o_lines, n_lines, strict=True):
            self.n_starts.append(pos)
            table = None if o_line == n_line else _align(n_line, o_line)
            self.lines.append((o_start, table, len(n_line)))
            pos += len(n_line) + 1

    def _locate(self, p: int) -> tuple[int, int]:
        index = max(0, bisect.bisect_right(self.n_starts, p) - 1)
        return index, p - self.n_starts[index]

    def start(self, p: int) -> int:
        index, offset = self._locate(p)
        o_start, table, length = self.lines[index]
        offset = min(offset, length)
        return o_start + (offset if table is None else table[0][offset])

    def end(self, p: int) -> int:
        index, offset = self._locate(p)
        o_start, table, length = self.lines[index]
        if offset == 0 and index > 0 and p > 0:
            # The end of a line: stay on the line before, not the start of the next one.
            o_start, table, length = self.lines[index - 1]
            offset = length
        offset = min(offset, length)
        return o_start + (offset if table is None else table[1][offset])


def segments(original: str, spans: list[Span], mapping: OffsetMap, base: int = 0) -> list[Segment]:
    """The original text cut into plain and marked pieces. Spans are in the normalised text
    of a plan that starts at `base` in the whole normalised text; `original` is that plan's
    original text, which starts at mapping.start(base) in the whole original."""
    origin = mapping.start(base)
    out: list[Segment] = []
    pos = 0
    for span in spans:
        start = mapping.start(base + span.start) - origin
        end = mapping.end(base + span.end) - origin
        if start < pos or end <= start:
            continue
        if start > pos:
            out.append(Segment(original[pos:start]))
        out.append(Segment(original[start:end], span.key, span.kind))
        pos = end
    if pos < len(original):
        out.append(Segment(original[pos:]))
    return out
