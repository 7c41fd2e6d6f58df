from ducha.plans.extract.deadlines import extract_deadlines
from ducha.plans.extract.normalize import normalize


def _deadlines(text, year=None):
    return [(d["what"], d["due"], d["to"]) for d in extract_deadlines(normalize(text), year)]


def test_date_first_with_the_receiver():
    text = "6月18日前，向区卫生局人事监察科提交活动开展情况的书面总结报告（联系人：某某）。"
    assert _deadlines(text, 2012) == [
        ("活动开展情况的书面总结报告", "2012-06-18", "区卫生局人事监察科")
    ]


def test_the_year_stays_out_when_the_document_has_no_date():
    text = "6月18日前，向区卫生局提交书面总结报告。"
    assert _deadlines(text) == [("书面总结报告", "06-18", "区卫生局")]


def test_several_submissions_in_one_sentence():
    text = (
        "各单位、各部门活动实施方案、问题分析报告、整改措施和活动总结报告分别于2月19日、4月20日、"
        "5月30日、6月25日前报市局(公司)“深入解放思想,解决发展课题”活动领导小组。"
    )
    got = _deadlines(text)
    to = "市局（公司）“深入解放思想，解决发展课题”活动领导小组"
    assert got == [
        ("活动实施方案", "02-19", to),
        ("问题分析报告", "04-20", to),
        ("整改措施", "05-30", to),
        ("活动总结报告", "06-25", to),
    ]


def test_what_first():
    got = _deadlines("请各单位确定一名联络人于5月10日前上报卫生局党政办，并每周上报一次简报。")
    assert got == [("一名联络人", "05-10", "卫生局党政办")]


def test_jiang_form_and_month_end():
    got = _deadlines("各单位要于7月底前将工作总结报送局办公室。")
    assert got == [("工作总结", "07-31", "局办公室")]


def test_undated_report_with_a_receiver():
    got = _deadlines("在每个阶段工作结束后,以书面形式(附电子版)及时向县卫生局上报阶段性报告。")
    assert got == [("阶段性报告", None, "县卫生局")]


def test_information_sent_along_the_way_is_no_deadline():
    assert _deadlines("各单位要及时将活动进展情况信息报送区卫生局。") == []
