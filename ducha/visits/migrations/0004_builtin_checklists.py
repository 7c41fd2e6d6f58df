"""The checklists the plans prescribe, shipped as data (黄卫发〔2012〕39号):

三访三问三查 when visiting villages, 三访三问三服务 when visiting enterprises, and the
unit-level 六个一 of "进农村、访农家". Item texts are the plan's own words. Re-running
updates the rows in place; a campaign office defines further templates per campaign.
"""

from django.db import migrations


def _items(*rows):
    return [{"key": key, "text": text, "kind": kind} for key, text, kind in rows]


BUILTIN = [
    {
        "code": "sanfang-sanwen-sancha",
        "name": "三访三问三查",
        "target": "village",
        "items": _items(
            ("visit_poor", "访贫困户", "check"),
            ("visit_veteran", "访老党员", "check"),
            ("visit_petitioner", "访信访户", "check"),
            ("ask_ideas", "问发展思路", "text"),
            ("ask_difficulties", "问发展困难", "text"),
            ("ask_policies", "问发展需要什么政策", "text"),
            ("check_mechanisms", "查原有工作机制是否落实", "check"),
            ("check_contact_rules", "查各项联系制度是否落实", "check"),
            ("check_responsibility", "查责任落实机制是否到位", "check"),
        ),
    },
    {
        "code": "sanfang-sanwen-sanfuwu",
        "name": "三访三问三服务",
        "target": "enterprise",
        "items": _items(
            ("visit_technicians", "访企业技术人员", "check"),
            ("visit_owner", "访企业主", "check"),
            ("visit_workers", "访困难职工", "check"),
            ("ask_ideas", "问企业发展思路", "text"),
            ("ask_difficulties", "问发展困难", "text"),
            ("ask_policies", "问发展需要什么政策", "text"),
            ("serve_projects", "服务企业项目", "check"),
            ("serve_government", "跟进政府优质服务", "check"),
            ("serve_platform", "搭建服务平台", "check"),
        ),
    },
    {
        "code": "liugeyi",
        "name": "六个一",
        "target": "unit",
        "items": _items(
            ("households", "走访一批农户", "check"),
            ("consultation", "开展一次民主恳谈", "check"),
            ("idea", "梳理一项发展思路", "text"),
            ("practical_thing", "落实一件实事", "text"),
            ("dispute_screening", "开展一次矛盾纠纷排查", "check"),
            ("suggestion", "提出一条工作建议", "text"),
        ),
    },
]


def add_builtins(apps, schema_editor):
    ChecklistTemplate = apps.get_model("visits", "ChecklistTemplate")
    for row in BUILTIN:
        ChecklistTemplate.objects.update_or_create(
            code=row["code"],
            builtin=True,
            campaign=None,
            defaults={"name": row["name"], "target": row["target"], "items": row["items"]},
        )


class Migration(migrations.Migration):
    dependencies = [("visits", "0003_fill_visit_target_kind")]

    operations = [migrations.RunPython(add_builtins, migrations.RunPython.noop)]
