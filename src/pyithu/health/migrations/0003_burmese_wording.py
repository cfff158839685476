"""Seeded Burmese wording that used Latin letters, said in Burmese: the hotline in the first-aid
text for suicidal thoughts, and HIV in the infectious-diseases clinic's name. Only unedited seed
rows change: an operator's own wording stays."""

from django.db import migrations

HOTLINE = (
    "ကျန်းမာရေးဝန်ကြီးဌာန၏ Zero-Suicide ဖုန်းလိုင်းကို ယခုပင် ဆက်သွယ်ပါ။",
    "ကျန်းမာရေးဝန်ကြီးဌာန၏ ကိုယ့်ကိုယ်ကိုသတ်သေမှု ကာကွယ်ရေး ဖုန်းလိုင်းကို ယခုပင် ဆက်သွယ်ပါ။",
)
CLINIC = ("ကူးစက်ရောဂါ (တီဘီ၊ HIV အပါအဝင်)", "ကူးစက်ရောဂါ (တီဘီ၊ အိပ်ချ်အိုင်ဗွီ အပါအဝင်)")


def reword(apps, schema_editor):
    RedFlag = apps.get_model("health", "RedFlag")
    old, new = HOTLINE
    for flag in RedFlag.objects.filter(slug="suicidal-thoughts", first_aid_my__contains=old):
        flag.first_aid_my = flag.first_aid_my.replace(old, new)
        flag.save(update_fields=["first_aid_my"])
    Clinic = apps.get_model("health", "Clinic")
    old, new = CLINIC
    Clinic.objects.filter(slug="infectious-diseases", name_my=old).update(name_my=new)


class Migration(migrations.Migration):
    dependencies = [("health", "0002_seed")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
