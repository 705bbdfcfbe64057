"""{% fragment %}: shared parts of personal pages, rendered once per key, kept in a cache group."""

import time

import pytest
from django.template import Context, Template, TemplateSyntaxError

from core.cache import CacheGroup


@pytest.fixture
def group():
    return CacheGroup(f"fragments-{time.time_ns()}", timeout=60)


def render(source, **context):
    return Template("{% load fragments %}" + source).render(Context(context))


def test_a_fragment_is_rendered_once_per_key_and_then_shared(group):
    calls = []

    def rows():
        calls.append(1)
        return ["a", "b"]

    source = (
        '{% fragment name "table" page %}'
        "{% for row in rows %}{{ row }}{% endfor %}"
        "{% endfragment %}"
    )
    assert render(source, name=group.name, page=1, rows=rows) == "ab"
    # Another request with other data around it: the stored fragment, and `rows` is not called.
    assert render(source, name=group.name, page=1, rows=lambda: ["changed"]) == "ab"
    assert calls == [1]
    assert render(source, name=group.name, page=2, rows=lambda: ["x"]) == "x"


def test_the_rest_of_the_page_stays_personal(group):
    source = "{{ me }}:{% fragment name 'k' %}{{ shared }}{% endfragment %}"
    assert render(source, name=group.name, me="alice", shared="S") == "alice:S"
    assert render(source, name=group.name, me="bob", shared="other") == "bob:S"


def test_invalidating_the_group_retires_its_fragments(group):
    source = "{% fragment name 'k' %}{{ value }}{% endfragment %}"
    assert render(source, name=group.name, value="old") == "old"
    group._bump()
    assert render(source, name=group.name, value="new") == "new"


def test_stored_html_is_not_escaped_twice(group):
    source = "{% fragment name 'k' %}<b>{{ value }}</b>{% endfragment %}"
    assert render(source, name=group.name, value="<i>") == "<b>&lt;i&gt;</b>"
    assert render(source, name=group.name, value="<i>") == "<b>&lt;i&gt;</b>"


def test_a_fragment_needs_a_group_and_a_key():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% fragment 'catalog' %}x{% endfragment %}")
    with pytest.raises(LookupError):
        render("{% fragment 'no-such-group' 'k' %}x{% endfragment %}")


def test_as_name_keeps_the_fragment_for_a_filter_instead_of_showing_it(group):
    source = "{% fragment name 'k' as part %}<b>{{ value }}</b>{% endfragment %}[{{ part }}]"
    assert render(source, name=group.name, value="x") == "[<b>x</b>]"
