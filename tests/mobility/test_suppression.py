"""Small-cell suppression: a count of 1 to 4 people is "< 5", and no total lets anyone work it out."""

import itertools

import pytest

from mobility.statistics.suppression import Cell, Shown, can_be_worked_out, protect, protect_year


def shown(cells):
    return [cell.shown for cell in cells]


EXACT, SMALL, MASKED = Shown.EXACT, Shown.SMALL, Shown.MASKED


@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_a_count_of_one_to_four_is_small(value):
    cells, total_shown = protect([value, 0], value)

    assert shown(cells) == [SMALL, EXACT]
    # The total is itself "< 5": nothing exact to reason from.
    assert total_shown


def test_zero_and_five_are_shown_exactly():
    cells, total_shown = protect([0, 5, 12], 17)

    assert shown(cells) == [EXACT, EXACT, EXACT]
    assert total_shown


def test_a_lone_small_cell_hides_the_smallest_other_one_too():
    cells, total_shown = protect([2, 9, 7, 0], 18)

    assert shown(cells) == [SMALL, EXACT, MASKED, EXACT]
    assert total_shown
    assert not can_be_worked_out(cells, 18)


def test_small_cells_whose_sum_pins_them_hide_another_cell():
    # 1 and 1 out of 12 with 10 shown: the two hidden ones add up to 2, so both are 1.
    cells, total_shown = protect([1, 1, 10], 12)

    assert shown(cells) == [SMALL, SMALL, MASKED]
    assert total_shown


def test_small_cells_that_cannot_be_told_apart_keep_the_total():
    # 2 and 3 out of 5: each could be 1 to 4.
    cells, total_shown = protect([2, 3], 5)

    assert shown(cells) == [SMALL, SMALL]
    assert total_shown


def test_with_no_cell_left_to_hide_the_total_is_hidden():
    # 4 and 4 out of 8: both pinned to 4, and nothing else to hide.
    cells, total_shown = protect([4, 4], 8)

    assert shown(cells) == [SMALL, SMALL]
    assert not total_shown


def test_a_total_hidden_in_one_table_is_hidden_in_every_table_of_the_year():
    total, (by_country, by_kind, by_direction) = protect_year(8, [[4, 4], [8, 0, 0], [8, 0]])

    assert total == Cell(8, MASKED)
    assert shown(by_country) == [SMALL, SMALL]
    # Left whole, "études 8" would give the hidden total away, and with it both countries' 4.
    assert shown(by_kind) == [MASKED, EXACT, EXACT]
    assert shown(by_direction) == [MASKED, EXACT]


def test_a_small_total_is_small():
    total, _tables = protect_year(3, [[3, 0]])

    assert total.shown is SMALL


def year_possible_values(tables, total_cell):
    """What a reader can tell of each "< 5" cell of a year, by trying every total the page allows
    (the shown one, or 5 and more when hidden) and every value of the hidden cells in every table."""
    totals = [total_cell.value] if total_cell.is_exact else range(5, 60)
    seen: dict[tuple[int, int], set[int]] = {}
    for total in totals:
        per_table = [possible_values(cells, total) for cells in tables]
        if any(possible is None for possible in per_table):
            continue  # some table cannot add up to this total: the reader rules it out
        for position, possible in enumerate(per_table):
            for index, values in possible.items():
                seen.setdefault((position, index), set()).update(values)
    return seen


def possible_values(cells, total):
    """What a reader can tell of each hidden cell, by trying every value the rules allow: a
    "< 5" cell is 1 to 4, a "masqué" one 5 to the total, and the cells add up to the total."""
    hidden = [index for index, cell in enumerate(cells) if not cell.is_exact]
    rest = total - sum(cell.value for cell in cells if cell.is_exact)
    ranges = [range(1, 5) if cells[index].is_small else range(5, total + 1) for index in hidden]
    seen: dict[int, set[int]] = {index: set() for index in hidden}
    found = False
    for values in itertools.product(*ranges):
        if sum(values) == rest:
            found = True
            for index, value in zip(hidden, values, strict=True):
                seen[index].add(value)
    return seen if found else None


def test_no_small_cell_can_be_narrowed_to_one_value():
    """Every table of three cells up to 9, checked by brute force: a reader who knows the rules,
    the visible cells and the total never pins a "< 5" cell down to one value."""
    for values in itertools.product(range(10), repeat=3):
        total = sum(values)
        cells, total_shown = protect(list(values), total)
        for cell, value in zip(cells, values, strict=True):
            assert (cell.shown is SMALL) == (1 <= value <= 4), values
        if not total_shown or total < 5:
            continue
        for index, possible in possible_values(cells, total).items():
            if cells[index].is_small:
                assert len(possible) > 1, (values, shown(cells))


def test_no_small_cell_of_a_year_can_be_narrowed_to_one_value_from_all_its_tables():
    """Every year of up to 16 mobilities split two ways and three ways, checked by brute force: a
    reader who crosses the tables, the rules and the (shown or hidden) total never pins a "< 5"
    cell down to one value."""
    for total in range(5, 17):
        for first in range(total + 1):
            for second in range(total - first + 1):
                tables = [[first, total - first], [second, total - first - second, first]]
                if sum(tables[1]) != total:
                    continue
                total_cell, protected = protect_year(total, tables)
                for (position, index), possible in year_possible_values(protected, total_cell).items():
                    if protected[position][index].is_small:
                        assert len(possible) > 1, (tables, [shown(cells) for cells in protected], total_cell)
