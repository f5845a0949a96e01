"""Computed cells spliced into a worksheet's XML, everything else kept byte for byte.

``splice(xml, cells)`` is a pure function over the part's bytes (UTF-8, as Excel writes it):
a new cell replaces the cell at its place or is merged into its row in column order; a
missing row is created in row order; ``spans`` (a hint) is dropped on every row touched;
``<dimension>`` is widened to cover the new cells. Rows without an ``r``, and cells without
one in a row that changes, get one, so that nothing inserted before them shifts them.
Untouched rows, cells and every element outside ``<sheetData>`` are copied unchanged, so
CT_Worksheet's child order (ECMA-376 Part 1, 18.3.1.99) stays as the source had it.

Text is written as an inline string (the shared-string table is never renumbered), numbers
as openpyxl writes them (``"%.16g"``), so the two writers agree cell for cell. A cell with
no value writes only its style (``<c r="B2" s="3"/>``): that is how a computed result is
cleared. Overwriting a shared-formula master or an array or data-table formula is a conflict
(other cells depend on it) and raises ``SpliceConflict`` naming the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from kpixl.errors import WorkbookError
from kpixl.workbook.grid import CellValue, cell_address

__all__ = ["NewCell", "SpliceConflict", "splice"]

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR = r"""(?<![\w:.-]){name}\s*=\s*(["'])(.*?)\1"""


class SpliceConflict(WorkbookError):
    """A cell kpixl must write holds something other cells depend on."""


@dataclass(frozen=True)
class NewCell:
    """One cell to write: 0-based row and column, its value, its ``cellXfs`` index (None:
    keep the style of the cell it replaces, or none)."""

    row: int
    col: int
    value: CellValue
    style: int | None | Callable[[int | None], int | None] = None
    """A callable gets the replaced cell's style (None: no cell or no style) and gives the
    new one: how a format is derived from the cell's own without reading it first."""
    keep_value: bool = False
    """Only restyle the cell that is there (a number format on a cell kpixl does not fill)."""


def splice(xml: bytes, cells: Iterable[NewCell], where: str = "the sheet") -> bytes:
    """``xml`` with ``cells`` written into its ``<sheetData>``; ``where`` names the sheet in
    messages."""
    wanted: dict[int, dict[int, NewCell]] = {}
    for cell in cells:
        wanted.setdefault(cell.row, {})[cell.col] = cell
    if not wanted:
        return xml
    grammar = _Grammar(xml)
    opening = grammar.sheet_data.search(xml)
    if opening is None:
        raise WorkbookError(f"{where} has no <sheetData>: it is not a worksheet.")
    if opening.group(1) == b"/>":
        body_start = body_end = opening.end()
        head = xml[: opening.start()] + opening.group(0)[:-2] + b">"
        tail = b"</" + grammar.prefix + b"sheetData>" + xml[opening.end() :]
    else:
        body_start = opening.end()
        body_end = xml.index(b"</" + grammar.prefix + b"sheetData>", body_start)
        head, tail = xml[:body_start], xml[body_end:]
    body = _rows(grammar, xml[body_start:body_end], wanted, where)
    return grammar.widen_dimension(head, wanted) + body + tail


class _Grammar:
    """The patterns of one part, with the SpreadsheetML prefix its root element uses."""

    def __init__(self, xml: bytes) -> None:
        root = re.search(rb"<([\w.-]+:)?worksheet\b", xml)
        self.prefix = (root.group(1) or b"") if root else b""
        p = re.escape(self.prefix)
        self.sheet_data = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/>|>)")
        self.row = re.compile(rb"<" + p + rb"row\b([^>]*?)(?:/>|>(.*?)</" + p + rb"row>)", re.S)
        self.cell = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
        self.formula = re.compile(rb"<" + p + rb"f\b([^>]*)>?")
        self.dimension = re.compile(rb"<" + p + rb"dimension\b[^>]*?/?>")

    def widen_dimension(self, head: bytes, wanted: dict[int, dict[int, NewCell]]) -> bytes:
        found = self.dimension.search(head)
        if found is None:
            return head
        tag = found.group(0)
        ref = _attribute(tag, "ref")
        if ref is None:
            return head
        top, left, bottom, right = _bounds(ref.decode("ascii"))
        top, bottom = min(top, min(wanted)), max(bottom, max(wanted))
        cols = [col for row in wanted.values() for col in row]
        left, right = min(left, min(cols)), max(right, max(cols))
        widened = f"{cell_address(top, left)}:{cell_address(bottom, right)}"
        if (top, left) == (bottom, right):
            widened = cell_address(top, left)
        return head[: found.start()] + _set_attribute(tag, "ref", widened) + head[found.end() :]


def _rows(
    grammar: _Grammar, body: bytes, wanted: dict[int, dict[int, NewCell]], where: str
) -> bytes:
    pending = sorted(wanted, reverse=True)  # next row to write last: popped cheaply
    out: list[bytes] = []
    at = 0
    number = -1
    for match in grammar.row.finditer(body):
        out.append(body[at : match.start()])
        at = match.end()
        given = _attribute(match.group(1), "r")
        number = int(given) - 1 if given else number + 1
        while pending and pending[-1] < number:
            row = pending.pop()
            out.append(_new_row(grammar, row, wanted[row]))
        if pending and pending[-1] == number:
            pending.pop()
            out.append(_changed_row(grammar, match, number, wanted[number], where))
        elif given is None:
            out.append(_with_reference(match.group(0), str(number + 1)))
        else:
            out.append(match.group(0))
    out.append(body[at:])
    out.extend(_new_row(grammar, row, wanted[row]) for row in reversed(pending))
    return b"".join(out)


def _new_row(grammar: _Grammar, row: int, cells: dict[int, NewCell]) -> bytes:
    p = grammar.prefix
    written = b"".join(_cell_xml(p, cells[col], None) for col in sorted(cells))
    return b"<" + p + b'row r="' + str(row + 1).encode() + b'">' + written + b"</" + p + b"row>"


def _changed_row(
    grammar: _Grammar, match: re.Match[bytes], row: int, cells: dict[int, NewCell], where: str
) -> bytes:
    p = grammar.prefix
    attrs = _drop_attribute(match.group(1), "spans")
    if _attribute(attrs, "r") is None:
        attrs = b' r="' + str(row + 1).encode() + b'"' + attrs
    start, end = b"<" + p + b"row" + attrs + b">", b"</" + p + b"row>"
    inner = match.group(2) or b""
    if _all_after(grammar, inner, min(cells)):  # the usual case: columns added on the right
        added = b"".join(_cell_xml(p, cells[col], None) for col in sorted(cells))
        return start + inner + added + end
    existing: dict[int, bytes] = {}
    col = -1
    for found in grammar.cell.finditer(inner):
        ref = _attribute(found.group(1), "r")
        col = _column(ref.decode("ascii")) if ref else col + 1
        whole = found.group(0)
        existing[col] = whole if ref else _with_reference(whole, cell_address(row, col))
    merged: list[bytes] = []
    for col in sorted(existing.keys() | cells.keys()):
        new = cells.get(col)
        old = existing.get(col)
        if new is None:
            merged.append(old or b"")
            continue
        if new.keep_value and old is not None:
            merged.append(_restyled(old, new.style))
            continue
        if old is not None:
            _refuse_dependents(grammar, old, where, cell_address(row, col))
        merged.append(_cell_xml(p, new, old))
    return start + b"".join(merged) + end


def _all_after(grammar: _Grammar, inner: bytes, first: int) -> bool:
    """Whether the row's last cell has a reference left of column ``first`` (so new cells
    from there on are simply appended: nothing before them moves)."""
    opening = b"<" + grammar.prefix + b"c"
    at = len(inner)
    while True:
        at = inner.rfind(opening, 0, at)
        if at < 0:
            return not inner.strip()
        follows = inner[at + len(opening) : at + len(opening) + 1]
        if follows in (b" ", b"\t", b"\n", b"\r", b">", b"/"):
            break
    tag = inner[at : inner.find(b">", at)]
    ref = _attribute(tag, "r")
    return ref is not None and _column(ref.decode("ascii")) < first


def _old_style(old: bytes | None) -> int | None:
    if old is None:
        return None
    kept = _attribute(old.partition(b">")[0], "s")
    return int(kept) if kept else None


def _resolved(
    style: int | None | Callable[[int | None], int | None], old: bytes | None
) -> int | None:
    if callable(style):
        return style(_old_style(old))
    return _old_style(old) if style is None else style


def _restyled(old: bytes, given: int | None | Callable[[int | None], int | None]) -> bytes:
    """``old`` with its ``s`` set to ``style`` (or dropped), its content kept."""
    style = _resolved(given, old)
    head, sep, rest = old.partition(b">")
    closed = head.endswith(b"/")
    attrs = _drop_attribute(head[:-1] if closed else head, "s")
    if style:
        attrs += b' s="' + str(style).encode() + b'"'
    return attrs + (b"/" if closed else b"") + sep + rest


def _refuse_dependents(grammar: _Grammar, old: bytes, where: str, address: str) -> None:
    formula = grammar.formula.search(old)
    if formula is None:
        return
    kind = _attribute(formula.group(1), "t")
    if kind == b"shared" and _attribute(formula.group(1), "ref") is not None:
        what = "a shared formula"
    elif kind == b"array":
        what = "an array formula"
    elif kind == b"dataTable":
        what = "a data table"
    else:
        return
    raise SpliceConflict(
        f"{where}: cell {address} holds {what} that other cells use, where kpixl must "
        "write its results; move the formula or the table elsewhere and run kpixl again."
    )


def _cell_xml(p: bytes, cell: NewCell, old: bytes | None) -> bytes:
    """``<c>`` for one new cell, as openpyxl writes it (r, s, t; inline strings)."""
    style = _resolved(cell.style, old)
    head = b"<" + p + b'c r="' + cell_address(cell.row, cell.col).encode() + b'"'
    if style is not None:  # s="0" kept as the replaced cell had it
        head += b' s="' + str(style).encode() + b'"'
    value = cell.value
    if value is None:
        return head + b"/>"
    if isinstance(value, bool):
        return (
            head
            + b' t="b"><'
            + p
            + b"v>"
            + (b"1" if value else b"0")
            + b"</"
            + p
            + b"v></"
            + p
            + b"c>"
        )
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"cell {cell_address(cell.row, cell.col)}: {value} is not a number")
        text = f"{float(value):.16g}".encode()  # openpyxl's "%.16g"
        return head + b' t="n"><' + p + b"v>" + text + b"</" + p + b"v></" + p + b"c>"
    if isinstance(value, str):
        if _ILLEGAL.search(value):
            raise ValueError(f"cell {cell_address(cell.row, cell.col)}: control characters")
        space = b' xml:space="preserve"' if value != value.strip() else b""
        t = b"<" + p + b"t" + space + b">" + escape(value).encode("utf-8") + b"</" + p + b"t>"
        return head + b' t="inlineStr"><' + p + b"is>" + t + b"</" + p + b"is></" + p + b"c>"
    raise TypeError(f"cell {cell_address(cell.row, cell.col)}: kpixl writes no {type(value)}")


