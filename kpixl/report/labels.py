"""Shared pieces of the generated sheets: labels, number formats, text heights, a cell builder.

Pure functions over core models; nothing here knows openpyxl or xlwings.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kpixl.core.models import (
    NOT_AVAILABLE,
    Alert,
    Assurance,
    Direction,
    Evaluation,
    Indicator,
    Rag,
    Result,
    Variation,
)
from kpixl.report import look
from kpixl.report.design import STYLES, DesignCell, SheetDesign
from kpixl.report.pages import A4_LANDSCAPE, Block, Paper, paginate
from kpixl.report.palette import direction_text
from kpixl.workbook.grid import CellValue, cell_address

LINE_POINTS = 13.0
"""Height of one line of 10 pt Arial, in points (Excel's own default is 12.75)."""
HEADING_POINTS = 22.0
"""Height of a row holding a section heading (13 pt bold, set on the row's foot)."""
CHARS_PER_WIDTH = 1.3
"""Average characters of prose per unit of column width (the width of a ``0``)."""

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def label(value: Rag | Alert | Variation | Assurance | None) -> str:
    """``GREEN``/``AMBER``/``RED``, ``Yes``/``Above``/``Below`` or an SPC label; ``N/A`` when
    there is none."""
    return NOT_AVAILABLE if value is None else str(value)


def direction_label(direction: Direction | None) -> str:
    """``▲ Improving`` (the arrow and the word, SPEC 8.1); ``N/A`` without a direction."""
    return NOT_AVAILABLE if direction is None else direction_text(direction)


def number_format(indicator: Indicator) -> str:
    """Excel number format for the indicator's figures (the rule lives in ``look``)."""
    return look.number_format(indicator.unit, indicator.decimals)


def area_title(name: str) -> str:
    """How a service area is named in a heading (indicators without one are grouped)."""
    return name or "Other indicators"


def produced_by(text: str) -> str:
    return f"Produced by {text}" if text else ""


def paragraphs(text: str) -> list[str]:
    """Commentary split at blank lines, each paragraph stripped; empty ones dropped."""
    return [part.strip() for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def line_count(text: str, width_chars: float) -> int:
    """Lines ``text`` wraps to in a cell ``width_chars`` wide (word wrap, 11 pt proportional)."""
    per_line = max(int(width_chars * CHARS_PER_WIDTH), 1)
    lines = 0
    for line in str(text).splitlines() or [""]:
        lines += max(len(textwrap.wrap(line, per_line, break_long_words=True)), 1)
    return lines


def text_height(text: str, width_chars: float, line_points: float = LINE_POINTS) -> float:
    """Row height in points that shows all of ``text`` wrapped in that width."""
    return math.ceil(line_count(text, width_chars) * line_points + 3.0)


def title_height(title: str, width_chars: float) -> float:
    """Row height for the report title (16 pt bold: about 1.9 times as wide as body text,
    measured on Arial's metrics; erring wide gives a spare line, never an overlap)."""
    return 21.0 * line_count(title, width_chars / 1.9) + 6.0


def groups(evaluation: Evaluation) -> list[tuple[str, list[tuple[Indicator, Result]]]]:
    """Service areas in report order with their (indicator, result) pairs; empty areas left out."""
    pairs = evaluation.pairs()
    found = []
    for name in evaluation.report.area_names():
        members = [pair for pair in pairs if pair[0].service_area == name]
        if members:
            found.append((name, members))
    return found


def rag_counts(results: Iterable[Result], ytd: bool = False) -> dict[str, int]:
    """How many results carry each label, ``GREEN`` to ``N/A``, in that order."""
    counts = dict.fromkeys((*(str(r) for r in Rag), NOT_AVAILABLE), 0)
    for result in results:
        counts[label(result.ytd_rag if ytd else result.latest_rag)] += 1
    return counts


@dataclass
class SheetBuilder:
    """Collects cells, merges and row heights; refuses two cells or merges in one place."""

    name: str
    widths: dict[int, float] = field(default_factory=dict)
    cells: dict[tuple[int, int], DesignCell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    """Rows that belong together on paper (see ``kpixl.report.pages``)."""
    _covered: set[tuple[int, int]] = field(default_factory=set, init=False, repr=False)
    """Every cell a merge covers, so checking a place costs the same however many merges."""

    def put(
        self,
        row: int,
        col: int,
        value: CellValue,
        style: str = "text",
        number_format: str | None = None,
    ) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}")
        self._check_free(row, col)
        self.cells[row, col] = DesignCell(row, col, value, style, number_format)

    def span(self, row: int, first_col: int, last_col: int, value: CellValue, style: str) -> None:
        """One value across ``first_col..last_col`` of a row (a merge when wider than one)."""
        for col in range(first_col + 1, last_col + 1):
            self._check_free(row, col)
        self.put(row, first_col, value, style)
        if style == "heading":  # room above a section heading, wherever the page starts
            self.heights[row] = max(self.heights.get(row, 0.0), HEADING_POINTS)
        if last_col > first_col:
            self.merges.append((row, first_col, row, last_col))
            self._covered.update((row, col) for col in range(first_col, last_col + 1))

    def wrapped(
        self, row: int, first_col: int, last_col: int, text: str, style: str = "wrap"
    ) -> None:
        """Wrapped text across columns, the row made tall enough to show all of it."""
        self.span(row, first_col, last_col, text, style)
        self.fit(row, text, self.width(first_col, last_col))

    def fit(self, row: int, text: str, width_chars: float) -> None:
        """Make ``row`` at least tall enough for ``text`` wrapped in ``width_chars``."""
        height = text_height(text, width_chars)
        if height > LINE_POINTS + 3.0:
            self.heights[row] = max(self.heights.get(row, 0.0), height)

    def width(self, first_col: int, last_col: int) -> float:
        return sum(self.widths.get(col, 8.43) for col in range(first_col, last_col + 1))

    def keep_together(
        self,
        first: int,
        last: int,
        keep: int = 1,
        heading_rows: tuple[int, int] | None = None,
        repeat_until: int = -1,
    ) -> None:
        """Declare rows ``first..last`` one block on paper (see :class:`Block`)."""
        if last >= first:
            self.blocks.append(Block(first, last, keep, heading_rows, repeat_until))

    def build(self, paper: Paper = A4_LANDSCAPE, **setup: Any) -> SheetDesign:
        """The design, with page breaks placed so blocks stay together on ``paper``."""
        cells = tuple(sorted(self.cells.values(), key=lambda c: (c.row, c.col)))
        design = SheetDesign(
            name=self.name,
            cells=cells,
            merges=tuple(self.merges),
            column_widths=dict(self.widths),
            row_heights=dict(sorted(self.heights.items())),
            **setup,
        )
        return paginate(design, sorted(self.blocks, key=lambda b: b.first), paper)

    def _check_free(self, row: int, col: int) -> None:
        if (row, col) in self.cells or (row, col) in self._covered:
            raise ValueError(f"{self.name}!{cell_address(row, col)} is already used")
