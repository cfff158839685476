"""``{% csrf_token %}`` that also writes the form's one-time token (``core.once``).

Loaded as a template builtin after Django's own, so every POST form that has a CSRF token
(all of them) carries a ``form_once`` token too, and none can forget it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from pyithu.core import once

register = template.Library()


class CsrfAndOnceNode(CsrfTokenNode):
    def render(self, context: Any) -> str:
        csrf = super().render(context)
        if not csrf:
            return csrf
        return mark_safe(csrf + once.hidden_input())


@register.tag
def csrf_token(parser: Any, token: Any) -> CsrfAndOnceNode:
    return CsrfAndOnceNode()