# --- attributes and references -------------------------------------------------------------


@cache
def _pattern(name: str, leading_space: bool = False) -> re.Pattern[bytes]:
    return re.compile(
        (r"\s+" if leading_space else "").encode() + _ATTR.format(name=name).encode(), re.S
    )


def _attribute(attrs: bytes, name: str) -> bytes | None:
    found = _pattern(name).search(attrs)
    return found.group(2) if found else None


def _drop_attribute(attrs: bytes, name: str) -> bytes:
    return _pattern(name, True).sub(b"", attrs)


def _set_attribute(tag: bytes, name: str, value: str) -> bytes:
    pattern = re.compile(_ATTR.format(name=name).encode(), re.S)
    return pattern.sub(lambda m: name.encode() + b'="' + value.encode() + b'"', tag, count=1)


def _with_reference(element: bytes, ref: str) -> bytes:
    """``<row ...>`` / ``<c ...>`` with ``r="ref"`` added right after the tag name."""
    name = re.match(rb"<[\w.:-]+", element)
    assert name is not None
    cut = name.end()
    return element[:cut] + b' r="' + ref.encode() + b'"' + element[cut:]


def _column(ref: str) -> int:
    col = 0
    for char in ref.upper():
        if "A" <= char <= "Z":
            col = col * 26 + ord(char) - 64
        elif char != "$":
            break
    return col - 1


def _bounds(ref: str) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    last = last or first
    return _row_of(first), _column(first), _row_of(last), _column(last)


def _row_of(ref: str) -> int:
    digits = "".join(char for char in ref if char.isdigit())
    return int(digits) - 1 if digits else 0
