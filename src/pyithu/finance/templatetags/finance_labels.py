"""``{{ t.kind|kind }}`` and ``{{ code|currency }}``: reference data in the reader's language."""

from __future__ import annotations

from django import template

from pyithu.finance import labels

register = template.Library()
register.filter("kind", labels.kind_label)
register.filter("currency", labels.currency_name)
