"""A plan's computed columns written into one indicator sheet's XML (values, number formats,
label colours, header look and widths), as ``xlsx_render.apply_plan`` writes them through
openpyxl, with everything else in the part kept byte for byte.

A cell keeps its own format; a number format or Excel's quote prefix (text that would read
as a formula) gives it a copy of that format with only that changed. A new computed
column's header takes the format of the table header cell to its left and a width when its
column has none. kpixl's own label rules (``cellIs equal "GREEN"``...) on the column are
replaced; others stay. Writing under a merged cell or into an Excel table is refused,
located; a shared or array formula is refused by ``splice``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr, unescape

from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel

from kpixl.package import columns
from kpixl.package.drawn import FORMULA_LIKE, ILLEGAL
from kpixl.package.looks import label_rule_xml
from kpixl.package.splice import NewCell, SpliceConflict, splice
from kpixl.package.stylesheet import Stylesheet
from kpixl.report.look import label_rules
from kpixl.report.palette import LABEL_COLOURS
from kpixl.workbook.contract import COMPUTED_BY_KEY, normalise
from kpixl.workbook.grid import Block, CellValue, cell_address, column_letter
from kpixl.workbook.parts import MAIN_NS
from kpixl.workbook.plan import CellFormat, ColouredRange
from kpixl.workbook.xlsx_render import HEADER_MIN_WIDTH

__all__ = ["CellFormats", "SheetWork", "write_sheet"]

_AFTER_FORMATS = ("dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup",
                  "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
                  "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
                  "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                  "tableParts", "extLst")  # fmt: skip
"""CT_Worksheet's children after ``conditionalFormatting`` (ECMA-376 Part 1, 18.3.1.99)."""
_QUOTES = {"&quot;": '"', "&apos;": "'", "&#34;": '"'}
_KPIXL_FORMULAS = {f'"{label}"' for label in LABEL_COLOURS}
_DATE_FORMATS = ("yyyy-mm-dd h:mm:ss", "yyyy-mm-dd")


@dataclass
class SheetWork:
    """What the plan writes into one sheet."""

    blocks: list[Block] = field(default_factory=list)
    formats: list[CellFormat] = field(default_factory=list)
    coloured: list[ColouredRange] = field(default_factory=list)


class CellFormats:
    """``cellXfs`` entries derived from existing ones (another number format, a quote prefix)."""

    def __init__(self, sheet: Stylesheet, root: Element, epoch: datetime = WINDOWS_EPOCH) -> None:
        self.sheet = sheet
        self.epoch = epoch
        section = root.find(f"{{{MAIN_NS}}}cellXfs")
        self._xfs = list(section) if section is not None else []
        self._derived: dict[tuple[int, tuple[tuple[str, str], ...]], int] = {}
        self._numfmt: dict[int, str] = {}

    def number_format_id(self, style: int) -> str:
        xf = self._xfs[style] if 0 <= style < len(self._xfs) else None
        return xf.get("numFmtId", "0") if xf is not None else "0"

    def derive(self, style: int, **changes: str) -> int:
        key = (style, tuple(sorted(changes.items())))
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = self.sheet.entry("cellXfs", self._xml(style, changes))
        return found

    def _xml(self, style: int, changes: dict[str, str]) -> str:
        xf = self._xfs[style] if 0 <= style < len(self._xfs) else None
        attrs = {k: v for k, v in (xf.attrib.items() if xf is not None else ()) if "}" not in k}
        attrs.setdefault("numFmtId", "0")
        attrs.setdefault("fontId", "0")
        attrs.setdefault("fillId", "0")
        attrs.setdefault("borderId", "0")
        attrs.update(changes)
        head = "<xf" + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
        inner = ""
        for child in xf if xf is not None else ():
            name = child.tag.rpartition("}")[2]
            if child.tag.startswith(f"{{{MAIN_NS}}}") and name in ("alignment", "protection"):
                own = "".join(
                    f" {k}={quoteattr(v)}" for k, v in child.attrib.items() if "}" not in k
                )
                inner += f"<{name}{own}/>"
        return f"{head}>{inner}</xf>" if inner else f"{head}/>"


