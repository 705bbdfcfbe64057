import json

import pytest
from django.test import Client

from tests.compiler.sources import COUNTER, MISSING_SEMICOLON

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("compiler")]

URL = "/api/compile"


def compile_(client, source, **extra):
    return client.post(URL, {"source": source, **extra}, content_type="application/json")


def test_a_valid_contract_compiles_to_its_abi_and_bytecode(client):
    response = compile_(client, COUNTER)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ok", "contracts", "errors", "compiler", "cached", "ms"}
    assert body["ok"] is True and body["cached"] is False and body["errors"] == []
    assert body["compiler"].startswith("0.8.")
    counter = body["contracts"]["Counter"]
    assert {(item["type"], item.get("name")) for item in counter["abi"]} == {
        ("function", "count"),
        ("function", "increment"),
        ("event", "Incremented"),
    }
    assert counter["bytecode"].startswith("0x6080") and len(counter["bytecode"]) > 100


def test_a_syntax_error_comes_back_with_its_line_and_column(client):
    body = compile_(client, MISSING_SEMICOLON).json()

    assert body["ok"] is False and body["contracts"] == {}
    [error] = body["errors"]
    assert error == {
        "severity": "error",
        "message": "ParserError: Expected ';' but got 'function'",
        "line": 6,
        "column": 5,
    }


def test_columns_count_characters_not_utf8_bytes(client):
    source = "pragma solidity ^0.8.20;\ncontract C { /* héllo */ uint x = true; }\n"
    [*_, error] = compile_(client, source).json()["errors"]
    assert error["message"].startswith("TypeError") and (error["line"], error["column"]) == (2, 35)


def test_warnings_are_reported_without_failing_the_compile(client):
    body = compile_(client, COUNTER.replace("// SPDX-License-Identifier: MIT\n", "")).json()
    assert body["ok"] is True and "Counter" in body["contracts"]
    [warning] = body["errors"]
    assert warning["severity"] == "warning" and "SPDX" in warning["message"]
    assert (warning["line"], warning["column"]) == (None, None)


def test_the_same_source_and_settings_are_answered_from_the_cache(client):
    first = compile_(client, COUNTER).json()
    second = compile_(client, COUNTER).json()
    optimized = compile_(client, COUNTER, optimize=True).json()

    assert (first["cached"], second["cached"], optimized["cached"]) == (False, True, False)
    assert {key: second[key] for key in ("ok", "contracts", "errors", "compiler")} == {
        key: first[key] for key in ("ok", "contracts", "errors", "compiler")
    }
    assert (
        optimized["contracts"]["Counter"]["bytecode"] != first["contracts"]["Counter"]["bytecode"]
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        ("[" * 100_000, "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ("{}", "source is required"),
        ('{"source": 42}', "source must be a string"),
        ('{"source": null}', "source must be a string"),
        (json.dumps({"source": COUNTER, "optimize": "yes"}), "optimize must be true or false"),
        ('{"source": "   "}', "source is empty"),
        ('{"source": "contract A {} \\ud800"}', "source is not valid text"),
        (json.dumps({"source": "x" * (100 * 1024 + 1)}), "over 100 KB"),
        (json.dumps({"source": "x" * 3_000_000}), "the request body is too large"),
    ],
)
def test_bad_input_gets_a_400_that_says_what_is_wrong(client, body, message):
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_get_is_refused(client):
    assert client.get(URL).status_code == 405


@pytest.mark.usefixtures("mid_minute")
def test_more_compiles_than_the_budget_get_429_with_retry_after(client, settings, learner):
    settings.COMPILER_RATE_LIMIT_PER_MINUTE = 2
    assert [compile_(client, COUNTER).status_code for _ in range(2)] == [200, 200]

    refused = compile_(client, COUNTER)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert "Too many compiles" in refused.json()["error"]
    # The budget is per address for visitors, per learner once logged in.
    assert compile_(Client(REMOTE_ADDR="10.9.8.7"), COUNTER).status_code == 200
    logged_in = Client()
    logged_in.force_login(learner)
    assert [compile_(logged_in, COUNTER).status_code for _ in range(3)] == [200, 200, 429]


def test_a_logged_in_caller_must_send_the_csrf_token(learner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner)

    refused = compile_(browser, COUNTER)
    browser.get("/courses/")  # any page sets the CSRF cookie the page's JavaScript reads
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        URL, {"source": COUNTER}, content_type="application/json", headers={"X-CSRFToken": token}
    )

    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    assert accepted.status_code == 200 and accepted.json()["ok"] is True


def test_an_anonymous_caller_needs_no_csrf_token():
    response = compile_(Client(enforce_csrf_checks=True), COUNTER)
    assert response.status_code == 200


@pytest.mark.usefixtures("mid_minute")
def test_a_compile_past_the_time_limit_is_stopped_with_a_clear_error(client, settings):
    settings.COMPILER_TIMEOUT_SECONDS = 0.001

    stopped = compile_(client, COUNTER)

    assert stopped.status_code == 200
    body = stopped.json()
    assert body["ok"] is False and body["contracts"] == {}
    [error] = body["errors"]
    assert "took longer than 0.001 s and was stopped" in error["message"]
    # A cut-off compile spends the caller's budget for the minute: slow compiles cannot hog the
    # pool. And a timeout is never cached: from elsewhere the same source compiles afresh.
    assert compile_(client, COUNTER).status_code == 429
    settings.COMPILER_TIMEOUT_SECONDS = 10
    again = compile_(Client(REMOTE_ADDR="10.1.2.3"), COUNTER).json()
    assert again["ok"] is True and again["cached"] is False
