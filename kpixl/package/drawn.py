"""A generated sheet (Summary, Dashboard) written as worksheet XML from its neutral look.

The package writer's counterpart of ``xlsx_render.draw``: the same cells, styles, merges,
label rules, widths, heights and page setup, written in CT_Worksheet order (ECMA-376 Part 1,
18.3.1.99) as openpyxl would write them, so both writers' files read back alike. Print area,
print titles and kpixl's mark are sheet-scoped defined names, returned for ``workbook.xml``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils.datetime import WINDOWS_EPOCH, to_excel

from kpixl.package.looks import Styles, label_rule_xml
from kpixl.report import rects
from kpixl.report.look import GENERAL, PageSetup, SheetLook, Style, footer_codes, label_rules
from kpixl.workbook import ownership
from kpixl.workbook.contract import GENERATED_MARK
from kpixl.workbook.grid import CellValue, cell_address, column_letter

__all__ = ["Drawn", "cell_xml", "draw_sheet", "sheet_reference"]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""What openpyxl strips from text (its ILLEGAL_CHARACTERS_RE)."""
FORMULA_LIKE = ("=", "+", "-", "@")
_DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
_DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Drawn:
    """A generated sheet's part and the defined names scoped to it (name, reference)."""

    xml: bytes
    names: tuple[tuple[str, str], ...]


def sheet_reference(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def cell_xml(
    row: int, col: int, value: CellValue, style: int, epoch: datetime = WINDOWS_EPOCH
) -> str:
    """One ``<c>`` as openpyxl writes it (inline strings, ``%.16g`` numbers, dates as serial
    numbers from the workbook's ``epoch``)."""
    head = f'<c r="{cell_address(row, col)}"' + (f' s="{style}"' if style else "")
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return head + "/>"
    if isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime | date):
        return f'{head} t="n"><v>{float(to_excel(value, epoch)):.16g}</v></c>'
    if isinstance(value, int | float):
        return f'{head} t="n"><v>{float(value):.16g}</v></c>'
    text = ILLEGAL.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{head} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def value_style(style: Style | None, value: CellValue) -> tuple[Style | None, bool]:
    """The style a value is written with (dates get openpyxl's default date format) and
    whether text needs Excel's quote prefix (it would otherwise read as a formula)."""
    if isinstance(value, date) and (style is None or style.number_format == GENERAL):
        code = _DATETIME_FORMAT if isinstance(value, datetime) else _DATE_FORMAT
        style = (style or Style()).with_number_format(code)
    quote = isinstance(value, str) and ILLEGAL.sub("", value)[:1] in FORMULA_LIKE
    return style, quote


def draw_sheet(look: SheetLook, styles: Styles, code_name: str | None = None) -> Drawn:
    """The worksheet part for ``look``, its styles added to ``styles``."""
    rows, cols = look.size
    body = "".join(_rows(look, styles))
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{R_NS}">',
        _sheet_pr(look.page, code_name),
        f'<dimension ref="{_ref((0, 0, max(rows - 1, 0), max(cols - 1, 0)))}"/>',
        '<sheetViews><sheetView workbookViewId="0"'
        + ("" if look.page.gridlines else ' showGridLines="0"')
        + "/></sheetViews>",
        '<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
    ]
    if look.column_widths:
        out.append(
            "<cols>"
            + "".join(
                f'<col min="{c + 1}" max="{c + 1}" width="{float(w):.16g}" customWidth="1"/>'
                for c, w in sorted(look.column_widths.items())
            )
            + "</cols>"
        )
    out.append(f"<sheetData>{body}</sheetData>" if body else "<sheetData/>")
    if look.merges:
        refs = "".join(f'<mergeCell ref="{_ref(m)}"/>' for m in look.merges)
        out.append(f'<mergeCells count="{len(look.merges)}">{refs}</mergeCells>')
    out.extend(_label_formats(look, styles))
    out.extend(_page(look.page))
    out.append("</worksheet>")
    return Drawn("".join(out).encode("utf-8"), _names(look))


def _ref(rect: rects.Rect) -> str:
    first, last = cell_address(rect[0], rect[1]), cell_address(rect[2], rect[3])
    return first if first == last else f"{first}:{last}"


def _sheet_pr(page: PageSetup, code_name: str | None) -> str:
    inner = f'<tabColor rgb="00{page.tab_colour.upper()}"/>' if page.tab_colour else ""
    if page.fit_to_width:
        inner += '<pageSetUpPr fitToPage="1"/>'
    attrs = f" codeName={quoteattr(code_name)}" if code_name else ""
    return f"<sheetPr{attrs}>{inner}</sheetPr>" if inner or attrs else ""


