from django.db import migrations

# The two services patients could already share with (ServiceReferral.Service); operators add
# more in the admin.
SERVICES = [
    (
        "gbv-counselling",
        "Counselling for gender-based violence (Tine Pin Phaw)",
        "ကျား/မ အခြေပြု အကြမ်းဖက်မှုဆိုင်ရာ အကြံပေးဆွေးနွေးမှု (တိုင်ပင်ဖော်)",
    ),
    ("legal-aid", "Legal aid (Mhyata Lan Nyun)", "ဥပဒေအကူအညီ (မျှတလမ်းညွှန်)"),
]


def seed(apps, schema_editor):
    ReceivingService = apps.get_model("health", "ReceivingService")
    for order, (slug, en, my) in enumerate(SERVICES):
        ReceivingService.objects.get_or_create(
            slug=slug, defaults={"name_en": en, "name_my": my, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("health", "0005_photos_hotline_referral_desks_facilities")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
