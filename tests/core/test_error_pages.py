"""403, 404, 500 and the CSRF failure page: the site's own look, translated, a way home."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation

from pyithu.core import views
from pyithu.urls import urlpatterns as site_urls


def _denied(request: Any) -> Any:
    raise PermissionDenied


def _broken(request: Any) -> Any:
    raise RuntimeError("boom")


urlpatterns = [path("denied/", _denied), path("broken/", _broken), *site_urls]
handler403 = "pyithu.core.views.permission_denied"
handler404 = "pyithu.core.views.page_not_found"
handler500 = "pyithu.core.views.server_error"


def _burmese_client(**kw: Any) -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="my", **kw)


@pytest.mark.django_db
def test_a_missing_page_says_so_in_burmese_with_a_way_home() -> None:
    response = _burmese_client().get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>စာမျက်နှာ မတွေ့ပါ</h1>" in html
    assert 'href="/"' in html and "ပင်မစာမျက်နှာသို့ သွားရန်" in html
    assert 'href="/static/core/site.css"' in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_refused_page_explains_and_offers_log_in() -> None:
    response = _burmese_client().get("/denied/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "ဤစာမျက်နှာကို သင် ဖွင့်၍ မရပါ" in html
    assert 'href="/accounts/login/"' in html and 'href="/"' in html


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_renders_without_the_database() -> None:
    # No django_db mark: any database access here would fail the test.
    request = RequestFactory().get("/broken/")
    with translation.override("my"):
        response = views.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "တစ်ခုခု မှားယွင်းသွားပါသည်" in html
    assert "ပင်မစာမျက်နှာသို့ သွားရန်" in html


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unexpected_error_shows_the_500_page() -> None:
    client = _burmese_client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "တစ်ခုခု မှားယွင်းသွားပါသည်" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_plain_csrf_page() -> None:
    client = _burmese_client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "ဖောင်ကို မပို့နိုင်ခဲ့ပါ" in html
    assert "CSRF" not in html and 'href="/"' in html
