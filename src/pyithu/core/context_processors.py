from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

FONT_COOKIE = "myfont"


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.PYITHU_SITE_NAME,
        "myanmar_font": request.COOKIES.get(FONT_COOKIE) == "1",
        # Each language is named in its own script so a reader finds theirs.
        "language_links": [
            (code, get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
        ],
    }
