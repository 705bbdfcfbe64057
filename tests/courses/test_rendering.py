"""Lesson Markdown against hostile input: only the allow-list survives; pages escape the rest."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from courses.rendering import _ALLOWED_ATTRIBUTES, _ALLOWED_TAGS, render_markdown
from tests.factories import ChatMessageFactory, RoomFactory, UserFactory

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\nscript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '![x](https://example.com/a.png" onerror="alert(1))',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<object data=evil.swf></object><embed src=evil.swf>",
    '<form action="https://evil.example"><input name=x></form>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<a href="https://ok.example" target="_blank">x</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<div class="x" id="login-form" data-x="1">x</div>',
    "```solidity\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "<scr<script>ipt>alert(1)</script>",
]


class _Inventory(HTMLParser):
    """Every tag, attribute and URL in a fragment, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.urls = set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            if name in ("href", "src"):
                self.urls.append(value or "")


def inventory(html):
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser


def assert_safe(html):
    found = inventory(html)
    assert found.tags <= _ALLOWED_TAGS, found.tags - _ALLOWED_TAGS
    for tag, name in found.attributes:
        assert name in _ALLOWED_ATTRIBUTES.get(tag, set()) or (tag, name) == ("a", "rel"), (
            tag,
            name,
        )
    for url in found.urls:
        # As a browser reads it: tabs and newlines dropped, leading spaces and controls trimmed,
        # and a scheme is a letter then letters, digits, "+", "-" or "." ("0:" is a relative path).
        cleaned = re.sub(r"[\t\n\r]", "", url).lstrip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c"
        )
        match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
        scheme = match.group(1).lower() if match else ""
        assert scheme in ("", "http", "https", "mailto"), url


@pytest.mark.parametrize("payload", NASTY)
def test_nasty_markdown_renders_to_allowed_html_only(payload):
    html = render_markdown(payload)
    assert_safe(html)
    # Text may mention anything (escaped); only real elements and attributes matter, which
    # assert_safe checks as a browser would parse them.
    for element in ("<script", "<iframe", "<style", "<svg", "<math", "<form", "<meta", "<base"):
        assert element not in html.lower()


def test_links_are_marked_so_they_pass_no_referrer_or_rank():
    html = render_markdown("[site](https://example.com)")
    assert 'rel="noopener noreferrer nofollow"' in html


def test_code_fences_still_highlight_after_sanitising():
    html = render_markdown("```solidity\ncontract A { uint256 x; }\n```")
    assert 'class="highlight"' in html and "contract" in html


markdownish = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(NASTY),
        st.sampled_from(
            ["<", ">", '"', "'", "`", "[", "](", ")", "```", "\n", "&#", "javascript:"]
        ),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdownish)
def test_any_markdown_at_all_renders_to_allowed_html_only(text):
    assert_safe(render_markdown(text))


@pytest.mark.django_db
def test_titles_usernames_and_chat_are_escaped_on_every_page_that_shows_them(client):
    evil = '<img src=x onerror="alert(1)">'
    # Forms allow only letters, digits and @.+-_ in usernames; the factory skips that check.
    author = UserFactory(username="evil<b>name")
    room = RoomFactory(title=evil, owner=author)
    ChatMessageFactory(room=room, author=author, body=evil)
    pages = [
        "/rooms/",
        room.get_absolute_url(),
        f"/rooms/{room.slug}/messages/",
        "/leaderboard/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "<img src=x" not in body and "<b>name" not in body, url
        assert "&lt;" in body, url


@pytest.mark.django_db
def test_an_avatar_is_checked_by_its_content_not_its_name():
    form_class = modelform_factory(User, fields=["avatar"])
    fake = SimpleUploadedFile("avatar.png", b"<?php system($_GET['c']); ?>", "image/png")
    form = form_class(files={"avatar": fake}, instance=UserFactory())
    assert not form.is_valid()
    assert "avatar" in form.errors
