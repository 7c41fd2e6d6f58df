from ducha.plans.extract.assignments import extract_assignments, split_targets
from ducha.plans.extract.normalize import normalize

FLATTENED = """局领导班子成员走访活动安排表
\t姓  名
\t职  务
\t调研单位

\t蒋海峰
\t党委书记

局长
\t台一医

\t曹利军
\t党委委员

副局长
\t区第三人民医院、区妇幼保健院

\t王  蔚
\t党委委员
\t院桥中心卫生院及其管辖乡、镇（街道）卫生院
"""


def test_a_table_flattened_one_cell_per_line():
    got = extract_assignments(normalize(FLATTENED))
    assert got == [
        {"person": "蒋海峰", "role": "党委书记、局长", "targets": ["台一医"]},
        {
            "person": "曹利军",
            "role": "党委委员、副局长",
            "targets": ["区第三人民医院", "区妇幼保健院"],
        },
        {
            "person": "王蔚",
            "role": "党委委员",
            "targets": ["院桥中心卫生院及其管辖乡、镇（街道）卫生院"],
        },
    ]


def test_the_same_table_without_tabs():
    got = extract_assignments(normalize(FLATTENED.replace("\t", "")))
    assert [a["person"] for a in got] == ["蒋海峰", "曹利军", "王蔚"]
    assert got[0]["role"] == "党委书记、局长"


def test_a_table_row_per_line_as_from_docx():
    text = "序号\t姓名\t职务\t联系单位\n1\t张三\t局长\t东湖卫生院、西山卫生院\n2\t李四\t副局长\t县疾控中心\n"
    got = extract_assignments(text)
    assert got == [
        {"person": "张三", "role": "局长", "targets": ["东湖卫生院", "西山卫生院"]},
        {"person": "李四", "role": "副局长", "targets": ["县疾控中心"]},
    ]


def test_a_prose_assignment():
    got = extract_assignments("张三（局长）：东湖卫生院、西山卫生院；李四（副局长）：县疾控中心。")
    assert [(a["person"], a["targets"]) for a in got] == [
        ("张三", ["东湖卫生院", "西山卫生院"]),
        ("李四", ["县疾控中心"]),
    ]


def test_targets_keep_lists_of_township_levels_together():
    assert split_targets("区卫生监督所、区疾病控制中心、北洋中心卫生院及其管辖乡、镇卫生院") == [
        "区卫生监督所", "区疾病控制中心", "北洋中心卫生院及其管辖乡、镇卫生院",
    ]  # fmt: skip


def test_no_table():
    assert extract_assignments("各单位要认真开展走访活动。") == []
