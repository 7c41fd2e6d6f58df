"""Plans the importer tests share: the seed district plan (the demo's copy) and a short plan
of the test cast's county with masked years, written like the seeds."""

from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "core" / "demo_plan.txt"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# 艾丽 is Alice and 鲍勃 Bob of the root conftest; 区中医院 is 东湖区中医院 and 区人民医院
# 东湖区人民医院; 西山县人民医院 lies in another county.
MASKED_PLAN = """\
东湖区卫生健康局文件
东卫发〔2024〕12号
东湖区卫生系统作风整顿活动实施方案

为进一步加强卫生系统作风建设，经研究决定，在全区卫生系统开展作风整顿活动，特制定本实施方案。

一、实施步骤

（一）动员部署阶段（20xx年12月20日-31日）。召开动员大会，全面部署整顿活动。

（二）查摆剖析阶段（1月上旬—2月下旬）。广泛征求意见，认真查找问题。

（三）整改落实阶段（3月1日-4月30日）。针对查找出的问题，制定整改措施。

二、重点工作

（一）进村入户。组织党员干部职工每年不少于2次深入到各联系村走访农户。

（二）学习提高。个人自学时间不少于40学时，集中学习不少于10学时。

三、工作要求

各医疗卫生单位要结合实际制定具体实施方案。4月30日前，向区卫生局办公室报送活动开展情况的书面总结报告。

附件：

东湖区卫生系统作风整顿活动领导小组

组  长：艾丽

副组长：鲍勃   张  三

成  员：李四

局领导班子成员走访活动安排表
	姓  名
	职  务
	调研单位

	鲍勃
	副局长
	区中医院

	张  三
	党委委员
	区人民医院及其管辖卫生院、西山县人民医院
"""
