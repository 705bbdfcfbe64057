"""`{% fragment group key... %}…{% endfragment %}`: a part of a page rendered once and shared.

Personal pages are mostly made of parts that are the same for everyone (the leaderboard's table,
a room's chat): those are rendered once per key and kept in the named cache group, which decides
their timeout and invalidation like every other entry of the group; only the small personal part
around them is rendered per request. What the fragment shows must follow from its group and key
alone: nothing personal belongs inside. Context values read only inside the fragment may be
callables (Django templates call them), so a hit runs none of their queries.

    {% load fragments %}
    {% fragment "leaderboard" "table" page.number %}<table>…</table>{% endfragment %}

With `as name` after the key the HTML goes into the context instead of the page, for a filter
that adds a personal touch (marking the learner's own row) before it is shown.
"""

import hashlib

from django import template
from django.utils.safestring import mark_safe

from core.cache import CacheGroup

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, group, parts, target=None):
        self.nodelist = nodelist
        self.group = group
        self.parts = parts
        self.target = target

    def render(self, context):
        group = CacheGroup.named(self.group.resolve(context))
        key = "\x1f".join(str(part.resolve(context)) for part in self.parts)
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        html = mark_safe(
            group.get(f"fragment:{digest}", lambda: str(self.nodelist.render(context)))
        )
        if self.target:
            context[self.target] = html
            return ""
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    target = None
    if len(bits) > 2 and bits[-2] == "as":
        bits, target = bits[:-2], bits[-1]
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"{bits[0]} needs a cache group's name and at least one part of the key"
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(b) for b in bits[2:]],
        target,
    )