def write_sheet(
    xml: bytes,
    work: SheetWork,
    styles: CellFormats,
    where: str,
    tables: Sequence[tuple[str, str]] = (),
) -> bytes:
    """``xml`` with ``work`` written; ``where`` names the sheet in messages, ``tables`` are
    the sheet's Excel tables as (name, ref)."""
    wanted = {(b.row + i, b.col + j) for b in work.blocks for i, row in enumerate(b.values)
              for j in range(len(row))}  # fmt: skip
    headers = {(b.row, b.col + j) for b in work.blocks for j in range(len(b.values[0]))
               if b.values}  # fmt: skip
    lefts = {(b.row, b.col - 1) for b in work.blocks if b.col > 0}
    found = _existing(xml, headers | lefts)
    _refuse_merges(xml, wanted, where)
    _refuse_tables(tables, wanted, where)
    final: dict[tuple[int, int], tuple[CellValue, _Style]] = {}
    widths: dict[int, float] = {}
    for block in work.blocks:
        for i, values in enumerate(block.values):
            for j, value in enumerate(values):
                at = (block.row + i, block.col + j)
                base: int | None = None
                if i == 0:
                    own, filled = found.get(at, (None, False))
                    fresh = not filled and not own
                    if fresh and isinstance(value, str) and normalise(value) in COMPUTED_BY_KEY:
                        left = found.get((block.row, block.col - 1), (None, False))[0]
                        if block.col > 0 and left:
                            base = left
                        widths[at[1]] = max(HEADER_MIN_WIDTH, len(value) + 3.0)
                value, change = _typed(value, styles.epoch)
                final[at] = (value, _Style(styles, base, change))
    for fmt in work.formats:
        at = (fmt.row, fmt.col)
        value, restyle = final.get(at, (_KEEP, _Style(styles, None, None)))
        code = styles.sheet.number_format(fmt.number_format)
        final[at] = (value, restyle.with_format(code))
    cells = [
        NewCell(r, c, None if v is _KEEP else v, s, keep_value=v is _KEEP)
        for (r, c), (v, s) in final.items()
    ]
    xml = splice(xml, cells, where)
    xml = _label_formats(xml, work.coloured, styles.sheet)
    return columns.set_widths(xml, {c: w for c, w in widths.items() if not _has_width(xml, c)})


_KEEP: CellValue = "\x00keep"


class _Style:
    """A computed cell's format from the one it replaces: a fixed base (a new header's),
    then a quote prefix, a date format on a General cell, a number format."""

    __slots__ = ("base", "change", "number", "styles")

    def __init__(
        self, styles: CellFormats, base: int | None, change: str | None, number: int | None = None
    ) -> None:
        self.styles, self.base, self.change, self.number = styles, base, change, number

    def with_format(self, number: int) -> _Style:
        return _Style(self.styles, self.base, self.change, number)

    def __call__(self, old: int | None) -> int | None:
        styles = self.styles
        style = self.base if self.base is not None else old
        if self.change == "quote":
            style = styles.derive(style or 0, quotePrefix="1")
        elif self.change and styles.number_format_id(style or 0) == "0":
            code = styles.sheet.number_format(self.change)
            style = styles.derive(style or 0, numFmtId=str(code), applyNumberFormat="1")
        if self.number is not None:
            style = styles.derive(style or 0, numFmtId=str(self.number), applyNumberFormat="1")
        return style


def _typed(value: CellValue, epoch: datetime) -> tuple[CellValue, str | None]:
    """The value as written and what its format needs: dates as serial numbers with
    openpyxl's default date format on a General cell, formula-like text the quote prefix."""
    if isinstance(value, date):
        return float(to_excel(value, epoch)), _DATE_FORMATS[not isinstance(value, datetime)]
    if isinstance(value, str):
        value = ILLEGAL.sub("", value)
        if value[:1] in FORMULA_LIKE:
            return value, "quote"
    return value, None


def _prefix(xml: bytes) -> bytes:
    root = re.search(rb"<([\w.-]+:)?worksheet\b", xml)
    return (root.group(1) or b"") if root else b""


