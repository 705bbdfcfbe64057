"""Lesson Markdown -> sanitised HTML with server-side Solidity highlighting.

Rendering happens once, when a lesson is saved (`Lesson.body_html`); pages never parse Markdown.
"""

import markdown
import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "div": {"class"},
    "img": {"src", "alt", "title", "width", "height"},
    "span": {"class"},
    "td": {"align"},
    "th": {"align"},
}


def render_markdown(text: str) -> str:
    html = markdown.markdown(
        text,
        extensions=["fenced_code", "codehilite", "tables", "sane_lists"],
        extension_configs={
            "codehilite": {
                "guess_lang": False,
                "css_class": "highlight",
                "lang_prefix": "language-",
            }
        },
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        # "*": none on every tag; nh3 would otherwise allow title and lang everywhere.
        attributes={**_ALLOWED_ATTRIBUTES, "*": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
