from ducha.plans.extract import extract_text

NOTICE = """ 台州市某区卫生局（通知）
某卫发[2012]39号
关于印发《某区卫生系统“大走访”活动实施意见》的通知

各医疗卫生单位：
    现将《某区卫生系统“大走访”活动实施意见》印发给你们，请认真遵照执行。

                              二〇一二年四月十八日
某区卫生系统“大走访”
活动实施意见

为进一步深化创先争优活动，特制订如下实施意见。
"""


def test_it_reads_the_head_of_a_notice():
    plan = extract_text(NOTICE)[0]
    assert plan["title"] == "某区卫生系统“大走访”活动实施意见"
    assert plan["doc_number"] == "某卫发〔2012〕39号"
    assert plan["issuer"] == "台州市某区卫生局"
    assert plan["issue_date"] == "2012-04-18"
    assert plan["year_placeholder"] is False


def test_a_cited_number_is_not_the_plans_own():
    text = (
        "某某工作实施方案\n\n根据《关于开展效能建设的意见》(庆发[2004]9号)文件精神，制定本方案。\n"
    )
    plan = extract_text(text)[0]
    assert plan["doc_number"] is None
    assert plan["title"] == "某某工作实施方案"


def test_a_document_file_header_names_the_issuer():
    text = "某省卫生系统活动 指导小组文件\n\n某卫发[2012]1号\n\n关于印发《2012 年全省 工作要点》的通知\n"
    plan = extract_text(text)[0]
    assert plan["issuer"] == "某省卫生系统活动指导小组"
    assert plan["title"] == "2012年全省工作要点"


def test_the_issuer_who_decided_the_plan():
    plan = extract_text("全县作风整顿活动实施方案\n\n经县卫生局研究决定，开展作风整顿。\n")[0]
    assert plan["issuer"] == "县卫生局"
    plan = extract_text("烟草系统整顿活动实施方案\n\n经市局(公司)党委研究，决定开展活动。\n")[0]
    assert plan["issuer"] == "市局（公司）党委"


def test_several_bodies_deciding_together_are_not_guessed_at():
    plan = extract_text("市双创工作实施方案\n\n市委、市政府决定在全市开展创建工作。\n")[0]
    assert plan["issuer"] is None


def test_nothing_said_gives_nulls():
    plan = extract_text("某某活动实施方案\n\n认真开展活动，确保取得实效。\n")[0]
    assert plan["doc_number"] is None
    assert plan["issuer"] is None
    assert plan["issue_date"] is None
