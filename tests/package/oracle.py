"""Two rated workbooks compared cell for cell, both loaded with openpyxl (the package
writer's output against the openpyxl round trip's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def _colour(colour: Any) -> Any:
    if colour is None:
        return None
    return (colour.type, colour.value, getattr(colour, "tint", 0))


def _font(font: Any) -> Any:
    return (font.name, font.sz, bool(font.b), bool(font.i), _colour(font.color), font.u)


def _fill(fill: Any) -> Any:
    if fill is None or getattr(fill, "fill_type", None) is None:
        return None
    return (fill.fill_type, _colour(fill.fgColor), _colour(fill.bgColor))


def _border(border: Any) -> Any:
    sides = (getattr(border, side) for side in ("left", "right", "top", "bottom"))
    return tuple(
        None if s is None or s.style is None else (s.style, _colour(s.color)) for s in sides
    )


def _alignment(al: Any) -> Any:
    """Excel's defaults spelled out (``general``, ``bottom``: LibreOffice writes them) read
    as the defaults they are."""
    horizontal = None if al.horizontal == "general" else al.horizontal
    vertical = None if al.vertical == "bottom" else al.vertical
    return (horizontal, vertical, bool(al.wrap_text), al.indent, al.text_rotation)


def cell_look(cell: Any) -> tuple[Any, ...]:
    return (
        cell.value,
        cell.data_type,
        cell.number_format,
        _font(cell.font),
        _fill(cell.fill),
        _border(cell.border),
        _alignment(cell.alignment),
        bool(cell.quotePrefix),
    )


def _rules(ws: Any) -> list[Any]:
    out = []
    for cf in ws.conditional_formatting:
        rules = sorted(cf.rules, key=lambda r: r.priority)
        described = tuple(
            (
                r.type,
                r.operator,
                tuple(r.formula or ()),
                _font(r.dxf.font) if r.dxf and r.dxf.font else None,
                _fill(r.dxf.fill) if r.dxf and r.dxf.fill else None,
            )
            for r in rules
        )
        out.append((str(cf.sqref), described))
    return sorted(out, key=repr)


def _names(ws: Any) -> dict[str, str]:
    return {name: str(value.attr_text) for name, value in ws.defined_names.items()}


def _page(ws: Any) -> tuple[Any, ...]:
    m = ws.page_margins
    setup = ws.page_setup
    props = ws.sheet_properties
    fit = props.pageSetUpPr.fitToPage if props.pageSetUpPr is not None else None
    return (
        setup.orientation, str(setup.paperSize), setup.fitToWidth, setup.fitToHeight, fit,
        (m.left, m.right, m.top, m.bottom, m.header, m.footer),
        ws.print_options.horizontalCentered, ws.sheet_view.showGridLines,
        _colour(props.tabColor), props.codeName,
        str(ws.oddFooter.center.text), str(ws.oddFooter.right.text),
        ws.oddFooter.center.size, ws.oddFooter.center.font,
        [b.id for b in ws.row_breaks.brk], ws.print_area, ws.print_title_rows,
    )  # fmt: skip


def differences(expected: Path, actual: Path, limit: int = 20) -> list[str]:
    """What differs between two workbooks, as openpyxl reads them (empty: nothing)."""
    a = load_workbook(expected)
    b = load_workbook(actual)
    found: list[str] = []

    def note(text: str) -> None:
        if len(found) < limit:
            found.append(text)

    if a.sheetnames != b.sheetnames:
        note(f"sheets {a.sheetnames} != {b.sheetnames}")
        return found
    for name in a.sheetnames:
        wa, wb = a[name], b[name]
        rows = max(wa.max_row, wb.max_row)
        cols = max(wa.max_column, wb.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                la, lb = cell_look(wa.cell(r, c)), cell_look(wb.cell(r, c))
                if la != lb:
                    note(f"{name}!{wa.cell(r, c).coordinate}: {la} != {lb}")
        merges_a = sorted(str(m) for m in wa.merged_cells.ranges)
        merges_b = sorted(str(m) for m in wb.merged_cells.ranges)
        if merges_a != merges_b:
            note(f"{name} merges {merges_a[:5]} != {merges_b[:5]}")
        for letter in set(wa.column_dimensions) | set(wb.column_dimensions):
            if wa.column_dimensions[letter].width != wb.column_dimensions[letter].width:
                note(f"{name} column {letter} width {wa.column_dimensions[letter].width} "
                     f"!= {wb.column_dimensions[letter].width}")  # fmt: skip
        for row in set(wa.row_dimensions) | set(wb.row_dimensions):
            if wa.row_dimensions[row].height != wb.row_dimensions[row].height:
                note(f"{name} row {row} height {wa.row_dimensions[row].height} "
                     f"!= {wb.row_dimensions[row].height}")  # fmt: skip
        if _rules(wa) != _rules(wb):
            note(f"{name} conditional formats {_rules(wa)[:3]} != {_rules(wb)[:3]}")
        if _names(wa) != _names(wb):
            note(f"{name} names {_names(wa)} != {_names(wb)}")
        if _page(wa) != _page(wb):
            note(f"{name} page {_page(wa)} != {_page(wb)}")
    names_a = {n: str(v.attr_text) for n, v in a.defined_names.items()}
    names_b = {n: str(v.attr_text) for n, v in b.defined_names.items()}
    if names_a != names_b:
        note(f"workbook names {names_a} != {names_b}")
    return found
