"""Payers' notes move out of the plain ``reference`` column into a sealed ``note``.

Before this, the person-to-person form stored its free-text note as the transfer's reference.
Those notes are copied into the sealed field and the plain copies cleared.
"""

from django.db import migrations, models

import pyithu.core.fields


def seal_old_notes(apps, schema_editor):
    Transfer = apps.get_model("finance", "Transfer")
    for transfer in Transfer.objects.filter(kind="p2p").exclude(reference="").iterator():
        transfer.note = transfer.reference
        transfer.reference = ""
        transfer.save(update_fields=["note", "reference"])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_currencies_and_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="donation",
            name="show_name",
            field=models.BooleanField(default=False, verbose_name="thank me by name"),
        ),
        migrations.AddField(
            model_name="transfer",
            name="note",
            field=pyithu.core.fields.SealedTextField(blank=True, verbose_name="note"),
        ),
        migrations.RunPython(seal_old_notes, migrations.RunPython.noop),
    ]
