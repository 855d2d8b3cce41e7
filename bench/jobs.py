"""The heavy jobs of a grown portal, timed: the applications' exports through gunicorn, with the
peak memory of the worker that served them, and the retention purge. Imported once Django is set up.

The exports are downloaded whole, as staff would, from the running server: the time is the
client's, from the request to the last byte. A worker's peak memory is its kernel-kept high-water
mark (VmHWM): whatever the worker served before counts too, so the figure can only be too high.
"""

import datetime
import http.client
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from backoffice.retention import applications_purge
from bench.server import HOST, PROXY_HEADERS
from mobility.models import Application

# The goals of the performance work, for a portal of 50,000 applications.
EXPORT_SECONDS, EXPORT_PEAK_MB = 30, 150
PURGE_COUNT, PURGE_SECONDS = 6000, 10
CHUNK = 64 * 1024


@dataclass
class JobResult:
    label: str
    seconds: float
    size: str
    goal: str
    met: bool
    peak_rss_mb: float | None = None


def exports_measure(port: int, master_pid: int, headers: dict[str, str]) -> list[JobResult]:
    count = Application.objects.count()
    results = []
    for file_format, name in (
        ("CSV", "admin:mobility_application_export"),
        ("XLSX", "admin:mobility_application_export_xlsx"),
    ):
        started = time.monotonic()
        status, size = _download(port, reverse(name), headers)
        seconds = time.monotonic() - started
        peak = max(_peak_rss_mb(pid) for pid in _children(master_pid))
        met = status == 200 and seconds < EXPORT_SECONDS and peak < EXPORT_PEAK_MB
        results.append(
            JobResult(
                f"{file_format} export of {count:,} applications",
                seconds,
                f"{size / 1024 / 1024:.1f} MB" if status == 200 else f"answered {status}",
                f"< {EXPORT_SECONDS} s and < {EXPORT_PEAK_MB} MB",
                met,
                peak,
            )
        )
    return results


def purge_measure() -> JobResult:
    """The nightly purge, on the PURGE_COUNT applications decided first: its `now` is set so that
    exactly those are past the retention period (all the decided ones, if there are fewer)."""
    decided = Application.objects.filter(decided_at__isnull=False).order_by("decided_at", "pk")
    first_kept = decided.values_list("decided_at", flat=True)[PURGE_COUNT : PURGE_COUNT + 1].first()
    last_due = first_kept or timezone.now() + datetime.timedelta(seconds=1)
    # As in the nightly command's new process: the content types not cached yet.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        purged = applications_purge(older_than_months=0, now=last_due)
        seconds = time.monotonic() - started
    return JobResult(
        f"purge of {len(purged):,} applications",
        seconds,
        f"{len(queries.captured_queries)} queries",
        f"< {PURGE_SECONDS} s (for {PURGE_COUNT:,})",
        seconds < PURGE_SECONDS,
    )


def jobs_report(results: list[JobResult]) -> list[str]:
    lines = [
        "| Job | seconds | worker peak RSS MB | size | Goal | |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for result in results:
        peak = f"{result.peak_rss_mb:.0f}" if result.peak_rss_mb is not None else "—"
        verdict = "met" if result.met else "**missed**"
        lines.append(
            f"| {result.label} | {result.seconds:.1f} | {peak} | {result.size} | {result.goal} | {verdict} |"
        )
    return lines


def _download(port: int, path: str, headers: dict[str, str]) -> tuple[int, int]:
    """Status and bytes of a GET read to its end, as a browser saves a file."""
    connection = http.client.HTTPConnection(HOST, port, timeout=300)
    try:
        connection.request("GET", path, headers={**PROXY_HEADERS, **headers})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(CHUNK):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid`: gunicorn's workers."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
