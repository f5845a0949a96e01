"""kpixl's neutral look (``kpixl.report.look``) translated to openpyxl objects.

Used by the openpyxl adapter (computed columns, generated sheets) and the template builder.
Labels are coloured by ``cellIs equal`` rules, which Excel compares case-insensitively, so a
label typed by hand recolours too. Nothing here chooses a colour or a font: see ``look``.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final

from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from kpixl.report import look
from kpixl.report.palette import LABEL_COLOURS

__all__ = [
    "DESIGN_STYLES",
    "add_rag_formatting",
    "alignment",
    "border",
    "fill",
    "font",
    "is_kpixl_rule",
    "is_label",
    "label_fill",
    "label_font",
    "rag_rules",
    "style_cell",
]


def fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def font(spec: look.Font) -> Font:
    return Font(
        name=spec.name,
        size=spec.size,
        bold=spec.bold or None,
        italic=spec.italic or None,
        color=spec.colour,
    )


def _side(side: look.Side | None) -> Side | None:
    return None if side is None else Side(style=side.style, color=side.colour)


def border(spec: look.Borders) -> Border:
    return Border(
        left=_side(spec.left),
        right=_side(spec.right),
        top=_side(spec.top),
        bottom=_side(spec.bottom),
    )


def alignment(style: look.Style) -> Alignment:
    return Alignment(
        horizontal=style.horizontal, vertical=style.vertical, wrap_text=style.wrap or None
    )


@cache
def _parts(style: look.Style) -> dict[str, Any]:
    """The openpyxl attributes of a cell with ``style``; default parts left out."""
    parts: dict[str, Any] = {"font": font(style.font)}
    if style.fill:
        parts["fill"] = fill(style.fill)
    if style.borders.sides():
        parts["border"] = border(style.borders)
    if style.horizontal or style.vertical or style.wrap:
        parts["alignment"] = alignment(style)
    if style.number_format != look.GENERAL:
        parts["number_format"] = style.number_format
    return parts


def style_cell(cell: Any, style: look.Style) -> None:
    """Give an openpyxl cell the neutral ``style``."""
    for attribute, value in _parts(style).items():
        setattr(cell, attribute, value)


DESIGN_STYLES: Final[dict[str, dict[str, Any]]] = {
    name: _parts(style) for name, style in look.DESIGN_STYLES.items()
}
"""Style name -> openpyxl attributes, for the template builder's prototype cells."""


def is_label(value: object) -> bool:
    """True for a RAG or alert label that kpixl colours (any case)."""
    return look.label_colours(value) is not None


def label_fill(label: object) -> PatternFill | None:
    """The static fill for a RAG or alert label (any case), None for anything else."""
    colours = look.label_colours(label)
    return fill(colours[0]) if colours else None


def label_font(label: object, size: float = 10) -> Font:
    colours = look.label_colours(label)
    return Font(
        name=look.DEFAULT_FONT.name, size=size, bold=True, color=colours[1] if colours else None
    )


def rag_rules(kind: str) -> list[Rule]:
    """``cellIs equal "<label>"`` rules for ``kind`` (``rag``, ``alert`` or ``any``)."""
    return [
        CellIsRule(
            operator="equal",
            formula=[f'"{rule.label}"'],
            fill=fill(rule.fill),
            font=Font(color=rule.colour, bold=rule.bold),
        )
        for rule in look.label_rules(kind)
    ]


def is_kpixl_rule(rule: Rule) -> bool:
    """Whether ``rule`` has the shape of one of kpixl's label rules (type, operator, formula)."""
    if rule.type != "cellIs" or rule.operator != "equal" or len(rule.formula or ()) != 1:
        return False
    return str(rule.formula[0]) in {f'"{label}"' for label in LABEL_COLOURS}


def add_rag_formatting(ws: Any, cell_range: str, kind: str) -> None:
    """Colour ``cell_range`` of ``ws`` (``"P5:P40"``, or several ranges split by spaces)."""
    for rule in rag_rules(kind):
        ws.conditional_formatting.add(cell_range, rule)
