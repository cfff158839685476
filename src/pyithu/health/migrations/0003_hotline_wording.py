"""The seeded Burmese first-aid text for suicidal thoughts named the hotline in Latin letters;
say it in Burmese. Only an unedited seed row changes: an operator's own wording stays."""

from django.db import migrations

OLD = "ကျန်းမာရေးဝန်ကြီးဌာန၏ Zero-Suicide ဖုန်းလိုင်းကို ယခုပင် ဆက်သွယ်ပါ။"
NEW = "ကျန်းမာရေးဝန်ကြီးဌာန၏ ကိုယ့်ကိုယ်ကိုသတ်သေမှု ကာကွယ်ရေး ဖုန်းလိုင်းကို ယခုပင် ဆက်သွယ်ပါ။"


def reword(apps, schema_editor):
    RedFlag = apps.get_model("health", "RedFlag")
    for flag in RedFlag.objects.filter(slug="suicidal-thoughts", first_aid_my__contains=OLD):
        flag.first_aid_my = flag.first_aid_my.replace(OLD, NEW)
        flag.save(update_fields=["first_aid_my"])


class Migration(migrations.Migration):
    dependencies = [("health", "0002_seed")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
