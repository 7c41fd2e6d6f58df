"""Telling plans apart when several were pasted into one box."""

import re

from .header import NOTICE, TITLE_LINE
from .normalize import squeeze

MIN_BODY = 300  # characters a plan needs before another title can start a new one
SAME_TITLE_GAP = 2000  # a title repeated after this much text is a second copy of the plan


def _candidate(line: str) -> str | None:
    s = squeeze(re.sub(r"^(?:文章标题|标题)[:：]", "", line.strip())).strip("《》")
    s = s.rstrip("。.")
    if not s or "《" in s or s.startswith(("附件", "关于", "附")) or len(s) > 60:
        return None
    if not TITLE_LINE.match(s):
        return None
    return s


def _related(a: str, b: str) -> bool:
    return a in b or b in a


def split_plans(text: str) -> list[str]:
    """The text cut where a new plan's title line begins; one part for a single plan."""
    lines = text.split("\n")
    starts = [0]
    titles: list[str] = []  # titles the current plan is known by
    body = 0  # characters since the current plan started
    since_title = 0
    pos = 0
    for line in lines:
        cand = _candidate(line)
        if cand:
            known = any(_related(cand, t) for t in titles)
            if titles and (
                (not known and body >= MIN_BODY) or (known and since_title >= SAME_TITLE_GAP)
            ):
                starts.append(pos)
                titles, body = [], 0
            titles.append(cand)
            since_title = 0
        else:
            n = len(line.strip())
            body += n
            since_title += n
            m = NOTICE.search(line)
            if m:
                titles.append(squeeze(m["t"]))
        pos += len(line) + 1
    starts.append(len(text))
    parts = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
    return [p for p in parts if p.strip()]
