"""The SVG bar charts: one accessible image illustrating its table, no style attribute, small
counts hatched at the length of 5 and hidden ones without a bar, numbers in the page's language."""

import re

from django.utils import translation

from mobility.statistics.charts import THRESHOLD, Bar, bar_chart
from mobility.statistics.suppression import Cell, Shown


def chart(*bars: Bar) -> str:
    return str(bar_chart(bars, chart_id="chart-test", title="Mobilités par type", table_caption="Le tableau"))


def bar_widths(svg: str) -> list[tuple[str, int]]:
    return [
        (kind, int(width))
        for kind, width in re.findall(r'<rect class="(chart__bar[\w-]*)"[^>]*width="(\d+)"', svg)
    ]


def test_the_chart_is_one_named_image_that_says_which_table_it_illustrates():
    svg = chart(Bar("études", Cell(12)))

    assert svg.startswith('<svg class="chart" role="img" viewBox="0 0 ')
    assert 'aria-labelledby="chart-test-title"' in svg
    assert '<title id="chart-test-title">Mobilités par type</title>' in svg
    assert 'aria-describedby="chart-test-desc"' in svg
    assert "Illustre le tableau « Le tableau »" in svg
    assert "style=" not in svg


def test_a_small_count_is_hatched_at_the_length_of_five_whatever_it_is():
    drawn = [
        bar_widths(chart(Bar("études", Cell(value, Shown.SMALL)), Bar("stage", Cell(10))))
        for value in range(1, THRESHOLD)
    ]

    assert all(widths == drawn[0] for widths in drawn)
    (small_kind, small), (_kind, ten) = drawn[0]
    assert small_kind == "chart__bar-small"
    assert small * 2 == ten
    svg = chart(Bar("études", Cell(2, Shown.SMALL)))
    assert 'fill="url(#chart-test-hatch)"' in svg
    assert '<pattern id="chart-test-hatch"' in svg
    assert ">&lt; 5</text>" in svg
    assert ">2</text>" not in svg


def test_a_hidden_count_has_no_bar_and_no_number():
    svg = chart(Bar("études", Cell(3, Shown.SMALL)), Bar("personnel", Cell(9, Shown.MASKED)))

    assert bar_widths(svg)[1] == ("chart__bar", 0)
    assert ">masqué</text>" in svg
    assert ">9</text>" not in svg


def test_bars_are_in_proportion_and_zero_is_written():
    widths = bar_widths(chart(Bar("a", Cell(100)), Bar("b", Cell(50)), Bar("c", Cell(0))))

    assert widths[0][1] == 2 * widths[1][1]
    assert widths[2][1] == 0


def test_numbers_and_words_follow_the_language():
    with translation.override("en"):
        svg = chart(Bar("studies", Cell(1234)), Bar("staff", Cell(40, Shown.MASKED)))

    assert ">1,234</text>" in svg
    assert ">hidden</text>" in svg
    with translation.override("fr"):
        assert ">1\xa0234</text>" in chart(Bar("études", Cell(1234)))


def test_bars_are_a_share_of_the_total_they_are_scaled_to():
    """With the table's total as the scale, a "< 5" bar next to a hidden large count stays short."""
    svg = str(
        bar_chart(
            [Bar("Belgique", Cell(3, Shown.SMALL)), Bar("Allemagne", Cell(12, Shown.MASKED))],
            chart_id="chart-test",
            title="Par pays",
            table_caption="Par pays",
            scale_to=15,
        )
    )
    full = bar_chart([Bar("tous", Cell(15))], chart_id="chart-full", title="Total", table_caption="Total")

    (_kind, small), (_masked, hidden) = bar_widths(svg)
    ((_all, whole),) = bar_widths(str(full))
    assert small * 3 == whole
    assert hidden == 0
