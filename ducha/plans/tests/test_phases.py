from ducha.plans.extract.normalize import normalize
from ducha.plans.extract.phases import extract_phases


def _phases(text, year=None):
    return [
        (p["name"], p["start"], p["start_part"], p["end"], p["end_part"])
        for p in extract_phases(normalize(text), year)
    ]


def test_named_phases_with_masked_years():
    text = (
        "分四个阶段进行。\n\n(一)动员部署阶段(201*年12月20日-31日)。召开大会。\n\n"
        "(二)分析检查阶段(201*年1月1日-2月28日)。开展自查。\n"
    )
    assert _phases(text) == [
        ("动员部署", "12-20", None, "12-31", None),
        ("分析检查", "01-01", None, "02-28", None),
    ]


def test_parts_of_months_and_stage_ordinals():
    text = (
        "分学习动员、分析检查、整改提高、总结验收四个阶段进行。\n"
        "(一)学习动员阶段(2月中旬—3月中旬)。\n"
        "第三阶段:整改提高阶段(5月上旬—5月下旬)。\n"
    )
    assert _phases(text) == [
        ("学习动员", "02", "mid", "03", "mid"),
        ("整改提高", "05", "early", "05", "late"),
    ]


def test_stage_first_forms():
    text = (
        "第一阶段：宣传发动（2012年5月1日—5月15日）。\n第二阶段（5月16日至6月30日）：整改落实。\n"
    )
    assert _phases(text) == [
        ("宣传发动", "2012-05-01", None, "2012-05-15", None),
        ("整改落实", "05-16", None, "06-30", None),
    ]


def test_the_issue_year_completes_phase_dates():
    assert _phases("(一)宣传发动阶段(5月1日—5月15日)。", 2012) == [
        ("宣传发动", "2012-05-01", None, "2012-05-15", None)
    ]


def test_numbered_steps_without_the_word_phase():
    text = (
        "三、方法步骤\n全市分四个步骤进行。\n"
        "(一)广泛发动,安排部署(4月上旬—5月底)。主要抓好三项工作。\n"
        "(二)全面争创,扎实推进(6月—20xx年6月底)。各单位开展活动。\n"
    )
    assert _phases(text) == [
        ("广泛发动，安排部署", "04", "early", "05", "late"),
        ("全面争创，扎实推进", "06", None, "06", "late"),
    ]


def test_a_dated_line_in_the_text_is_not_a_phase():
    assert _phases("各单位要在8月中下旬组织人员自查。在每个阶段工作结束后上报。") == []


def test_a_phase_dated_on_the_next_line():
    assert _phases("(一)宣传发动阶段\n时间：2012年5月1日至5月15日。\n") == [
        ("宣传发动", "2012-05-01", None, "2012-05-15", None)
    ]
