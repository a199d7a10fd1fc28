"""Small-number suppression for published tables (no Django imports).

A table is a grid of counts with its row totals, column totals and grand total. Publishing it must
not let anyone learn a count from 1 to 4, whether directly or by arithmetic on what is shown.

1. Primary suppression: every inner cell from 1 to 4 is shown as "fewer than 5".
2. Secondary suppression: in every line (a row with its total, a column with its total) a single
   hidden cell could be recovered by subtraction, so a second cell is hidden: the smallest shown
   non-zero inner cell of that line, or the line's total when there is none. Hidden totals form
   lines of their own (the total column and the total row), so the rule runs to a fixed point.
3. Audit: a line rule is not enough (a cycle of hidden cells can still be pinned by the bounds
   1..4 on primary cells). Each hidden cell's feasible range is computed exactly by linear
   programming over everything an attacker knows: shown values, the sums, primary cells in 1..4,
   secondary cells at least 5 (a shown-elsewhere non-zero cell is never below 5, since smaller ones
   are primary) and hidden totals at least 0. The constraint matrix of a table with margins is
   totally unimodular, so the LP range is the exact integer range. Any hidden cell whose range is a
   single value gets a neighbour hidden too, and the audit runs again.

Zero cells are never hidden: a zero is not a small number of people, and hiding one would tell
the attacker the hidden value is 0 or at least 5, which the audit could not model as an interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

FEWER_THAN_5 = "fewer than 5"
HIDDEN = "not shown"
THRESHOLD = 5

Pos = tuple[int, int]


@dataclass
class SuppressedTable:
    """A table after suppression. ``grid`` is the augmented (rows+1) x (cols+1) grid: the last
    column holds row totals, the last row column totals, the corner the grand total. ``shown``
    gives the value to publish (int or a label) for each position."""

    values: list[list[int]]
    rows: int = 0
    cols: int = 0
    primary: set[Pos] = field(default_factory=set)
    secondary: set[Pos] = field(default_factory=set)

    @property
    def hidden(self) -> set[Pos]:
        return self.primary | self.secondary

    def shown(self, i: int, j: int) -> int | str:
        if (i, j) in self.primary:
            return FEWER_THAN_5
        if (i, j) in self.secondary:
            return HIDDEN
        return self.values[i][j]

    def shown_grid(self) -> list[list[int | str]]:
        return [[self.shown(i, j) for j in range(len(row))] for i, row in enumerate(self.values)]


def augment(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """Add the totals column (when there is more than one column), the totals row (when there is
    more than one row) and the grand total to a grid of counts. A single column's row totals would
    repeat its cells, so they are left out."""
    if not cells or not cells[0]:
        raise ValueError("a table needs at least one row and one column")
    width = len(cells[0])
    if any(len(row) != width for row in cells):
        raise ValueError("every row of a table must have the same number of columns")
    if any(v < 0 for row in cells for v in row):
        raise ValueError("counts cannot be negative")
    grid = [list(row) + ([sum(row)] if width > 1 else []) for row in cells]
    if len(cells) > 1:
        grid.append([sum(grid[i][j] for i in range(len(cells))) for j in range(len(grid[0]))])
    return grid


def _lines(rows: int, cols: int) -> list[list[Pos]]:
    """Every additive line of the augmented grid: inner positions first, total position last."""
    lines: list[list[Pos]] = []
    full_rows = rows + (1 if rows > 1 else 0)
    full_cols = cols + (1 if cols > 1 else 0)
    if cols > 1:
        lines += [[(i, j) for j in range(cols + 1)] for i in range(full_rows)]
    if rows > 1:
        lines += [[(i, j) for i in range(rows + 1)] for j in range(full_cols)]
    return lines


def is_total(table: SuppressedTable, p: Pos) -> bool:
    return (table.rows > 1 and p[0] == table.rows) or (table.cols > 1 and p[1] == table.cols)


def _line_rule(table: SuppressedTable, lines: list[list[Pos]]) -> bool:
    """One pass of the row/column rule; True only when it hid something new, so the caller's
    fixed-point loop ends even when a line has no partner left to hide."""
    before = len(table.hidden)
    for line in lines:
        hidden = [p for p in line if p in table.hidden]
        if len(hidden) != 1:
            continue
        _hide_partner(table, line, exclude=hidden[0])
    return len(table.hidden) > before


def _hide_partner(table: SuppressedTable, line: list[Pos], exclude: Pos) -> None:
    inner, total = line[:-1], line[-1]
    candidates = [p for p in inner if p != exclude and p not in table.hidden and table.values[p[0]][p[1]] > 0]
    if candidates:
        best = min(candidates, key=lambda p: (table.values[p[0]][p[1]], p))
        table.secondary.add(best)
    elif total != exclude and total not in table.hidden:
        table.secondary.add(total)


def _system(table: SuppressedTable) -> tuple[list[Pos], list[Any], list[float], list[tuple[int, int | None]]]:
    """The attacker's linear system: hidden positions, equality rows, right-hand sides, bounds."""
    import numpy as np

    hidden = sorted(table.hidden)
    index = {p: k for k, p in enumerate(hidden)}
    a_eq, b_eq = [], []
    for line in _lines(table.rows, table.cols):
        coeffs = np.zeros(len(hidden))
        rhs = 0.0
        inner, total = line[:-1], line[-1]
        for p in inner:
            if p in index:
                coeffs[index[p]] += 1
            else:
                rhs -= table.values[p[0]][p[1]]
        if total in index:
            coeffs[index[total]] -= 1
        else:
            rhs += table.values[total[0]][total[1]]
        if coeffs.any():
            a_eq.append(coeffs)
            b_eq.append(rhs)
    bounds: list[tuple[int, int | None]] = []
    for p in hidden:
        if p in table.primary:
            bounds.append((1, THRESHOLD - 1))
        elif is_total(table, p):
            bounds.append((0, None))
        else:
            bounds.append((THRESHOLD, None))
    return hidden, a_eq, b_eq, bounds


