"""Cells covered by few rectangles: the unit every adapter styles and writes in.

A rectangle is ``(first_row, first_col, last_row, last_col)``, 0-based and inclusive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

Rect = tuple[int, int, int, int]


def rectangles(
    cells: Iterable[tuple[int, int]], free: Collection[tuple[int, int]] = ()
) -> list[Rect]:
    """Cover ``cells`` with few rectangles: runs along each row, stacked when equal.

    A run may bridge a gap in its row made only of ``free`` cells (ones the property does not
    matter for, such as a number format on a text cell), so fewer calls cover the same cells.
    """
    by_row: defaultdict[int, list[int]] = defaultdict(list)
    for row, col in set(cells):
        by_row[row].append(col)
    done: list[Rect] = []
    open_: dict[tuple[int, int], Rect] = {}  # (first_col, last_col) -> growing rectangle
    for row in sorted(by_row):
        runs = _runs(row, sorted(by_row[row]), free)
        for key, rect in list(open_.items()):
            if key not in runs or rect[2] != row - 1:
                done.append(open_.pop(key))
        for first, last in runs:
            top = open_[first, last][0] if (first, last) in open_ else row
            open_[first, last] = (top, first, row, last)
    return sorted([*done, *open_.values()])


def _runs(
    row: int, cols: Sequence[int], free: Collection[tuple[int, int]]
) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for col in cols:
        if runs and all((row, gap) in free for gap in range(runs[-1][1] + 1, col)):
            runs[-1] = (runs[-1][0], col)
        else:
            runs.append((col, col))
    return runs


def consecutive(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive integers grouped: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    groups: list[tuple[int, int]] = []
    for index in sorted(set(indices)):
        if groups and index == groups[-1][1] + 1:
            groups[-1] = (groups[-1][0], index)
        else:
            groups.append((index, index))
    return groups


def cells_of(rect: Rect) -> Iterable[tuple[int, int]]:
    first_row, first_col, last_row, last_col = rect
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            yield row, col
