"""Chinese numerals as they appear in plans: 二〇一二, 十八, 三十一, 两, 一百二十."""

import re

DIGITS = {
    "〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMBER = "〇○零一二两三四五六七八九十百千万"


def cn_to_int(text: str) -> int | None:
    """'十八' -> 18, '二〇一二' -> 2012 (digit by digit), '12' -> 12; None if not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if not any(ch in UNITS for ch in text):
        # read digit by digit, as years are written: 二〇一二
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            continue
        unit = UNITS[ch]
        if unit == 10000:
            section = (section + (digit or 0)) * unit
            total += section
            section = 0
        else:
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


_CN_DATE = re.compile(
    r"(?:(?P<y>[〇○零一二三四五六七八九]{4})年)?"
    r"(?P<m>[一二三四五六七八九十]{1,3})月"
    r"(?:(?P<d>[一二三四五六七八九十]{1,3})[日号]|(?=上旬|中旬|下旬|底|初|份|中))?"
)
_CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")


def arabic_dates(text: str) -> str:
    """Rewrite dates in Chinese numerals with Arabic digits: 二〇一二年四月十八日 -> 2012年4月18日."""

    def repl(m: re.Match) -> str:
        month = cn_to_int(m["m"])
        if not (
            m["y"] or m["d"] or m.end() < len(m.string) and m.string[m.end()] in "上中下底初份"
        ):
            return m[0]  # a bare 一月 is as likely 一月一督查 (once a month) as January
        if not month or month > 12:
            return m[0]
        out = f"{cn_to_int(m['y'])}年" if m["y"] else ""
        out += f"{month}月"
        if m["d"]:
            day = cn_to_int(m["d"])
            if not day or day > 31:
                return m[0]
            out += f"{day}日"
        return out

    text = _CN_DATE.sub(repl, text)
    return _CN_YEAR.sub(lambda m: str(cn_to_int(m[0])), text)
