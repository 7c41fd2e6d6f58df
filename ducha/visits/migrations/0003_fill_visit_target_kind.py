"""Set target_kind on visits logged before it existed, from the kinds of their places."""

from django.db import migrations

VILLAGE_KINDS = ("village", "community", "household", "grid_cell")


def fill(apps, schema_editor):
    Visit = apps.get_model("visits", "Visit")
    pending = Visit.objects.filter(target_kind="").order_by("pk")
    while True:
        batch = list(pending.prefetch_related("places")[:500])
        if not batch:
            break
        for visit in batch:
            kinds = {place.kind for place in visit.places.all()}
            if "enterprise" in kinds:
                visit.target_kind = "enterprise"
            elif kinds & set(VILLAGE_KINDS):
                visit.target_kind = "village"
            else:
                visit.target_kind = "unit"
        Visit.objects.bulk_update(batch, ["target_kind"])


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_add_visit_target_kind")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