def _attr(attrs: bytes, name: bytes) -> bytes | None:
    found = re.search(rb"(?<![\w:.-])" + name + rb"""\s*=\s*(["'])(.*?)\1""", attrs, re.S)
    return found.group(2) if found else None


def _existing(
    xml: bytes, positions: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], tuple[int | None, bool]]:
    """(style index, holds a value or formula) of the cells at ``positions`` that exist."""
    wanted: dict[int, set[int]] = {}
    for row, col in positions:
        wanted.setdefault(row, set()).add(col)
    if not wanted:
        return {}
    p = re.escape(_prefix(xml))
    rows = re.compile(rb"<" + p + rb"row\b([^>]*?)(?:/>|>(.*?)</" + p + rb"row>)", re.S)
    cells = re.compile(rb"<" + p + rb"c\b([^>]*?)(?:/>|>(.*?)</" + p + rb"c>)", re.S)
    content = re.compile(rb"<" + p + rb"(?:v|is|f)\b")
    found: dict[tuple[int, int], tuple[int | None, bool]] = {}
    number = -1
    start = xml.find(b"sheetData")
    last = max(wanted)
    for match in rows.finditer(xml, max(start, 0)):
        given = _attr(match.group(1), b"r")
        number = int(given) - 1 if given else number + 1
        if number > last:
            break
        if number not in wanted:
            continue
        col = -1
        for cell in cells.finditer(match.group(2) or b""):
            ref = _attr(cell.group(1), b"r")
            col = _column(ref) if ref else col + 1
            if col in wanted[number]:
                s = _attr(cell.group(1), b"s")
                inner = cell.group(2) or b""
                found[number, col] = (int(s) if s else None, bool(content.search(inner)))
    return found


def _column(ref: bytes) -> int:
    col = 0
    for char in ref.decode("ascii").upper():
        if "A" <= char <= "Z":
            col = col * 26 + ord(char) - 64
        elif char != "$":
            break
    return col - 1


def _row(ref: str) -> int:
    digits = "".join(char for char in ref if char.isdigit())
    return int(digits) - 1 if digits else 0


def bounds(ref: str) -> tuple[int, int, int, int]:
    """``B2:D9`` -> (1, 1, 8, 3), 0-based and inclusive."""
    first, _, last = ref.replace("$", "").partition(":")
    last = last or first
    return _row(first), _column(first.encode()), _row(last), _column(last.encode())


def _refuse_merges(xml: bytes, wanted: set[tuple[int, int]], where: str) -> None:
    p = re.escape(_prefix(xml))
    for match in re.finditer(rb"<" + p + rb"mergeCell\b([^>]*)", xml):
        ref = _attr(match.group(1), b"ref")
        if not ref:
            continue
        r1, c1, r2, c2 = bounds(ref.decode("ascii"))
        for row, col in wanted:
            if r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1):
                raise SpliceConflict(
                    f"{where} cell {cell_address(row, col)} is part of merged cells, where "
                    "kpixl writes its computed columns: unmerge those cells and run again."
                )


def _refuse_tables(
    tables: Sequence[tuple[str, str]], wanted: set[tuple[int, int]], where: str
) -> None:
    for name, ref in tables:
        r1, c1, r2, c2 = bounds(ref)
        for row, col in sorted(wanted):
            if r1 <= row <= r2 and c1 <= col <= c2:
                raise SpliceConflict(
                    f"{where} cell {cell_address(row, col)} is inside the Excel table {name!r} "
                    f"({ref}), where kpixl writes its computed columns: convert the table to "
                    "a range (Table Design > Convert to Range) or move it, and run again."
                )


def _has_width(xml: bytes, col: int) -> bool:
    p = re.escape(_prefix(xml))
    for match in re.finditer(rb"<" + p + rb"col\b([^>]*)", xml):
        low, high = _attr(match.group(1), b"min"), _attr(match.group(1), b"max")
        if low and high and int(low) <= col + 1 <= int(high) and _attr(match.group(1), b"width"):
            return True
    return False


