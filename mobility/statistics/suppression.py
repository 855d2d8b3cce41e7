"""Small-cell suppression: no count of 1 to 4 people reaches the public, nor a total that
would let someone work one out.

Primary suppression: a count from 1 to 4 is shown as "< 5". Zero is shown: it names nobody.

Secondary suppression: a table shows its total, and a reader who knows the total and the
visible cells knows what the hidden ones add up to. With one hidden cell, that is the cell
itself; with several, their sum can still pin one down (two hidden cells adding up to 2 are
both 1; two adding up to 8 are both 4). So each table is checked as a reader would reason:
a hidden "< 5" cell lies between 1 and 4, a hidden larger cell ("masqué") is 5 or more, and
their sum is the total minus the visible cells. While some "< 5" cell can be narrowed to a
single value, the smallest visible non-zero cell is hidden too; when no cell is left to hide,
the total itself is hidden.

A year's tables all break down the same total, so a reader reasons on them together
(`protect_year`): once the total is hidden, a table left whole still gives it away (countries
"< 5" and "< 5", types 8, 0 and 0: both countries are 4), and each table bounds it (two "< 5"
cells add up to 8 at most). The total is then what every table allows at once, and cells are
hidden, in any table, until no "< 5" cell can be narrowed to one value over all those totals.
A year whose total is itself under 5 is not broken down at all: with four "< 5" cells adding up
to "< 5", each is 1.
"""

import enum
from collections.abc import Sequence
from dataclasses import dataclass

# The smallest count of people shown as it is.
THRESHOLD = 5
# What a reader may assume of a hidden cell larger than THRESHOLD: no upper bound.
UNBOUNDED = 10**9


class Shown(enum.Enum):
    EXACT = "exact"
    SMALL = "small"  # 1 to 4, shown "< 5"
    MASKED = "masked"  # 5 or more, hidden so that a "< 5" cell cannot be worked out


@dataclass(frozen=True)
class Cell:
    """A count of people and how the public sees it. `value` is for staff and for the
    charts' scale only: templates print it only when `shown` is EXACT."""

    value: int
    shown: Shown = Shown.EXACT

    @property
    def is_exact(self) -> bool:
        return self.shown is Shown.EXACT

    @property
    def is_small(self) -> bool:
        return self.shown is Shown.SMALL

    @property
    def is_masked(self) -> bool:
        return self.shown is Shown.MASKED


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


def _bounds(shown: Shown) -> tuple[int, int]:
    return (1, THRESHOLD - 1) if shown is Shown.SMALL else (THRESHOLD, UNBOUNDED)


def can_be_worked_out(cells: Sequence[Cell], total: int) -> bool:
    """Whether a reader who sees `total` and the visible cells can narrow some "< 5" cell to
    one value."""
    hidden = [cell for cell in cells if not cell.is_exact]
    if not any(cell.is_small for cell in hidden):
        return False
    rest = total - sum(cell.value for cell in cells if cell.is_exact)
    for index, cell in enumerate(hidden):
        if not cell.is_small:
            continue
        others = [_bounds(other.shown) for position, other in enumerate(hidden) if position != index]
        low = max(1, rest - sum(high for _low, high in others))
        high = min(THRESHOLD - 1, rest - sum(low for low, _high in others))
        if low >= high:
            return True
    return False


def protect(values: Sequence[int], total: int) -> tuple[list[Cell], bool]:
    """The cells of one table as the public sees them, and whether its total may be shown."""
    cells = [Cell(value, Shown.SMALL if is_small(value) else Shown.EXACT) for value in values]
    if is_small(total):
        # The total is "< 5" itself: no exact figure to reason from.
        return cells, True
    while can_be_worked_out(cells, total):
        visible = [index for index, cell in enumerate(cells) if cell.is_exact and cell.value > 0]
        if not visible:
            return cells, False
        smallest = min(visible, key=lambda index: cells[index].value)
        cells[smallest] = Cell(cells[smallest].value, Shown.MASKED)
    return cells, True


def total_cell(total: int, *, shown: bool) -> Cell:
    if is_small(total):
        return Cell(total, Shown.SMALL)
    return Cell(total, Shown.EXACT if shown else Shown.MASKED)


def protect_year(total: int, tables: Sequence[Sequence[int]]) -> tuple[Cell, list[list[Cell]]]:
    """A year's total and its tables (each a breakdown of that same total), protected together.

    With a total under 5, the tables keep only their primary suppression: the page does not show
    them (see the module's docstring)."""
    protected = [
        [Cell(value, Shown.SMALL if is_small(value) else Shown.EXACT) for value in values]
        for values in tables
    ]
    if is_small(total) or total == 0:
        return total_cell(total, shown=True), protected
    total_shown = True
    while (pinned := _pinned_table(protected, total, total_shown)) is not None:
        in_table = _visible(protected[pinned])
        if in_table:
            _mask_smallest(protected[pinned], in_table)
        elif total_shown:
            total_shown = False
        else:
            # The total is hidden, yet other tables bound it so tightly that it pins this one.
            anywhere = [(cells, _visible(cells)) for cells in protected if _visible(cells)]
            if not anywhere:
                break  # every count is hidden already: nothing more to take away
            cells, visible = min(anywhere, key=lambda pair: min(pair[0][index].value for index in pair[1]))
            _mask_smallest(cells, visible)
    return total_cell(total, shown=total_shown), protected


def _visible(cells: list[Cell]) -> list[int]:
    return [index for index, cell in enumerate(cells) if cell.is_exact and cell.value > 0]


def _mask_smallest(cells: list[Cell], visible: list[int]) -> None:
    smallest = min(visible, key=lambda index: cells[index].value)
    cells[smallest] = Cell(cells[smallest].value, Shown.MASKED)


def _table_bounds(cells: Sequence[Cell]) -> tuple[int, int]:
    """The totals a table allows a reader to assume, from its visible and hidden cells."""
    exact = sum(cell.value for cell in cells if cell.is_exact)
    hidden = [_bounds(cell.shown) for cell in cells if not cell.is_exact]
    return exact + sum(low for low, _high in hidden), exact + sum(high for _low, high in hidden)


def _pinned_table(tables: list[list[Cell]], total: int, total_shown: bool) -> int | None:
    """The first table with a "< 5" cell that a reader can narrow to one value, if any."""
    if total_shown:
        low_total = high_total = total
    else:
        low_total, high_total = THRESHOLD, UNBOUNDED  # a hidden total is "masqué": 5 or more
        for cells in tables:
            low, high = _table_bounds(cells)
            low_total, high_total = max(low_total, low), min(high_total, high)
    for position, cells in enumerate(tables):
        exact = sum(cell.value for cell in cells if cell.is_exact)
        hidden = [cell for cell in cells if not cell.is_exact]
        for index, cell in enumerate(hidden):
            if not cell.is_small:
                continue
            others = [_bounds(other.shown) for place, other in enumerate(hidden) if place != index]
            low = max(1, low_total - exact - sum(high for _low, high in others))
            high = min(THRESHOLD - 1, high_total - exact - sum(low for low, _high in others))
            if low >= high:
                return position
    return None
