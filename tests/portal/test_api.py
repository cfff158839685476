from typing import Any

from django.test import Client

from pyithu.portal.models import Ministry, Service


def test_api_lists_the_catalogue(db: Any, client: Client) -> None:
    # given the loaded catalogue, and no credentials
    # when the ministries are requested
    response = client.get("/api/portal/ministries")
    # then all 17 come in catalogue order, each with its services in both languages
    assert response.status_code == 200
    ministries = response.json()
    assert len(ministries) == 17
    assert [m["slug"] for m in ministries[:3]] == ["defense", "health", "finance"]
    assert sum(len(m["services"]) for m in ministries) == 37
    assert ministries[1] == {
        "slug": "health",
        "name_en": "Ministry of Health",
        "name_my": "ကျန်းမာရေးဝန်ကြီးဌာန",
        "services": [
            {
                "slug": "tele-kyan-mar",
                "name_en": "Tele Kyan Mar telemedicine",
                "name_my": "တယ်လီကျန်းမာ အွန်လိုင်းဆေးခန်း",
                "mode": "digital",
            },
            {
                "slug": "hospitals-clinics",
                "name_en": "Hospitals and clinics",
                "name_my": "ဆေးရုံနှင့် ဆေးခန်းများ",
                "mode": "in_person",
            },
            {
                "slug": "mobile-health-units",
                "name_en": "Mobile health units",
                "name_my": "ရွေ့လျားကျန်းမာရေးအဖွဲ့များ",
                "mode": "in_person",
            },
        ],
    }


def test_api_gives_one_service_with_its_guidance(db: Any, client: Client) -> None:
    # given the loaded catalogue
    tele = Service.objects.get(slug="tele-kyan-mar")
    # when one service is requested
    response = client.get("/api/portal/services/tele-kyan-mar")
    # then every public field comes back, in both languages
    assert response.status_code == 200
    assert response.json() == {
        "slug": "tele-kyan-mar",
        "ministry": "health",
        "name_en": "Tele Kyan Mar telemedicine",
        "name_my": "တယ်လီကျန်းမာ အွန်လိုင်းဆေးခန်း",
        "summary_en": tele.summary_en,
        "summary_my": tele.summary_my,
        "mode": "digital",
        "areas_en": "Online, across Myanmar and abroad",
        "areas_my": "အွန်လိုင်း၊ မြန်မာနိုင်ငံတစ်ဝန်းနှင့် နိုင်ငံရပ်ခြား",
        "how_online_en": tele.how_online_en,
        "how_online_my": tele.how_online_my,
        "how_offline_en": tele.how_offline_en,
        "how_offline_my": tele.how_offline_my,
        "internal_url": "/health/",
    }


def test_api_unknown_or_retired_service_is_404(db: Any, client: Client) -> None:
    # given a retired service
    Service.objects.filter(slug="forestry").update(is_active=False)
    # when an unknown and the retired service are requested
    unknown = client.get("/api/portal/services/no-such-service")
    retired = client.get("/api/portal/services/forestry")
    # then both are 404 with a JSON reason
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No service has the slug no-such-service."}
    assert retired.status_code == 404
    assert retired.json() == {"detail": "No service has the slug forestry."}


def test_api_leaves_out_retired_entries(db: Any, client: Client) -> None:
    # given a retired ministry and a retired service elsewhere
    Service.objects.filter(slug="nug-pay").update(is_active=False)

    Ministry.objects.filter(slug="commerce").update(is_active=False)
    # when the ministries are requested
    ministries = client.get("/api/portal/ministries").json()
    # then neither appears
    assert len(ministries) == 16
    finance = next(m for m in ministries if m["slug"] == "finance")
    assert [s["slug"] for s in finance["services"]] == [
        "nway-oo-lottery",
        "spring-development-bank",
    ]
