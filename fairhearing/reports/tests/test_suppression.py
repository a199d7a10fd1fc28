"""Attacks on published tables: each test plays someone who knows the suppression rules and tries
to recover a hidden count from what is shown. None may succeed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from fairhearing.reports.suppression import FEWER_THAN_5, HIDDEN, suppress, suppress_column

Published = list[list[int | str]]


def published_lines(grid: Published, rows: int, cols: int) -> list[list[tuple[int, int]]]:
    """The sums a reader can check: every row ends with its total, every column with its total."""
    lines = []
    if cols > 1:
        lines += [[(i, j) for j in range(cols + 1)] for i in range(len(grid))]
    if rows > 1:
        lines += [[(i, j) for i in range(rows + 1)] for j in range(len(grid[0]))]
    return lines


def is_total(p: tuple[int, int], rows: int, cols: int) -> bool:
    return (rows > 1 and p[0] == rows) or (cols > 1 and p[1] == cols)


def subtraction_attack(grid: Published, rows: int, cols: int) -> dict[tuple[int, int], int]:
    """Repeatedly solve any line with one unknown left, as a reader with a calculator would."""
    known = {(i, j): v for i, row in enumerate(grid) for j, v in enumerate(row) if isinstance(v, int)}
    recovered: dict[tuple[int, int], int] = {}
    progress = True
    while progress:
        progress = False
        for line in published_lines(grid, rows, cols):
            unknown = [p for p in line if p not in known]
            if len(unknown) != 1:
                continue
            p = unknown[0]
            inner_sum = sum(known[q] for q in line[:-1] if q in known)
            value = inner_sum if p == line[-1] else known[line[-1]] - inner_sum
            known[p] = recovered[p] = value
            progress = True
    return recovered


def lp_attack(grid: Published, rows: int, cols: int) -> dict[tuple[int, int], tuple[float, float]]:
    """Tightest range for each hidden position from the sums and the label bounds."""
    hidden = [(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if not isinstance(v, int)]
    index = {p: k for k, p in enumerate(hidden)}
    a_eq, b_eq = [], []
    for line in published_lines(grid, rows, cols):
        coeffs = np.zeros(len(hidden))
        rhs = 0.0
        for p in line[:-1]:
            if p in index:
                coeffs[index[p]] += 1
            else:
                rhs -= grid[p[0]][p[1]]  # type: ignore[operator]
        total = line[-1]
        if total in index:
            coeffs[index[total]] -= 1
        else:
            rhs += grid[total[0]][total[1]]  # type: ignore[operator]
        if coeffs.any():
            a_eq.append(coeffs)
            b_eq.append(rhs)
    bounds = []
    for p in hidden:
        label = grid[p[0]][p[1]]
        if label == FEWER_THAN_5:
            bounds.append((1, 4))
        elif is_total(p, rows, cols):
            bounds.append((0, None))
        else:
            bounds.append((5, None))
    ranges = {}
    for p, k in index.items():
        c = np.zeros(len(hidden))
        c[k] = 1
        lo = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        assert lo.status == 0, "the published table must be consistent with the truth"
        ranges[p] = (lo.fun, float("inf") if hi.status == 3 else -hi.fun)
    return ranges


def brute_force_attack(grid: Published, rows: int, cols: int, cap: int) -> dict[tuple[int, int], set[int]]:
    """Every integer filling of the hidden inner cells (values capped, which only helps the
    attacker), with hidden totals derived from them, that agrees with every shown number; returns
    the values each hidden position can take."""
    inner = [(i, j) for i in range(rows) for j in range(cols) if not isinstance(grid[i][j], int)]
    domains = [range(1, 5) if grid[i][j] == FEWER_THAN_5 else range(5, cap + 1) for i, j in inner]
    hidden = [(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if not isinstance(v, int)]
    possible: dict[tuple[int, int], set[int]] = {p: set() for p in hidden}
    for values in itertools.product(*domains):
        filled = [list(row) for row in grid]
        for (i, j), v in zip(inner, values, strict=True):
            filled[i][j] = v
        full = [row[:cols] for row in filled[:rows]]
        sums = [row + ([sum(row)] if cols > 1 else []) for row in full]
        if rows > 1:
            sums.append([sum(sums[i][j] for i in range(rows)) for j in range(len(sums[0]))])
        if all(isinstance(grid[i][j], str) or grid[i][j] == sums[i][j] for i in range(len(grid)) for j in range(len(grid[0]))):
            for i, j in hidden:
                possible[(i, j)].add(sums[i][j])
    return possible


def assert_nothing_recovered(cells: list[list[int]]) -> None:
    table = suppress(cells)
    grid = table.shown_grid()
    rows, cols = len(cells), len(cells[0])
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if 0 < value < 5:
                assert grid[i][j] == FEWER_THAN_5, f"cell {i},{j}={value} was published"
    assert subtraction_attack(grid, rows, cols) == {}
    for p, (lo, hi) in lp_attack(grid, rows, cols).items():
        assert hi - lo >= 1, f"hidden position {p} is pinned to {lo}"


SMALL_TABLES = [
    [[4, 1], [1, 1]],
    [[1, 9], [7, 12]],
    [[3, 0], [0, 8]],
    [[2, 6, 11], [9, 1, 14], [20, 30, 3]],
    [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    [[0, 0, 1], [0, 0, 0]],
    [[40, 2, 0, 17], [5, 6, 7, 8]],
]


@pytest.mark.parametrize("cells", SMALL_TABLES)
def test_it_hides_every_small_count_from_subtraction_and_linear_programming(cells: list[list[int]]) -> None:
    assert_nothing_recovered(cells)


@pytest.mark.parametrize("cells", [[[4, 1], [1, 1]], [[3, 0], [0, 8]], [[1, 9], [7, 6]], [[2, 5], [0, 1]]])
def test_an_exhaustive_search_over_every_integer_filling_leaves_each_hidden_count_open(cells: list[list[int]]) -> None:
    table = suppress(cells)
    grid = table.shown_grid()
    cap = table.values[-1][-1] + 3
    for p, values in brute_force_attack(grid, len(cells), len(cells[0]), cap).items():
        assert len(values) >= 2, f"hidden position {p} can only be {values}"
        assert table.values[p[0]][p[1]] in values


def test_a_single_small_category_is_hidden_with_the_next_smallest() -> None:
    table = suppress_column([3, 10, 12])
    assert table.shown_grid() == [[FEWER_THAN_5], [HIDDEN], [12], [25]]


def test_a_table_with_no_small_counts_is_published_whole() -> None:
    table = suppress([[5, 6], [7, 0]])
    assert table.hidden == set()
    assert table.shown_grid() == [[5, 6, 11], [7, 0, 7], [12, 6, 18]]


def test_zero_is_shown_as_zero_and_never_hidden() -> None:
    table = suppress([[0, 2], [9, 9]])
    assert table.shown(0, 0) == 0


def test_it_rejects_ragged_or_negative_tables_with_a_reason() -> None:
    with pytest.raises(ValueError, match="same number of columns"):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        suppress([[-1]])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(
    lambda c: st.lists(st.lists(st.integers(0, 15), min_size=c, max_size=c), min_size=r, max_size=r))))
def test_no_random_table_gives_up_a_hidden_count(cells: list[list[int]]) -> None:
    assert_nothing_recovered(cells)
