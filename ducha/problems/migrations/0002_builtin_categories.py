"""The built-in problem categories (DOMAIN §7). Re-runnable: existing codes are left alone."""

from django.db import migrations

BUILTIN = [
    ("service_attitude", "服务态度"),
    ("efficiency", "办事效率"),
    ("management", "管理"),
    ("medical_ethics", "医德医风"),
    ("red_envelopes", "红包回扣"),
    ("discipline", "工作纪律"),
    ("environment", "环境"),
    ("safety_hazard", "安全隐患"),
    ("other", "其他"),
]


def add_builtins(apps, schema_editor):
    Category = apps.get_model("problems", "Category")
    for order, (code, name) in enumerate(BUILTIN, start=1):
        Category.objects.get_or_create(
            code=code, defaults={"name": name, "builtin": True, "sort_order": order * 10}
        )


def remove_builtins(apps, schema_editor):
    Category = apps.get_model("problems", "Category")
    Category.objects.filter(builtin=True, problems__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [migrations.RunPython(add_builtins, remove_builtins)]
