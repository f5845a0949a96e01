"""The port every workbook adapter implements, and the one way a plan reaches a book.

Three adapters: an openpyxl file (``kpixl.workbook.xlsx_render.FileBook``), a live xlwings book
(``kpixl.workbook.xlwings_io.LiveBook``) and an in-memory book (``kpixl.workbook.memory``).
Each reads grids, writes the computed columns of a plan (values, number formats, label
colours), draws a generated sheet from its neutral :class:`~kpixl.report.look.SheetLook`, and
says which sheets carry kpixl's mark. None decides anything: the look is ``kpixl.report.look``,
ownership is ``kpixl.workbook.ownership``.
"""

from __future__ import annotations

from typing import Protocol

from kpixl.report.look import SheetLook, sheet_look
from kpixl.workbook.grid import SheetGrid
from kpixl.workbook.ownership import check_replaceable
from kpixl.workbook.plan import WritePlan

__all__ = ["Book", "apply"]


class Book(Protocol):
    """A workbook kpixl reads and writes, whatever holds it."""

    @property
    def name(self) -> str:
        """The file name the user knows the book by (used in messages)."""
        ...

    def sheet_names(self) -> list[str]:
        """Every sheet, in order (worksheets and chart sheets alike)."""
        ...

    def generated(self) -> frozenset[str]:
        """The sheets carrying kpixl's mark: kpixl made them and may replace them."""
        ...

    def read_grids(self) -> list[SheetGrid]:
        """Every worksheet's values (cached results for formula cells)."""
        ...

    def write_computed(self, plan: WritePlan) -> None:
        """The plan's blocks, number formats and coloured ranges (not its designs)."""
        ...

    def draw(self, look: SheetLook) -> None:
        """Create the generated sheet, or replace kpixl's own one in place, and mark it."""
        ...


def apply(book: Book, plan: WritePlan) -> None:
    """Carry ``plan`` into ``book``: ownership checked first, then columns, then sheets."""
    check_replaceable(
        book.name, book.sheet_names(), book.generated(), [d.name for d in plan.designs]
    )
    book.write_computed(plan)
    for design in plan.designs:
        book.draw(sheet_look(design))
