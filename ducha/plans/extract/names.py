"""Personal names in lists: 於招明   曹利军   王  蔚 / 刘石溪 邓英明 鲍 明."""

import re

CJK = r"\u4e00-\u9fff"
# words that make a cell a post, a unit or a description rather than a person's name
NOT_NAME = re.compile(
    r"负责|书记|局长|主任|院长|科长|股长|所长|组长|委员|成员|领导|同志|单位|部门|各|名单|略|省略|"
    r"职务|姓名|调研|联系|走访|医院|卫生|中心|办公|主要|分管|班子|兼任|担任|其他|相关|有关|^各"
)


POST_AROUND = re.compile(
    r"^(?:党委书记|党组书记|副局长|局长|副主任|主任|副院长|院长|纪委书记|纪检组长|调研员|书记)|"
    r"(?:党委书记|党组书记|副局长|局长|副主任|主任|副院长|院长|纪委书记|纪检组长|调研员|书记)$"
)


def is_name(s: str) -> bool:
    s = re.sub(r"\s+", "", s)
    return bool(re.fullmatch(rf"[{CJK}·]{{2,4}}", s)) and not NOT_NAME.search(s)


def split_names(s: str) -> list[str]:
    """Names from a list cell; single characters split by spaces are joined (王  蔚 -> 王蔚)."""
    s = re.sub(r"[（(][^）)]*[）)]", " ", s)  # posts in brackets: 张三（局长）
    tokens = [t for t in re.split(r"[\s、，,；;/]+", s) if t]
    names: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if len(tok) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) <= 2:
            tok += tokens[i + 1]
            i += 1
        i += 1
        tok = tok.rstrip("。.")
        tok = re.sub(r"同志$", "", tok)
        tok = POST_AROUND.sub("", tok) if len(tok) > 4 else tok
        if is_name(tok):
            names.append(tok)
    return names
