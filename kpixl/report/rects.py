"""Cells covered by few rectangles: the unit every adapter styles and writes in.

A rectangle is ``(first_row, first_col, last_row, last_col)``, 0-based and inclusive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Iterable, Sequence

Rect = tuple[int, int, int, int]


def rectangles(
    cells: Iterable[tuple[int, int]], free: Container[tuple[int, int]] = ()
) -> list[Rect]:
    """Cover ``cells`` with few rectangles: runs along each row, stacked when equal.

    ``free`` cells are ones the property does not matter for (a number format on a text cell,
    a font on an empty one): a run may bridge a gap of them in its row, and a rectangle may
    grow down through a row whose cells under it are all free, so fewer calls cover the same
    cells, each once. A rectangle never ends on a row holding none of ``cells``.
    """
    by_row: defaultdict[int, set[int]] = defaultdict(set)
    for row, col in cells:
        by_row[row].add(col)
    if not by_row:
        return []
    done: list[Rect] = []
    open_: dict[tuple[int, int], list[int]] = {}  # (first, last) -> [top, last row with a cell]
    for row in range(min(by_row), max(by_row) + 1):
        wanted = by_row.get(row, set())
        runs = _runs(row, sorted(wanted), free)
        for (first, last), rect in list(open_.items()):
            if (first, last) in runs:
                rect[1] = row
            elif not all(c not in wanted and (row, c) in free for c in range(first, last + 1)):
                done.append((rect[0], first, rect[1], last))
                del open_[first, last]
        for first, last in runs:
            open_.setdefault((first, last), [row, row])
    done += [(top, first, bottom, last) for (first, last), (top, bottom) in open_.items()]
    return sorted(done)


def _runs(row: int, cols: Sequence[int], free: Container[tuple[int, int]]) -> list[tuple[int, int]]:
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
