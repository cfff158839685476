"""Burmese names for the appendix 3 institutions and programmes and the demo schools made
before they had one (rows that already have a Burmese name are left alone)."""

from django.db import migrations


def fill(apps, schema_editor):
    from pyithu.education.names_my import PROGRAMMES, SCHOOLS

    for model, names in (("School", SCHOOLS), ("Programme", PROGRAMMES)):
        rows = apps.get_model("education", model).objects
        for name_en, name_my in names.items():
            rows.filter(name_en=name_en, name_my="").update(name_my=name_my)


class Migration(migrations.Migration):
    dependencies = [("education", "0005_reason_revoked_townships")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