def _rows(look: SheetLook, styles: Styles) -> Iterator[str]:
    covered: dict[tuple[int, int], dict[str, object]] = {}
    for merge in look.merges:
        edges = _edges(look, merge)
        for cell in rects.cells_of(merge):
            if cell != (merge[0], merge[1]):
                covered[cell] = edges.get(cell, {})
    rows, _ = look.size
    last_row = max([rows - 1, *look.row_heights])
    for r in range(last_row + 1):
        cells = []
        values = look.values[r] if r < rows else ()
        for c, value in enumerate(values):
            if (r, c) in covered:
                sides = covered[r, c]
                if sides:
                    cells.append(cell_xml(r, c, None, styles.border_only(sides)))  # type: ignore[arg-type]
                continue
            style = look.cell_styles.get((r, c))
            if value is None and style is None:
                continue
            style, quote = value_style(style, value)
            index = styles.index(style, quote) if style is not None else 0
            if style is None and quote:
                index = styles.index(Style(), True)
            cells.append(cell_xml(r, c, value, index, styles.epoch))
        height = look.row_heights.get(r)
        if not cells and height is None:
            continue
        attrs = f' r="{r + 1}"'
        if height is not None:
            attrs += f' ht="{float(height):.16g}" customHeight="1"'
        yield f"<row{attrs}>{''.join(cells)}</row>" if cells else f"<row{attrs}/>"


def _edges(look: SheetLook, merge: rects.Rect) -> dict[tuple[int, int], dict[str, object]]:
    """openpyxl's ``MergedCellRange.format``: each edge cell of a merge whose first cell has
    a border gets that side of it."""
    style = look.cell_styles.get((merge[0], merge[1]))
    sides = style.borders.sides() if style is not None else {}
    if not sides:
        return {}
    r1, c1, r2, c2 = merge
    found: dict[tuple[int, int], dict[str, object]] = {}
    for name, side in sides.items():
        if name == "top":
            cells = [(r1, c) for c in range(c1, c2 + 1)]
        elif name == "bottom":
            cells = [(r2, c) for c in range(c1, c2 + 1)]
        elif name == "left":
            cells = [(r, c1) for r in range(r1, r2 + 1)]
        else:
            cells = [(r, c2) for r in range(r1, r2 + 1)]
        for cell in cells:
            found.setdefault(cell, {})[name] = side
    return found


def _label_formats(look: SheetLook, styles: Styles) -> Iterator[str]:
    by_kind: dict[str, list[str]] = {}
    for rect, kind in look.coloured:
        by_kind.setdefault(kind, []).append(_range(rect))
    priority = 0
    for kind, refs in by_kind.items():
        rules = []
        for rule in label_rules(kind):
            priority += 1
            dxf = styles.sheet.dxf(label_rule_xml(rule))
            rules.append(
                f'<cfRule type="cellIs" dxfId="{dxf}" priority="{priority}" operator="equal">'
                f"<formula>{escape(chr(34) + rule.label + chr(34))}</formula></cfRule>"
            )
        yield f'<conditionalFormatting sqref="{" ".join(refs)}">{"".join(rules)}</conditionalFormatting>'  # noqa: E501


def _range(rect: rects.Rect) -> str:
    return f"{cell_address(rect[0], rect[1])}:{cell_address(rect[2], rect[3])}"


def _page(page: PageSetup) -> Iterator[str]:
    if page.centre_horizontally:
        yield '<printOptions horizontalCentered="1"/>'
    m = page.margins
    yield (
        f'<pageMargins left="{m.left:g}" right="{m.right:g}" top="{m.top:g}" '
        f'bottom="{m.bottom:g}" header="{m.header:g}" footer="{m.footer:g}"/>'
    )
    fit = ' fitToWidth="1" fitToHeight="0"' if page.fit_to_width else ""
    yield f'<pageSetup orientation="{page.orientation}" paperSize="9"{fit}/>'
    footer = _footer(page)
    if footer:
        yield f"<headerFooter><oddFooter>{escape(footer)}</oddFooter></headerFooter>"
    if page.row_breaks:
        count = len(page.row_breaks)
        breaks = "".join(f'<brk id="{row + 1}" max="16383" man="1"/>' for row in page.row_breaks)
        yield f'<rowBreaks count="{count}" manualBreakCount="{count}">{breaks}</rowBreaks>'


def _footer(page: PageSetup) -> str:
    """openpyxl's header/footer text: ``&C&"Arial"&8 text&R&"Arial"&8 Page &P of &N``."""
    font = page.footer_font
    out = ""
    for key, content in (("C", footer_codes(page.footer_centre)), ("R", page.footer_right)):
        if content:
            out += f'&{key}&"{font.name}"&{font.size} {content}'
    return out


def _names(look: SheetLook) -> tuple[tuple[str, str], ...]:
    sheet = sheet_reference(look.name)
    names = []
    page = look.page
    if page.print_title_rows is not None:
        first, last = page.print_title_rows
        names.append(("_xlnm.Print_Titles", f"{sheet}!${first + 1}:${last + 1}"))
    if page.print_area is not None:
        r1, c1, r2, c2 = page.print_area
        area = f"{_absolute(r1, c1)}:{_absolute(r2, c2)}"
        names.append(("_xlnm.Print_Area", f"{sheet}!{area}"))
    names.append((GENERATED_MARK, ownership.mark_reference(look.name)))
    return tuple(names)


def _absolute(row: int, col: int) -> str:
    return f"${column_letter(col)}${row + 1}"
