from ducha.plans.extract.dates import full_date, has_masked_year, parse_point, parse_range
from ducha.plans.extract.normalize import normalize
from ducha.plans.extract.numerals import arabic_dates, cn_to_int


def _range(s, year=None):
    start, end = parse_range(s, year)
    return start.text(), end.text(end=True)


def test_it_reads_chinese_numerals():
    assert cn_to_int("十八") == 18
    assert cn_to_int("三十一") == 31
    assert cn_to_int("二〇一二") == 2012
    assert cn_to_int("两") == 2
    assert cn_to_int("一百二十") == 120
    assert cn_to_int("甲") is None


def test_it_rewrites_dates_in_chinese_numerals():
    assert arabic_dates("二〇一二年四月十八日") == "2012年4月18日"
    assert arabic_dates("十二月下旬") == "12月下旬"
    # a bare 一月 may mean "once a month"
    assert arabic_dates("坚持一月一督查") == "坚持一月一督查"


def test_it_turns_full_width_digits_half_width():
    assert full_date(normalize("２０１２年４月１８日")) == "2012-04-18"


def test_a_full_date():
    assert full_date("二〇一二年四月十八日") is None  # not normalised yet
    assert full_date(normalize("二〇一二年四月十八日")) == "2012-04-18"


def test_a_deadline_day_before():
    p = parse_point("6月18日前").fill_year(2012)
    assert p.due() == "2012-06-18"


def test_month_end_is_the_last_day():
    assert parse_point("7月底").due() == "07-31"
    assert parse_point("2012年2月底").due() == "2012-02-29"


def test_parts_of_a_month():
    assert _range("3月下旬—4月下旬") == (("03", "late"), ("04", "late"))
    assert _range("2月中旬—3月中旬") == (("02", "mid"), ("03", "mid"))
    assert _range("5月上旬至5月下旬") == (("05", "early"), ("05", "late"))
    assert _range("8月中下旬") == (("08", "mid"), ("08", "late"))
    assert _range("7月底至8月初") == (("07", "late"), ("08", "early"))


def test_masked_years_give_month_and_day_only():
    assert _range("201*年12月20日-31日") == (("12-20", None), ("12-31", None))
    assert _range("201*年1月1日-2月28日") == (("01-01", None), ("02-28", None))
    assert _range("6月—20xx年6月底") == (("06", None), ("06", "late"))


def test_the_issue_year_fills_years_the_text_leaves_out():
    assert _range("5月1日—5月31日", 2012) == (("2012-05-01", None), ("2012-05-31", None))
    # a range across the new year
    assert _range("12月20日至1月10日", 2012) == (("2012-12-20", None), ("2013-01-10", None))
    # but never a masked year
    assert _range("201*年5月1日-5月31日", 2012) == (("05-01", None), ("05-31", None))


def test_explicit_years_are_kept():
    assert _range("2017年7月至12月") == (("2017-07", None), ("2017-12", None))
    assert _range("2017年4月") == (("2017-04", None), ("2017-04", None))


def test_an_open_end():
    assert _range("20xx年7月—党的十八大召开前") == (("07", None), (None, None))


def test_masked_year_detection():
    assert has_masked_year("从 201* 年12月开始")
    assert has_masked_year("省局20xx年工作会议精神")
    assert has_masked_year("20XX年")
    assert not has_masked_year("2012年4月18日")
    assert not has_masked_year("**县人民政府")
