"""Dates as plans write them, after normalize(): 2012年4月18日, 4月18日前, 7月底, 3月下旬—4月下旬,
201*年12月20日-31日, 20xx年6月底. Output follows the schema: YYYY-MM-DD, YYYY-MM, MM-DD or MM,
with 上旬/初 = early, 中旬 = mid, 下旬/底/末 = late as a separate part."""

import calendar
import re
from dataclasses import dataclass

MASK = r"[*xX×]"
YEAR = rf"(?:(?:19|20)\d{{2}}|(?:19|20|2)\d{{0,2}}{MASK}{{1,3}}|{MASK}{{2,4}})"
PART = r"(?:上中旬|中下旬|上旬|中旬|下旬|初|底|末|中)"
# one point in time; every group is optional but at least a month or a year must be present
POINT = (
    rf"(?:(?P<y>{YEAR})\s*年(?:度)?\s*)?"
    rf"(?:(?P<m>1[0-2]|0?[1-9])\s*月(?:份)?\s*"
    rf"(?:(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]|(?P<p>{PART}))?)?"
)
POINT_RE = re.compile(POINT)
SEP = r"\s*(?:[-—–~～－―至到]+|至|到)\s*"
# a bare day after a separator: 12月20日-31日
DAY_ONLY = re.compile(r"(?P<d>3[01]|[12]\d|0?[1-9])\s*[日号]")
MASKED_YEAR = re.compile(rf"(?<!\d){YEAR}\s*年")

PARTS = {
    "上旬": ("early", "early"),
    "初": ("early", "early"),
    "中旬": ("mid", "mid"),
    "中": ("mid", "mid"),
    "下旬": ("late", "late"),
    "底": ("late", "late"),
    "末": ("late", "late"),
    "上中旬": ("early", "mid"),
    "中下旬": ("mid", "late"),
}


@dataclass
class Point:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    part: str | None = None  # the wording: 上旬, 中下旬, 底 ...
    masked: bool = False  # the year is written but masked (201*, 20xx)

    @property
    def empty(self) -> bool:
        return self.month is None and self.year is None

    def fill_year(self, year: int | None) -> "Point":
        if self.year is None and not self.masked and year is not None:
            self.year = year
        return self

    def text(self, end: bool = False) -> tuple[str | None, str | None]:
        """(date, part) in the schema's form; the part of 中下旬 depends on the range side."""
        if self.month is None:
            return None, None
        ymd = f"{self.year:04d}-" if self.year and not self.masked else ""
        ymd += f"{self.month:02d}"
        if self.day:
            ymd += f"-{self.day:02d}"
        part = None
        if self.part and not self.day:
            part = PARTS[self.part][1 if end else 0]
        return ymd, part

    def due(self) -> str | None:
        """A deadline day: the day itself, or the month's last day for 月底/下旬."""
        if self.month is None:
            return None
        day = self.day
        if day is None and self.part in ("底", "末", "下旬", "中下旬"):
            day = calendar.monthrange(self.year or 2001, self.month)[1]
        if day is None:
            return None
        prefix = f"{self.year:04d}-" if self.year and not self.masked else ""
        return f"{prefix}{self.month:02d}-{day:02d}"


def point_from_match(m: re.Match) -> Point:
    y = m["y"]
    masked = bool(y and re.search(MASK, y))
    return Point(
        year=int(y) if y and not masked else None,
        month=int(m["m"]) if m["m"] else None,
        day=int(m["d"]) if m["d"] else None,
        part=m["p"],
        masked=masked,
    )


def parse_point(s: str) -> Point:
    m = POINT_RE.match(s.strip())
    return point_from_match(m) if m else Point()


def parse_range(s: str, year: int | None = None) -> tuple[Point, Point] | None:
    """'3月下旬—4月下旬' -> two points; a single point gives the same point twice.

    `year` (from the issue date) fills years the text leaves out; a masked year is never filled.
    None when the text holds no date at all.
    """
    s = s.strip()
    m = POINT_RE.match(s)
    if not m or not m[0].strip() or (m["m"] is None):
        return None
    start = point_from_match(m)
    rest = s[m.end() :]
    sep = re.match(SEP, rest)
    end = None
    if sep:
        tail = rest[sep.end() :]
        m2 = POINT_RE.match(tail)
        if m2 and m2["m"]:
            end = point_from_match(m2)
        else:
            d = DAY_ONLY.match(tail)
            if d:
                end = Point(start.year, start.month, int(d["d"]), None, start.masked)
        if end is None:
            # open end: 20xx年7月—党的十八大召开前
            end = Point()
        if end.year is None and not end.masked and end.month is not None:
            end.year, end.masked = start.year, start.masked
    if end is None:
        end = Point(start.year, start.month, start.day, start.part, start.masked)
    if start.year is None and not start.masked and year is not None:
        start.fill_year(year)
        if end.month is not None and end.year is None and not end.masked:
            end.year = year + (1 if end.month < start.month else 0)
    elif end.year is None and not end.masked and start.year and end.month is not None:
        end.year = start.year + (1 if end.month < start.month else 0)
    return start, end


DATE_FULL = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*年\s*(1[0-2]|0?[1-9])\s*月\s*(3[01]|[12]\d|0?[1-9])\s*日"
)


def full_date(s: str) -> str | None:
    """The first full date (YYYY-MM-DD) in s, or None."""
    m = DATE_FULL.search(s)
    if not m:
        return None
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"


def has_masked_year(text: str) -> bool:
    return any(re.search(MASK, m[0]) for m in MASKED_YEAR.finditer(text))
