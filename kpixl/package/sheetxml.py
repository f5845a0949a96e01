"""One worksheet's XML streamed into a sparse ``SheetGrid`` (and the shared-string table).

Only cells holding a value cost anything: the grid has rows up to the last row with a value,
each row a list up to its last value, and empty rows share one empty tuple. A cell at
XFD1048576 with a comment, a format or a formula never calculated adds nothing (the formula
is listed in ``formulas_without_value``).

What openpyxl does and the grid keeps (so both readers give the same grid): a cell's own
reference wins over its row's; a later cell at the same place replaces an earlier one;
merged cells keep only their top-left value; text is the plain text of rich runs
(phonetic runs skipped, ``x005F_`` removed as openpyxl does). What openpyxl does and this
reader does not: a hyperlink on an empty cell does not become its value (Excel shows it
empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from openpyxl.utils.cell import column_index_from_string

from kpixl.package import values, xmlstream
from kpixl.workbook.grid import CellValue
from kpixl.workbook.parts import MAIN_NS

__all__ = ["SheetValues", "read_shared_strings", "read_sheet"]

_DIGITS = "0123456789"
_NO_CELLS: tuple[CellValue, ...] = ()


def join_text(direct: str | None, runs: list[str]) -> str:
    """The text of an ``<si>`` or ``<is>``: its own ``<t>`` when not empty, else its runs."""
    if direct:
        return direct.replace("x005F_", "")
    return "".join(run.replace("x005F_", "") for run in runs)


class SheetValues:
    """The values found in one sheet's XML: filled in by ``read_sheet``'s expat handlers."""

    def __init__(self, shared: list[str], kinds: values.NumberKinds, start: datetime) -> None:
        self.shared, self.kinds, self.epoch = shared, kinds, start
        self.cells: dict[int, list[CellValue]] = {}
        self.pending: set[tuple[int, int]] = set()
        self.merges: list[str] = []
        self.reference = ""
        """The cell being read, for messages."""

    # --- the result ---------------------------------------------------------------------

    def rows(self) -> list[list[CellValue] | tuple[CellValue, ...]]:
        """Rows from the first up to the last with a value; trailing empty cells trimmed."""
        self._unmerge()
        last = -1
        for row, cells in self.cells.items():
            while cells and cells[-1] is None:
                cells.pop()
            if cells and row > last:
                last = row
        return [self.cells.get(row) or _NO_CELLS for row in range(last + 1)]

    def _unmerge(self) -> None:
        """Merged cells other than the top-left one hold nothing (openpyxl clears them)."""
        for ref in self.merges:
            first, _, final = ref.partition(":")
            if not final:
                continue
            top, left = _position(first)
            bottom, right = _position(final)
            spanned = range(top, bottom + 1)
            rows = spanned if len(spanned) < len(self.cells) else sorted(self.cells)
            for row in rows:
                cells = self.cells.get(row)
                if cells is None or row not in spanned:
                    continue
                for col in range(left, min(right + 1, len(cells))):
                    if (row, col) != (top, left):
                        cells[col] = None
            if self.pending:
                self.pending = {
                    (r, c)
                    for r, c in self.pending
                    if (r, c) == (top, left) or not (top <= r <= bottom and left <= c <= right)
                }


def _position(ref: str) -> tuple[int, int]:
    letters = ref.rstrip(_DIGITS)
    return int(ref[len(letters) :]) - 1, column_index_from_string(letters.strip("$")) - 1


def read_sheet(
    chunks: Iterable[bytes],
    found: SheetValues,
    book: str,
    part: str,
) -> SheetValues:
    """Stream one worksheet part into ``found`` and return it."""
    parser = xmlstream.parser()

    def first(name: str, attrs: dict[str, str]) -> None:
        """The root element: learn the prefix of the SpreadsheetML namespace, if any."""
        prefix = next((k[6:] + ":" for k, v in attrs.items() if k.startswith("xmlns:")
                       and v == MAIN_NS), "")  # fmt: skip
        if attrs.get("xmlns") == MAIN_NS:
            prefix = ""
        start, end, text = _handlers(found, prefix)
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text

    parser.StartElementHandler = first
    xmlstream.feed(parser, chunks, book, part)
    return found


_Start = Callable[[str, dict[str, str]], None]


def _handlers(
    found: SheetValues, prefix: str
) -> tuple[_Start, Callable[[str], None], Callable[[str], None]]:
    """expat handlers filling ``found``; written as closures over locals, the fastest form
    Python offers for the ~5 calls each cell costs."""
    C, V, F, ROW = (prefix + tag for tag in ("c", "v", "f", "row"))  # noqa: N806
    IS, T, R, RPH = (prefix + tag for tag in ("is", "t", "r", "rPh"))  # noqa: N806
    MERGE = prefix + "mergeCell"  # noqa: N806
    cells, pending, shared, epoch = found.cells, found.pending, found.shared, found.epoch
    kinds = found.kinds.kinds
    style_kinds: dict[str | None, int] = {None: kinds[0] if kinds else values.NUMBER}
    columns: dict[str, int] = {}
    row_number = col_number = 0
    ref: str | None = None
    kind = "n"
    style_kind = values.NUMBER
    formula = collect = has_v = False
    gathered = ""
    inline: str | None = None
    in_is = in_run = in_phonetic = False
    direct: str | None = None
    runs: list[str] = []
    last_row, last_cells = -1, []

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal ref, kind, style_kind, formula, has_v, inline, collect, gathered
        nonlocal row_number, col_number, in_is, in_run, in_phonetic, direct, runs
        if name == C:
            ref = attrs.get("r")
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            found_kind = style_kinds.get(s)
            if found_kind is None:
                found.reference = ref or f"in row {row_number}"
                index = int(s) if s else 0
                found_kind = kinds[index] if 0 <= index < len(kinds) else values.NUMBER
                style_kinds[s] = found_kind
            style_kind = found_kind
            formula = has_v = False
            inline = None
        elif name == V:
            if not in_is:
                gathered = ""
                collect = has_v = True
        elif name == ROW:
            number = attrs.get("r")
            row_number = int(float(number)) if number else row_number + 1
            col_number = 0
        elif name == IS:
            in_is = True
            direct, runs = None, []
        elif name == T:
            if in_is and not in_phonetic:
                gathered = ""
                collect = True
        elif name == F:
            formula = True
        elif name == R:
            in_run = in_is
        elif name == RPH:
            in_phonetic = in_is
        elif name == MERGE:
            found.merges.append(attrs.get("ref", ""))

    def text(data: str) -> None:
        nonlocal gathered
        if collect:
            gathered += data

    def end(name: str) -> None:
        nonlocal collect, col_number, last_row, last_cells, in_is, in_run, in_phonetic
        nonlocal inline, direct
        if name == V:
            collect = False
            return
        if name != C:
            if name == T and collect:
                collect = False
                if in_run:
                    runs.append(gathered)
                else:
                    direct = gathered
            elif name == IS:
                in_is = False
                inline = join_text(direct, runs)
            elif name == R:
                in_run = False
            elif name == RPH:
                in_phonetic = False
            return
        if ref:
            letters = ref.rstrip(_DIGITS)
            col = columns.get(letters)
            if col is None:
                found.reference = ref
                col = columns[letters] = column_index_from_string(letters.strip("$")) - 1
            row = int(ref[len(letters) :]) - 1
            col_number = col + 1
        else:
            col_number += 1
            row, col = row_number - 1, col_number - 1
        value: CellValue = None
        try:
            if formula:
                if has_v:
                    value = values.cached_value(kind, gathered, style_kind, epoch)
            elif kind == "inlineStr":
                value = inline
            elif not has_v or not gathered:
                pass
            elif kind == "n" and not style_kind:
                if "." in gathered or "e" in gathered or "E" in gathered:
                    value = float(gathered)
                else:
                    value = int(gathered)
            else:
                value = values.cell_value(kind, gathered, style_kind, epoch, shared)
        except (ValueError, IndexError, OverflowError):
            if not formula:
                found.reference = ref or f"in row {row_number}"
                raise
            value = None  # an unreadable saved result: as if none was saved
        if formula and value is None:
            pending.add((row, col))
        if row != last_row:
            found_cells = cells.get(row)
            if found_cells is None:
                if value is None:
                    return
                found_cells = cells[row] = []
            last_row, last_cells = row, found_cells
        size = len(last_cells)
        if col < size:
            last_cells[col] = value
        elif value is not None:
            if col > size:
                last_cells.extend([None] * (col - size))
            last_cells.append(value)

    return start, end, text


def read_shared_strings(chunks: Iterable[bytes], book: str, part: str) -> list[str]:
    """The shared-string table: each ``<si>``'s plain text, in order."""
    strings: list[str] = []
    state = {"t": False, "r": False, "rPh": False}
    collected: list[str] = []
    direct: list[str | None] = [None]
    runs: list[str] = []

    def local(name: str) -> str:
        return name.rpartition(":")[2]

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "t":
            state["t"] = not state["rPh"]
            collected.clear()
        elif tag in ("r", "rPh"):
            state[tag] = True
        elif tag == "si":
            direct[0] = None
            runs.clear()

    def text(data: str) -> None:
        if state["t"]:
            collected.append(data)

    def end(name: str) -> None:
        tag = local(name)
        if tag == "t" and state["t"]:
            state["t"] = False
            if state["r"]:
                runs.append("".join(collected))
            else:
                direct[0] = "".join(collected)
        elif tag in ("r", "rPh"):
            state[tag] = False
        elif tag == "si":
            strings.append(join_text(direct[0], runs))

    parser = xmlstream.parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    xmlstream.feed(parser, chunks, book, part)
    return strings
