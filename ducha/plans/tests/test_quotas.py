from ducha.plans.extract.quotas import extract_quotas


def test_a_yearly_count():
    (q,) = extract_quotas("组织党员干部职工每年不少于2次深入到各联系村。")
    assert q == {"text": "每年不少于2次", "number": 2, "comparator": ">=", "unit": "次/年"}


def test_study_hours():
    qs = extract_quotas(
        "每名干部职工的个人自学时间不少于40学时，单位或部门集中学习时间不少于10学时。"
    )
    assert [(q["number"], q["unit"]) for q in qs] == [(40, "学时"), (10, "学时")]
    assert qs[0]["text"] == "个人自学时间不少于40学时"


def test_chinese_numerals_and_an_upper_bound():
    (q,) = extract_quotas("走访小组每次不超过五人。")
    assert (q["number"], q["comparator"], q["unit"]) == (5, "<=", "人")
    (q,) = extract_quotas("调研时间不少于一周。")
    assert (q["number"], q["unit"]) == (1, "周")


def test_a_verb_between_the_comparator_and_the_number():
    (q,) = extract_quotas("每位局领导至少走访2家企业。")
    assert (q["number"], q["comparator"], q["unit"]) == (2, ">=", "家")


def test_percentages_and_waiting_times_are_targets_not_quotas():
    assert extract_quotas("满意度达到80%以上，排队等候不超过15分钟。") == []
