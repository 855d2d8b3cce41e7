"""What a run measures of each page: plain data, free of Django, which the report does not need."""

from dataclasses import dataclass

from bench.wrk import WrkResult

REFERENCE, PUBLIC, FORM, ADMIN = "reference", "public", "form", "admin"


@dataclass
class Page:
    label: str
    path: str
    group: str
    # The object shown, for the list of addresses under the table.
    subject: str = ""


@dataclass
class QueryCount:
    status: int
    # The first request renders from the database; the next one is what a load sees (a page
    # cache, if any, answers it).
    first: int
    repeat: int
    # How long the next request took, alone, in-process,
    alone_ms: float
    # and one made just after the cached pages were retired: a public page's cache miss.
    miss_ms: float


@dataclass
class Measurement:
    page: Page
    result: WrkResult | None = None
    queries: QueryCount | None = None
    html_bytes: int | None = None
    # Why the page was not measured, or what went wrong while it was.
    problem: str = ""
