"""The figures as the public page shows them: labelled in the visitor's language, every count
of people protected (`suppression`). Built per request, inside the request's language."""

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_countries.fields import Country

from mobility.statistics.charts import Bar, bar_chart
from mobility.statistics.figures import Direction, MobilityKind, MobilityStatistics, YearCounts
from mobility.statistics.suppression import Cell, protect_year
from partnerships.academic_years import academic_year_label
from partnerships.text import search_normalize


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    mobilities: Cell
    # Places offered, for a destination; None where no agreement in force states a number.
    places: int | None = None


@dataclass(frozen=True)
class PublicYear:
    year: int
    label: str
    total: Cell
    destinations: list[Row]
    kinds: list[Row]
    directions: list[Row]
    places_offered: int
    agreements_in_force: int


def country_label(code: str) -> str:
    return str(Country(code).name) if code else _("non précisée")


def public_year(counts: YearCounts) -> PublicYear:
    countries = sorted(
        {*counts.by_country, *counts.places_by_country},
        key=lambda code: (code == "", search_normalize(country_label(code))),
    )
    kinds = list(MobilityKind)
    directions = list(Direction)
    total, (by_country, by_kind, by_direction) = protect_year(
        counts.mobilities,
        [
            [counts.by_country[code] for code in countries],
            [counts.by_kind[kind] for kind in kinds],
            [counts.by_direction[direction] for direction in directions],
        ],
    )
    return PublicYear(
        year=counts.year,
        label=academic_year_label(counts.year),
        total=total,
        destinations=[
            Row(code, country_label(code), cell, counts.places_by_country.get(code))
            for code, cell in zip(countries, by_country, strict=True)
        ],
        kinds=[Row(kind, str(kind.label), cell) for kind, cell in zip(kinds, by_kind, strict=True)],
        directions=[
            Row(direction, str(direction.label), cell)
            for direction, cell in zip(directions, by_direction, strict=True)
        ],
        places_offered=counts.places_offered,
        agreements_in_force=counts.agreements_in_force,
    )


def public_years(statistics: MobilityStatistics) -> list[PublicYear]:
    """Most recent first."""
    return [public_year(counts) for counts in reversed(statistics.years)]


@dataclass(frozen=True)
class Table:
    """A table and the chart that illustrates it."""

    caption: str
    rows: list[Row]
    # None for the years' table: each year's total may be hidden, and their sum would show it.
    total: Cell | None
    chart: SafeString


def _table(rows: list[Row], total: Cell, *, chart_id: str, caption: str) -> Table:
    bars = [Bar(row.label, row.mobilities) for row in rows]
    scale_to = total.value if total.is_exact else 0
    chart = bar_chart(bars, chart_id=chart_id, title=caption, table_caption=caption, scale_to=scale_to)
    return Table(caption, rows, total, chart)


@dataclass(frozen=True)
class YearSection:
    figures: PublicYear
    destinations: Table
    kinds: Table
    directions: Table


@dataclass(frozen=True)
class FiguresPage:
    years: list[YearSection]
    overview: Table
    current_year_label: str
    agreements_in_force_today: int


def figures_page(statistics: MobilityStatistics) -> FiguresPage:
    """Everything the public page shows, its charts drawn, in the active language."""
    years = public_years(statistics)
    sections = []
    for figures in years:
        label = figures.label
        sections.append(
            YearSection(
                figures,
                _table(
                    figures.destinations,
                    figures.total,
                    chart_id=f"chart-{figures.year}-destinations",
                    caption=_("Mobilités %(year)s par pays, et places offertes") % {"year": label},
                ),
                _table(
                    figures.kinds,
                    figures.total,
                    chart_id=f"chart-{figures.year}-kinds",
                    caption=_("Mobilités %(year)s par type") % {"year": label},
                ),
                _table(
                    figures.directions,
                    figures.total,
                    chart_id=f"chart-{figures.year}-directions",
                    caption=_("Mobilités %(year)s par sens") % {"year": label},
                ),
            )
        )
    overview_rows = [Row(str(figures.year), figures.label, figures.total) for figures in years]
    overview_caption = _("Mobilités, accords en vigueur et places offertes par année universitaire")
    overview = Table(
        overview_caption,
        overview_rows,
        None,
        bar_chart(
            [Bar(row.label, row.mobilities) for row in overview_rows],
            chart_id="chart-years",
            title=_("Mobilités par année universitaire"),
            table_caption=overview_caption,
        ),
    )
    return FiguresPage(
        sections,
        overview,
        academic_year_label(statistics.current_year),
        statistics.agreements_in_force_today,
    )
