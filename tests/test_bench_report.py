"""`make bench` reads wrk's report right and judges each page against /healthz of the same run:
a page whose requests all outlast the run is a missed goal, never a met one with zero latency."""

from bench.measures import ADMIN, PUBLIC, REFERENCE, Measurement, Page, QueryCount
from bench.report import Reference, report
from bench.wrk import WrkResult, parse_wrk

WRK_REPORT = """Running 5s test @ http://127.0.0.1:8000/fr/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.40ms   10.11ms 120.00ms   80.00%
  Latency Distribution
     50%   19.50ms
     75%   25.00ms
     90%   33.00ms
     99%    1.20s
  1850 requests in 5.01s, 9.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    369.26
Transfer/sec:      1.82MB
"""

NOTHING_COMPLETED = """Running 5s test @ http://127.0.0.1:8000/gestion/mobility/application/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 5.01s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0.00B
"""


def test_wrk_report_is_read_in_milliseconds_with_its_errors():
    result = parse_wrk(WRK_REPORT)
    assert result.requests_per_second == 369.26
    assert result.p50_ms == 19.5
    assert result.p99_ms == 1200.0
    assert result.requests == 1850
    assert result.errors == "Non-2xx or 3xx responses: 3"


def measured(page: Page, result: WrkResult, miss_ms: float = 40.0, html_bytes: int = 2048) -> Measurement:
    return Measurement(
        page, result, QueryCount(200, 10, 2, alone_ms=1.5, miss_ms=miss_ms), html_bytes=html_bytes
    )


def test_pages_are_judged_by_their_ratio_to_healthz_and_a_page_that_never_answers_misses():
    healthz = WrkResult(400.0, 20.0, 60.0, 2000, "")
    pages = [
        measured(Page("/healthz", "/healthz", REFERENCE), healthz),
        measured(Page("fast page", "/fr/", PUBLIC), WrkResult(360.0, 22.0, 70.0, 1800, "")),
        measured(Page("slow page", "/fr/partenaires/", PUBLIC), WrkResult(200.0, 40.0, 90.0, 1000, "")),
        measured(Page("stuck list", "/gestion/x/", ADMIN), parse_wrk(NOTHING_COMPLETED)),
    ]
    lines = report(pages, Reference(healthz, healthz), seconds=5)
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines if line.startswith("| ")}
    assert "| 0.90 |" in rows["fast page"]
    assert rows["fast page"].endswith("| met |")
    assert "| 0.50 |" in rows["slow page"]
    assert rows["slow page"].endswith("| **missed** |")
    assert "> 5000" in rows["stuck list"]
    assert rows["stuck list"].endswith("| **missed** |")
    assert "Goals met: 1 of 3." in lines
    assert "| 40.0 / 1.5 |" in rows["fast page"]


def test_the_public_pages_worst_miss_and_largest_html_are_set_against_their_bounds():
    healthz = WrkResult(400.0, 20.0, 60.0, 2000, "")
    ok = WrkResult(400.0, 20.0, 60.0, 2000, "")
    pages = [
        measured(Page("/healthz", "/healthz", REFERENCE), healthz),
        measured(Page("home", "/fr/", PUBLIC), ok, miss_ms=12.0, html_bytes=5 * 1024),
        measured(Page("big index", "/fr/partenaires/", PUBLIC), ok, miss_ms=80.0, html_bytes=120 * 1024),
        measured(Page("slow own page", "/fr/etablissements/nous/", PUBLIC), ok, miss_ms=450.0),
        # Admin lists are never cached: their time is not a miss.
        measured(Page("list", "/gestion/x/", ADMIN), ok, miss_ms=900.0, html_bytes=300 * 1024),
    ]
    lines = report(pages, Reference(healthz, healthz), seconds=5)
    bounds = next(line for line in lines if line.startswith("Public pages on a cache miss"))
    assert "the slowest 450 ms (slow own page; bound 300 ms: **missed**)" in bounds
    assert "the largest 120.0 KB of HTML (big index; bound 100 KB: **missed**)" in bounds
