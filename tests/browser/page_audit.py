"""What the page audit checks on one page at one width, in Chromium.

Each check returns readable problems, so that one run lists everything wrong at once,
and the counts go to `var/test-results/pages/audit-<group>.json` for the record.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from tests.pages import AuditedPage

WIDTHS = (320, 390, 1280)
HEIGHT = {320: 640, 390: 844, 1280: 800}
TITLE_MAX = 90
# A public page with everything it loads (HTML, styles, images), compressed as served.
PAGE_WEIGHT_MAX = 60 * 1024
RESULTS = Path("var/test-results/pages")

_axe = Axe()

# Measured in the page: its layout width, title, headings, ids, and the elements that stick out.
_MEASURE = """() => {
  const ids = [...document.querySelectorAll('[id]')].map((element) => element.id);
  const duplicates = [...new Set(ids.filter((id, index) => ids.indexOf(id) !== index))];
  const width = window.innerWidth;
  const overflowing = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width && box.right > width + 1 && overflowing.length < 3) {
      const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + (element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
      overflowing.push(name + ' (right edge at ' + Math.round(box.right) + ' px)');
    }
  }
  return {
    layoutWidth: document.documentElement.scrollWidth,
    viewportWidth: width,
    title: document.title,
    h1Count: document.querySelectorAll('h1').length,
    duplicateIds: duplicates,
    overflowing: overflowing,
  };
}"""


class AuditReport:
    """Problems found in one group of pages, counted by check."""

    def __init__(self, group: str) -> None:
        self.group = group
        self.problems: list[str] = []
        self.counts: Counter[str] = Counter()
        self.checked: list[str] = []
        self.titles: dict[str, set[str]] = {}
        self.weights: dict[str, int] = {}

    def add(self, check: str, page: AuditedPage, width: int | None, message: str) -> None:
        self.counts[check] += 1
        where = f"{page.name} ({page.path}{' ' + page.action if page.action else ''})"
        self.problems.append(f"[{check}] {where}{f' at {width} px' if width else ''}: {message}")

    def save(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        summary = {
            "group": self.group,
            "pages": len(self.checked),
            "page_widths_checked": len(self.checked) * len(WIDTHS),
            "problems_by_check": dict(self.counts),
            "heaviest_pages_bytes": dict(sorted(self.weights.items(), key=lambda item: -item[1])[:5]),
            "problems": self.problems,
        }
        (RESULTS / f"audit-{self.group}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))

    def assert_clean(self) -> None:
        self.save()
        if self.problems:
            header = f"Page audit '{self.group}': {len(self.problems)} problem(s) " + json.dumps(
                dict(self.counts)
            )
            raise AssertionError("\n".join([header, *self.problems]))


def open_audited_page(page, base_url: str, audited: AuditedPage, loaded: list) -> int:
    """Load the page as a person would reach it; the HTTP status of what is shown.

    `loaded` collects the responses of the page shown in the end, to weigh it.
    """
    response = page.goto(base_url + audited.path)
    assert response is not None
    if audited.action == "error_state":
        page.wait_for_load_state("load")
        loaded.clear()
        # Sent empty, as by someone who pressed "send" too soon; the browser's own checks are
        # set aside so that the server's error page is what gets audited.
        page.evaluate("document.querySelector('main form[method=post]').noValidate = true")
        with page.expect_navigation() as navigation:
            page.locator("main form[method=post] [type=submit]").last.click()
        response = navigation.value
        assert response is not None
    return response.status


def audit_page(
    page, base_url: str, audited: AuditedPage, report: AuditReport, group_dir: Path, *, weigh: bool = False
) -> None:
    page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT[WIDTHS[-1]]})
    loaded = []

    def record(response) -> None:
        loaded.append(response)

    page.on("response", record)
    status = open_audited_page(page, base_url, audited, loaded)
    page.wait_for_load_state("load")
    page.remove_listener("response", record)
    report.checked.append(audited.name)
    if status != audited.status:
        report.add("status", audited, None, f"answered {status}, not {audited.status}")
    if weigh:
        weight = page_weight(loaded)
        report.weights[audited.name] = weight
        if weight > PAGE_WEIGHT_MAX:
            report.add(
                "weight", audited, None, f"{weight / 1024:.1f} KB compressed with its assets (at most 60 KB)"
            )
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT[width]})
        measured = page.evaluate(_MEASURE)
        _check_measures(audited, width, measured, report)
        violations = _axe.run(page).response["violations"]
        for violation in violations:
            targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"][:3])
            report.add(
                "axe",
                audited,
                width,
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}",
            )
        page.screenshot(path=str(group_dir / f"{audited.name}-{width}.png"), full_page=True)


def page_weight(responses) -> int:
    """Bytes the page costs compressed: each response's body, gzipped as a server would send it."""
    total = 0
    for response in responses:
        # The site's icon ("other") is asked for once per site, late, and is not part of a page.
        if (
            response.status == 200
            and response.request.method == "GET"
            and response.request.resource_type != "other"
        ):
            total += len(gzip.compress(response.body(), compresslevel=6))
    return total


def _check_measures(audited: AuditedPage, width: int, measured: dict, report: AuditReport) -> None:
    if measured["layoutWidth"] > measured["viewportWidth"]:
        culprits = ", ".join(measured["overflowing"]) or "no single element"
        report.add(
            "horizontal_scroll",
            audited,
            width,
            f"laid out {measured['layoutWidth']} px wide in a {measured['viewportWidth']} px viewport ({culprits})",
        )
    title = measured["title"].strip()
    if not title or "<" in title or ">" in title:
        report.add("title", audited, width, f"title is not plain text: {title[:120]!r}")
    elif len(title) > TITLE_MAX:
        report.add(
            "title", audited, width, f"title has {len(title)} characters (at most {TITLE_MAX}): {title!r}"
        )
    report.titles.setdefault(title, set()).add(audited.key)
    if measured["h1Count"] != 1:
        report.add("h1", audited, width, f"{measured['h1Count']} h1 elements instead of exactly one")
    if measured["duplicateIds"]:
        report.add("duplicate_ids", audited, width, f"duplicated ids: {', '.join(measured['duplicateIds'])}")


def check_titles_differ(report: AuditReport) -> None:
    """Pages of different content have different titles, so that tabs and history tell them apart."""
    for title, keys in report.titles.items():
        if len(keys) > 1:
            report.counts["same_title"] += 1
            report.problems.append(
                f"[same_title] {title!r} is the title of {len(keys)} different pages: {sorted(keys)}"
            )
