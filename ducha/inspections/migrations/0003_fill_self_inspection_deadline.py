"""Hazard sweeps created before self-inspections existed get the round's date as deadline, so
the next migration can require one. Re-runnable: rounds that have a deadline are left alone."""

from django.db import migrations
from django.db.models import F


def fill_self_inspection_deadline(apps, schema_editor):
    InspectionRound = apps.get_model("inspections", "InspectionRound")
    InspectionRound.objects.filter(
        kind="hazard_sweep", self_inspection_deadline__isnull=True
    ).update(self_inspection_deadline=F("date"))


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_hazard_sweep_self_inspection")]

    operations = [
        migrations.RunPython(fill_self_inspection_deadline, migrations.RunPython.noop),
    ]
