"""``{{ n|digits }}``: numbers in the reader's digits (see pyithu.core.digits)."""

from typing import Any

from django import template

from pyithu.core.digits import local_digits

register = template.Library()


@register.filter(name="digits", is_safe=True)
def digits(value: Any) -> Any:
    return local_digits(value)
