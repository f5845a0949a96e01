"""Which sheets kpixl owns, and the one way it marks a sheet it generated.

A generated sheet carries the sheet-scoped defined name ``GENERATED_MARK`` referring to its
own A1. Every adapter writes the mark with :func:`mark_reference` and recognises it with
:func:`is_mark`; whether a sheet may be replaced is decided once, by :func:`check_replaceable`.
Pure: no openpyxl, no xlwings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from kpixl.errors import WorkbookError
from kpixl.workbook.contract import GENERATED_MARK

__all__ = [
    "GENERATED_MARK",
    "check_replaceable",
    "existing_sheet",
    "is_mark",
    "mark_reference",
    "new_sheet_index",
]


def mark_reference(sheet: str) -> str:
    """What the mark refers to: the sheet's own A1, ``'Summary'!$A$1``."""
    return "'" + sheet.replace("'", "''") + "'!$A$1"


def is_mark(name: str) -> bool:
    """Whether a defined name is kpixl's mark (``KPIXL_GENERATED``, ``Summary!KPIXL_GENERATED``
    as Excel reports a sheet-scoped name, any case)."""
    return name.rsplit("!", 1)[-1].casefold() == GENERATED_MARK.casefold()


def existing_sheet(sheets: Iterable[str], name: str) -> str | None:
    """The sheet Excel would take as ``name`` (sheet names compare case-insensitively)."""
    return next((sheet for sheet in sheets if sheet.casefold() == name.casefold()), None)


def new_sheet_index(sheets: Iterable[str], after: str | None) -> int | None:
    """Where a new generated sheet goes: right after ``after`` when the book has that sheet
    (``kpixl history`` after Dashboard), else None (last)."""
    sheets = list(sheets)
    found = existing_sheet(sheets, after) if after else None
    return None if found is None else sheets.index(found) + 1


def check_replaceable(
    book: str, sheets: Iterable[str], generated: Collection[str], names: Iterable[str]
) -> None:
    """Refuse, before anything is written, to replace a sheet that kpixl did not make.

    ``sheets`` are the book's sheet names, ``generated`` those carrying the mark, ``names``
    the generated sheets about to be drawn.
    """
    sheets = list(sheets)
    for name in names:
        found = existing_sheet(sheets, name)
        if found is not None and found not in generated:
            raise WorkbookError(
                f"{book}: it already has a sheet named {found!r} that kpixl did not make; "
                "rename or delete that sheet and run kpixl again (kpixl replaces its own "
                f"{name} sheet on every run)."
            )