def _restyle(xml: bytes, restyled: dict[tuple[int, int], int | None], where: str) -> bytes:
    return splice(
        xml, [NewCell(r, c, None, s, keep_value=True) for (r, c), s in restyled.items()], where
    )


# --- conditional formats ---------------------------------------------------------------------


def _label_formats(xml: bytes, coloured: Sequence[ColouredRange], sheet: Stylesheet) -> bytes:
    if not coloured:
        return xml
    prefix = _prefix(xml)
    p = re.escape(prefix)
    block = re.compile(
        rb"<"
        + p
        + rb"conditionalFormatting\b([^>]*?)(?:/>|>(.*?)</"
        + p
        + rb"conditionalFormatting>)",
        re.S,
    )
    rule = re.compile(rb"<" + p + rb"cfRule\b([^>]*?)(?:/>|>(.*?)</" + p + rb"cfRule>)", re.S)
    formula = re.compile(rb"<" + p + rb"formula\b[^>]*>(.*?)</" + p + rb"formula>", re.S)

    def is_kpixl(found: re.Match[bytes]) -> bool:
        attrs = found.group(1)
        if _attr(attrs, b"type") != b"cellIs" or _attr(attrs, b"operator") != b"equal":
            return False
        formulas = formula.findall(found.group(2) or b"")
        return (
            len(formulas) == 1 and unescape(formulas[0].decode("utf-8"), _QUOTES) in _KPIXL_FORMULAS
        )

    def covered(sqref: bytes, target: ColouredRange) -> bool:
        ranges = [bounds(ref) for ref in sqref.decode("ascii").split()]
        return bool(ranges) and all(
            c1 == c2 == target.col and r1 <= target.last_row and r2 >= target.first_row
            for r1, c1, r2, c2 in ranges
        )

    for target in coloured:

        def keep(found: re.Match[bytes], target: ColouredRange = target) -> bytes:
            if not covered(_attr(found.group(1), b"sqref") or b"", target):
                return found.group(0)
            inner = found.group(2) or b""
            kept = rule.sub(lambda r: b"" if is_kpixl(r) else r.group(0), inner)
            if not rule.search(kept):
                return b""
            return found.group(0).replace(inner, kept, 1)

        xml = block.sub(keep, xml)
    top = max((int(n) for n in re.findall(rb'priority\s*=\s*"(\d+)"', xml)), default=0)
    added = []
    for target in coloured:
        letter = column_letter(target.col)
        sqref = f"{letter}{target.first_row + 1}:{letter}{target.last_row + 1}"
        rules = []
        for label in label_rules(target.kind):
            top += 1
            dxf = sheet.dxf(label_rule_xml(label))
            text = escape(f'"{label.label}"')
            rules.append(
                f'<cfRule type="cellIs" dxfId="{dxf}" priority="{top}" operator="equal">'
                f"<formula>{text}</formula></cfRule>"
            )
        added.append(
            f'<conditionalFormatting sqref="{sqref}">{"".join(rules)}</conditionalFormatting>'
        )
    element = "".join(added).encode("utf-8")
    if prefix:
        element = re.sub(rb"<(/?)([A-Za-z])", rb"<\1" + prefix + rb"\2", element)
    return _insert(xml, prefix, block, element)


def _insert(xml: bytes, prefix: bytes, block: re.Pattern[bytes], element: bytes) -> bytes:
    """After the sheet's last ``conditionalFormatting``, else before the first element that
    follows it in CT_Worksheet, else before the root's end tag."""
    last: re.Match[bytes] | None = None
    for each in block.finditer(xml):
        last = each
    if last is not None:
        return xml[: last.end()] + element + xml[last.end() :]
    p = re.escape(prefix)
    names = b"|".join(name.encode() for name in _AFTER_FORMATS)
    found = re.search(rb"<(?:" + p + rb"(?:" + names + rb")\b|[\w.-]+:AlternateContent\b)", xml)
    if found is not None:
        return xml[: found.start()] + element + xml[found.start() :]
    end = xml.rindex(b"</" + prefix + b"worksheet>")
    return xml[:end] + element + xml[end:]
