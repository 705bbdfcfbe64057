"""bench_instance's arithmetic and parsing; the benchmark itself is run by `make bench-instance`."""

from benchmarks.instance import (
    CpuUse,
    Page,
    Sample,
    parse_wrk,
    render_table,
    round_order,
    server_timing_counts,
    summarize,
)


def sample(requests, *, seconds=1.0, p50=1.0, cpu=0.5):
    return Sample(requests, seconds, p50, p50 * 3, 0, 0, cpu, 0.25, 0.1)


def test_wrk_output_is_read_from_the_scripts_json_line():
    output = (
        "Running 5s test @ http://127.0.0.1:18300/health\n"
        '  8 connections\nWRK {"requests": 9800, "duration_us": 5000000, "p50_us": 3900, '
        '"p99_us": 12500, "not_200": 2, "socket_errors": 1}\n'
    )
    figures = parse_wrk(output)
    assert figures.per_second == 1960
    assert (figures.p50_ms, figures.p99_ms) == (3.9, 12.5)
    assert (figures.not_200, figures.socket_errors) == (2, 1)


def test_server_timing_gives_the_queries_and_the_cache_calls():
    header = 'db;dur=1.2;desc="5 queries", cache;dur=0.4;desc="7 calls", app;dur=9.1'
    assert server_timing_counts(header) == (5, 7)
    assert server_timing_counts(None) == (0, 0)


def test_each_round_starts_one_page_further_on():
    pages = ["a", "b", "c"]
    assert [round_order(pages, n) for n in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]


def test_pages_are_compared_with_the_baseline_by_their_medians():
    samples = {
        "/health": [sample(2000), sample(1800), sample(2200)],
        "lesson": [sample(900), sample(1000), sample(400)],
    }
    rows = {row["page"]: row for row in summarize(samples, baseline="/health")}
    assert rows["/health"]["ratio"] == 1
    assert rows["lesson"]["per_second"] == 900
    assert rows["lesson"]["ratio"] == 0.45
    assert rows["lesson"]["spread"] == (400, 1000)


def test_the_table_has_a_row_per_page_with_its_path_and_costs():
    samples = {"/health": [sample(2000)], "lesson": [sample(1000)]}
    pages = {
        "/health": Page("/health", "/health", signed_in=False),
        "lesson": Page("lesson", "/courses/c/l/", signed_in=True),
    }
    table = render_table(summarize(samples, baseline="/health"), pages, {"lesson": (5, 7)})
    lines = table.splitlines()
    assert len(lines) == 4
    assert lines[3].startswith("| lesson | `/courses/c/l/` | 1,000 | 1,000-1,000 | 0.50 |")
    assert lines[3].endswith("| 0.50 | 0.25 | 0.10 | 5 | 7 |")


def test_cpu_use_splits_the_machine_into_instance_database_wrk_and_the_rest():
    before = CpuUse(at=10, instance={1: 5, 2: 3}, database={7: 1}, children=2, machine=100)
    after = CpuUse(at=12, instance={1: 5, 2: 5.5}, database={7: 1.25, 8: 0.25}, children=2.5,
                   machine=104.5)  # fmt: skip
    spent = after.since(before)
    assert spent["seconds"] == 2
    assert spent["instance"] == 2.5
    assert spent["database"] == 0.5  # a backend that connected in between counts whole
    assert spent["wrk"] == 0.5
    assert spent["others_cores"] == 0.5  # (4.5 - 2.5 - 0.5 - 0.5) seconds over 2
