"""``{% feedback_form service %}``: the "tell us" form any app can put on a service's page."""

from __future__ import annotations

from typing import Any

from django import template

from pyithu.portal.forms import FeedbackForm

register = template.Library()


@register.inclusion_tag("portal/feedback_box.html", takes_context=True)
def feedback_form(context: template.Context, service: Any) -> dict[str, Any]:
    """``service`` is a catalogue ``Service`` or its slug."""
    slug = getattr(service, "slug", service)
    return {"slug": slug, "form": FeedbackForm(), "csrf_token": context.get("csrf_token")}
