"""Horizontal bar charts as server-rendered SVG: no script, no style attribute (the
Content-Security-Policy forbids both), colours from classes in static/css/portal.css.

Each chart illustrates a table printed next to it, which stays the reference: the SVG is one
image (`role="img"`) named by its title and described as the table's illustration. It scales
with its `viewBox`, so it reads at 320 px as at full width: each bar has its label on the line
above it, and its value written after it.

A suppressed count is never drawn at its height: a "< 5" bar is hatched, at the length of 5,
whatever the count under it; a count hidden so that a "< 5" one cannot be worked out has no
bar at all, only its word.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from mobility.statistics.suppression import THRESHOLD, Cell

# Near a phone's width, so that the text keeps about its size there (the CSS caps the width).
WIDTH = 360
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
ROW_GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
# Room after the longest bar for its value ("1 234", "masqué").
VALUE_ROOM = 70
PADDING = 4


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell


def count_text(cell: Cell) -> str:
    """A count as the public reads it, in the active language's number format."""
    if cell.is_small:
        # The same words as the tables (templates/mobility/includes/count.html): THRESHOLD is 5.
        return _("< 5")
    if cell.is_masked:
        return _("masqué")
    return number_format(cell.value, force_grouping=True)


def _drawn_length(cell: Cell) -> int:
    if cell.is_small:
        return THRESHOLD
    if cell.is_masked:
        return 0
    return cell.value


def bar_chart(
    bars: Sequence[Bar], *, chart_id: str, title: str, table_caption: str, scale_to: int = 0
) -> SafeString:
    """An SVG chart of `bars`; `chart_id` is unique in the page (its title's and pattern's ids).

    `scale_to`, the table's total where it is shown, is the full length: a bar is then its share
    of the total, and a "< 5" bar never looks the largest because a larger count is hidden."""
    scale_max = max([_drawn_length(bar.cell) for bar in bars] + [THRESHOLD, scale_to])
    bar_room = WIDTH - 2 * PADDING - VALUE_ROOM
    height = max(1, len(bars)) * ROW_HEIGHT + PADDING
    hatch = f"{chart_id}-hatch"
    rows = []
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        bar_top = top + LABEL_HEIGHT
        length = round(bar_room * _drawn_length(bar.cell) / scale_max)
        if bar.cell.value and not bar.cell.is_masked:
            length = max(length, 2)  # a count above zero stays visible
        rows.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}">{}</text>'
                '<rect class="{}" x="{}" y="{}" width="{}" height="{}"{}></rect>'
                '<text class="chart__value" x="{}" y="{}">{}</text>',
                PADDING,
                top + LABEL_HEIGHT - 5,
                bar.label,
                "chart__bar-small" if bar.cell.is_small else "chart__bar",
                PADDING,
                bar_top,
                length,
                BAR_HEIGHT,
                format_html(' fill="url(#{})"', hatch) if bar.cell.is_small else "",
                PADDING + length + 6,
                bar_top + BAR_HEIGHT - 3,
                count_text(bar.cell),
            )
        )
    description = _("Illustre le tableau « %(caption)s », qui donne les mêmes chiffres.") % {
        "caption": table_caption
    }
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" aria-labelledby="{}-title" '
        'aria-describedby="{}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<defs><pattern id="{}" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="chart__hatch-ground"></rect>'
        '<line x1="0" y1="0" x2="0" y2="6" class="chart__hatch-line"></line></pattern></defs>'
        "{}</svg>",
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        hatch,
        format_html_join("", "{}", ((row,) for row in rows)),
    )
