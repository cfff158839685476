from django.db import migrations


def seed(apps, schema_editor):
    from pyithu.health.seed import CLINICS, RED_FLAGS

    Clinic = apps.get_model("health", "Clinic")
    RedFlag = apps.get_model("health", "RedFlag")
    for order, (slug, en, my, mental, direct) in enumerate(CLINICS):
        Clinic.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": en,
                "name_my": my,
                "is_mental_health": mental,
                "direct_booking": direct,
                "order": order,
            },
        )
    for order, (slug, kind, len_, lmy, ken, kmy, fen, fmy) in enumerate(RED_FLAGS):
        RedFlag.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "label_en": len_,
                "label_my": lmy,
                "keywords_en": ken,
                "keywords_my": kmy,
                "first_aid_en": fen,
                "first_aid_my": fmy,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
