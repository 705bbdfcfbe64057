from django import template

from core import background

register = template.Library()


@register.simple_tag
def background_jobs() -> dict:
    """The background jobs' state (core.background), for the admin's index."""
    return background.status()
