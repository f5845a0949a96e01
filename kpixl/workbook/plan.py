"""What a calculation writes, as data: the computed columns and the generated sheets.

Adapters carry a ``WritePlan`` to a file (openpyxl) or a live book (xlwings); neither decides
anything about the contents. Rows and columns are 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpixl.report.design import SheetDesign
from kpixl.workbook.grid import Block


@dataclass(frozen=True)
class CellFormat:
    """A number format for one cell of a computed column (``0%``, ``#,##0``...)."""

    sheet: str
    row: int
    col: int
    number_format: str


@dataclass(frozen=True)
class ColouredRange:
    """Cells coloured by conditional formatting on their text (RAG or alert labels)."""

    sheet: str
    first_row: int
    col: int
    last_row: int
    kind: str  # "rag" (GREEN/AMBER/RED) or "alert" (Yes/Above/Below)


@dataclass(frozen=True)
class WritePlan:
    blocks: tuple[Block, ...] = ()
    formats: tuple[CellFormat, ...] = ()
    coloured: tuple[ColouredRange, ...] = ()
    designs: tuple[SheetDesign, ...] = field(default=())
