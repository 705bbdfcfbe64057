"""`{% personal "name" arg=value … %}`: a marker where a personal part of the page goes.

The page around it can be rendered once and shared; the marker is replaced per reader on the way
out (core/personal.py). Arguments are what the fragment needs from the page (a lesson's id, its
URL), JSON-encoded in the marker, so filling it needs no second look at the page's data.
"""

from django import template
from django.utils.safestring import mark_safe

from core.personal import marker

register = template.Library()


@register.simple_tag
def personal(name, **args):
    return mark_safe(marker(name, args))
