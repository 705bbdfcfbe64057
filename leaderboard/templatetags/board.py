from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def marking_learner(table_html, learner_id):
    """The shared leaderboard table with this learner's own row marked (class "me")."""
    if not learner_id:
        return table_html
    row = f'<tr data-learner="{int(learner_id)}">'
    return mark_safe(table_html.replace(row, row[:-1] + ' class="me">', 1))
