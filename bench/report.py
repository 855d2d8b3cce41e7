"""The table of a run: each page against /healthz measured in the same run, beside the goals."""

import math
from collections.abc import Callable
from dataclasses import dataclass

from bench.measures import ADMIN, FORM, PUBLIC, Measurement
from bench.wrk import WrkResult

# A public page on a cache miss, at any size of the catalogue.
MISS_MS_BOUND, HTML_KB_BOUND = 300, 100
# Below this many requests in a run, a page's 99th percentile is one or two requests.
FEW_REQUESTS = 50


@dataclass
class Reference:
    """/healthz, measured first and last: the mean of the two is what pages are divided by."""

    first: WrkResult
    last: WrkResult

    @property
    def requests_per_second(self) -> float:
        return (self.first.requests_per_second + self.last.requests_per_second) / 2

    @property
    def p50_ms(self) -> float:
        return (self.first.p50_ms + self.last.p50_ms) / 2

    @property
    def p99_ms(self) -> float:
        return (self.first.p99_ms + self.last.p99_ms) / 2


@dataclass
class Goal:
    text: str
    met: Callable[[WrkResult, Reference], bool]


GOALS = {
    PUBLIC: Goal(
        "req/s ≥ 0.8× healthz", lambda r, ref: r.requests_per_second >= 0.8 * ref.requests_per_second
    ),
    FORM: Goal("req/s ≥ 0.4× healthz", lambda r, ref: r.requests_per_second >= 0.4 * ref.requests_per_second),
    ADMIN: Goal("p50 ≤ 5× healthz", lambda r, ref: r.p50_ms <= 5 * ref.p50_ms),
}


def report(measurements: list[Measurement], reference: Reference, seconds: int) -> list[str]:
    lines = [
        "| Page | req/s | × healthz | p50 ms | × healthz | p99 ms | × healthz | queries (first / next) "
        "| ms alone (miss / hit) | HTML KB | Goal | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    met = missed = 0
    for measurement in measurements:
        cells, outcome = _row(measurement, reference, seconds)
        met += outcome is True
        missed += outcome is False
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"Goals met: {met} of {met + missed}.")
    lines += _public_page_bounds(measurements)
    first, last = reference.first, reference.last
    lines.append(
        f"/healthz: {first.requests_per_second:.0f} req/s (p50 {first.p50_ms:.1f} ms) at the start, "
        f"{last.requests_per_second:.0f} req/s (p50 {last.p50_ms:.1f} ms) at the end; pages are divided by the mean."
    )
    lines += _notes(measurements, reference)
    return lines


def _row(measurement: Measurement, reference: Reference, seconds: int) -> tuple[list[str], bool | None]:
    page, result, queries = measurement.page, measurement.result, measurement.queries
    goal = GOALS.get(page.group)
    counted = f"{queries.first} / {queries.repeat}" if queries else "—"
    alone = f"{_number(queries.miss_ms)} / {_number(queries.alone_ms)}" if queries else "—"
    size = f"{measurement.html_bytes / 1024:.1f}" if measurement.html_bytes is not None else "—"
    if page.path == "/healthz":
        return [
            page.label,
            _number(reference.requests_per_second),
            "1.00",
            _number(reference.p50_ms),
            "1.00",
            _number(reference.p99_ms),
            "1.00",
            counted,
            alone,
            size,
            "reference",
            "errors: see below" if reference.first.errors or reference.last.errors else "",
        ], None
    if result is None:
        return [
            page.label,
            "—",
            "",
            "—",
            "",
            "—",
            "",
            counted,
            alone,
            size,
            goal.text if goal else "",
            "not measured",
        ], (False if goal else None)
    outcome = goal.met(result, reference) if goal else None
    verdict = {True: "met", False: "**missed**", None: ""}[outcome]
    if result.errors:
        verdict = f"{verdict} (errors: see below)".strip()
    if result.requests:
        latencies = [
            _number(result.p50_ms),
            _ratio(result.p50_ms, reference.p50_ms),
            _number(result.p99_ms),
            _ratio(result.p99_ms, reference.p99_ms),
        ]
    else:  # every request outlasted the run
        at_least = seconds * 1000
        latencies = [f"> {at_least}", f"> {at_least / reference.p50_ms:.0f}", f"> {at_least}", ""]
    return [
        page.label,
        _number(result.requests_per_second),
        _ratio(result.requests_per_second, reference.requests_per_second),
        *latencies,
        counted,
        alone,
        size,
        goal.text if goal else "",
        verdict,
    ], outcome


def _public_page_bounds(measurements: list[Measurement]) -> list[str]:
    """The public pages' worst cache miss and largest HTML, against their bounds."""
    public = [m for m in measurements if m.page.group == PUBLIC and m.queries and m.html_bytes is not None]
    if not public:
        return []
    slowest = max(public, key=lambda m: m.queries.miss_ms if m.queries else 0)
    largest = max(public, key=lambda m: m.html_bytes or 0)
    miss_ms = slowest.queries.miss_ms if slowest.queries else math.nan
    size_kb = (largest.html_bytes or 0) / 1024
    return [
        f"Public pages on a cache miss, alone in-process: the slowest {_number(miss_ms)} ms "
        f"({slowest.page.label}; bound 300 ms: {'met' if miss_ms <= MISS_MS_BOUND else '**missed**'}); "
        f"the largest {size_kb:.1f} KB of HTML ({largest.page.label}; bound 100 KB: "
        f"{'met' if size_kb <= HTML_KB_BOUND else '**missed**'})."
    ]


def _notes(measurements: list[Measurement], reference: Reference) -> list[str]:
    lines = ["", "Pages:"]
    for measurement in measurements:
        page = measurement.page
        subject = f" ({page.subject})" if page.subject else ""
        lines.append(f"- {page.label}: {page.path}{subject}")
        if measurement.problem:
            lines.append(f"  - {measurement.problem}")
        result = measurement.result
        if page.path == "/healthz":
            for moment, run in (("at the start", reference.first), ("at the end", reference.last)):
                if run.errors:
                    lines.append(f"  - wrk {moment}: {run.errors}")
        elif result and result.errors:
            lines.append(f"  - wrk: {result.errors}")
        if result and not result.requests and measurement.queries:
            lines.append(
                "  - no request completed in the run; one request alone took "
                f"{measurement.queries.alone_ms:.0f} ms in-process"
            )
        elif result and result.requests < FEW_REQUESTS:
            lines.append(f"  - only {result.requests} requests in the run: its p99 is uncertain")
    return lines


def _number(value: float) -> str:
    if math.isnan(value):
        return "—"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _ratio(value: float, reference: float) -> str:
    if math.isnan(value) or not reference:
        return "—"
    return f"{value / reference:.2f}"
