"""Title, document number, issuer and issue date: what the head and the foot of a plan say."""

import re

from .dates import full_date
from .normalize import chinese_punct, squeeze

CJK = r"\u4e00-\u9fff"
# 黄卫发〔2012〕39号 on a line of its own (a number cited in a sentence is another document's)
DOC_NUMBER_LINE = re.compile(
    rf"^\s*(?P<n>[{CJK}A-Za-z]{{1,12}}\s*〔\s*(?:19|20)\d{{2}}\s*〕\s*\d{{1,4}}\s*号)\s*$"
)
PLAN_KINDS = r"(?:实施方案|工作方案|活动方案|方案|实施意见|意见|工作要点|要点|实施办法|办法|实施细则|细则|工作计划|计划|安排|规划)"
TITLE_LINE = re.compile(
    rf"^(?![(（]?[一二三四五六七八九十\d]+[)）、.．])[^，。；！？,;!?：:]{{4,60}}{PLAN_KINDS}[。.]?$"
)
NOTICE = re.compile(r"关于(?:印发|转发|下发)\s*《(?P<t>[^》]{4,80})》")
DATE_LINE = re.compile(
    r"^\s*(?:19|20)\d{2}\s*年\s*(?:1[0-2]|0?[1-9])\s*月\s*(?:3[01]|[12]\d|0?[1-9])\s*日\s*$"
)
ORG_END = r"(?:局|委|厅|部|处|科|室|办|院|所|中心|小组|委员会|党组|党委|政府|公司|协会|站|会|组)"
ISSUER_HEAD = re.compile(rf"^(?P<o>[{CJK}（）()\s]{{3,40}}?)\s*(?:文件|[（(]通知[)）]|通知)?\s*$")
# 经县卫生局研究决定 / 经市局(公司)党委研究 / 市卫生局党组决定 / 市卫生局决定在
DECIDED = [
    re.compile(rf"经(?P<o>[{CJK}（）()]{{2,20}}?{ORG_END})(?:研究|讨论|同意|批准)"),
    re.compile(
        rf"(?:^|[，,。；;：:\s])(?P<o>[{CJK}（）()]{{2,16}}?{ORG_END})(?:研究)?决定(?:在|，|,|：|:|开展|从)"
    ),
]
ABOUT = re.compile(
    rf"(?:^|\n|[:：]\s*)(?P<o>[{CJK}—\-（）()]{{3,40}}?{ORG_END})\s*关于[^\n。]{{2,60}}?{PLAN_KINDS}"
)
NOT_ORG = re.compile(r"[、和及与]|^(?:我|本|各|上级|根据|按照|为)")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def doc_number(text: str) -> tuple[str | None, int | None]:
    """(number, line index) of the first 文号 standing on its own line in the head."""
    for i, line in enumerate(_lines(text)[:40]):
        m = DOC_NUMBER_LINE.match(line)
        if m:
            return squeeze(m["n"]), i
    return None, None


def title(text: str) -> str | None:
    """The plan's own title: what the covering notice prints it as, else its title line."""
    m = NOTICE.search(text[:3000])
    if m:
        return chinese_punct(squeeze(m["t"]))
    for line in _lines(text)[:60]:
        s = re.sub(r"^(?:文章标题|标题)[:：]", "", line.strip().split(">")[-1].strip())
        s = s.strip("《》 ")
        if TITLE_LINE.match(s) and "《" not in s and not s.startswith(("附件", "关于印发")):
            return chinese_punct(squeeze(s.rstrip("。.")))
    for line in _lines(text)[:10]:
        s = squeeze(line)
        if 4 <= len(s) <= 40 and not re.search(r"[，。；,;]", s):
            return chinese_punct(s)
    return None


def issuer(text: str) -> str | None:
    """The body issuing the plan: the head line above its 文号, else who 'decided' it."""
    lines = _lines(text)
    _, at = doc_number(text)
    if at is not None:
        for line in reversed(lines[:at]):
            if not line.strip():
                continue
            m = ISSUER_HEAD.match(line.strip())
            if m and re.search(rf"{ORG_END}$", squeeze(m["o"])):
                return chinese_punct(squeeze(m["o"]))
            break
    head = text[:1500]
    # 中共某局委员会某局关于印发……的实施方案: the bodies before 关于 sign the plan
    m = ABOUT.search(head)
    if m:
        return chinese_punct(squeeze(m["o"]))
    for pattern in DECIDED:
        for m in pattern.finditer(head):
            org = m["o"]
            org = re.sub(r"^(?:并|经|由|现|特|今年|近期|为此)", "", org)
            if NOT_ORG.search(org) or len(org) < 2:
                continue
            return chinese_punct(org)
    return None


def issue_date(text: str) -> str | None:
    """The date the plan is signed with: the first full date standing on its own line."""
    for line in _lines(text):
        if DATE_LINE.match(line):
            return full_date(line)
    return None