def _ranges(table: SuppressedTable, *, stop_at_first_pinned: bool) -> dict[Pos, tuple[float, float]]:
    import numpy as np
    from scipy.optimize import linprog

    hidden, a_eq, b_eq, bounds = _system(table)
    ranges: dict[Pos, tuple[float, float]] = {}
    for k, p in enumerate(hidden):
        c = np.zeros(len(hidden))
        c[k] = 1
        low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        high = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
        lo = low.fun if low.status == 0 else float("-inf")
        hi = -high.fun if high.status == 0 else (float("inf") if high.status == 3 else float("-inf"))
        ranges[p] = (lo, hi)
        if stop_at_first_pinned and hi - lo < 0.5:
            break
    return ranges


def exposure(table: SuppressedTable) -> dict[Pos, tuple[float, float]]:
    """The feasible range of every hidden position given what is published (exact for tables
    with margins). Used by the suppression audit and by the tests that attack it."""
    return _ranges(table, stop_at_first_pinned=False) if table.hidden else {}


def _exposed(table: SuppressedTable) -> list[Pos]:
    if not table.hidden:
        return []
    return [p for p, (lo, hi) in _ranges(table, stop_at_first_pinned=True).items() if hi - lo < 0.5]


def suppress(cells: Sequence[Sequence[int]]) -> SuppressedTable:
    """Suppress a table of counts (rows x columns, without totals). Returns the augmented table
    with the positions to hide; every hidden count has at least two possible values."""
    grid = augment(cells)
    rows, cols = len(cells), len(cells[0])
    table = SuppressedTable(values=grid, rows=rows, cols=cols)
    table.primary = {(i, j) for i in range(rows) for j in range(cols) if 0 < grid[i][j] < THRESHOLD}
    lines = _lines(rows, cols)
    for _ in range((rows + 1) * (cols + 1) + 1):
        while _line_rule(table, lines):
            pass
        exposed = _exposed(table)
        if not exposed:
            return table
        p = exposed[0]
        before = len(table.hidden)
        for line in lines:
            if p in line:
                _hide_partner(table, line, exclude=p)
                if len(table.hidden) > before:
                    break
        if len(table.hidden) == before:
            # Nothing left to hide beside it in its lines: hide every total as the last resort.
            table.secondary |= {p for i, row in enumerate(grid) for p in ((i, j) for j in range(len(row))) if is_total(table, p)}
    return table


def suppress_column(counts: Sequence[int]) -> SuppressedTable:
    """A one-column table (categories with a total): the common shape of the published figures."""
    return suppress([[c] for c in counts])
