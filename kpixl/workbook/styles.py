"""kpixl's colours and cell styles in one place, for openpyxl.

Used by the plan writer (computed columns), the generated sheets and the template builder.
Labels are coloured by ``cellIs equal`` rules, which Excel compares case-insensitively, so a
label typed by hand recolours too. Colour choices:

* ``GREEN`` / ``AMBER`` / ``RED``: Excel's Good / Neutral / Bad palette (light fill, dark text
  of the same hue), readable on screen and in black-and-white print.
* Activity alerts: ``Yes`` (in the expected range) green; ``Above`` and ``Below`` amber, a
  prompt to look rather than a failure (an alert is not read through polarity).
* ``N/A`` is never coloured.
"""

from __future__ import annotations

from typing import Any, Final

from openpyxl.formatting.rule import CellIsRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from kpixl.report.palette import (
    BORDER_GREY,
    DARK_BLUE,
    FONT_NAME,
    HEADER_GREY,
    LABEL_COLOURS,
    LABELS_BY_KIND,
    NOTE_GREY,
    WHITE,
)

_THIN = Side(style="thin", color=BORDER_GREY)
THIN_BOX: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=Side(style="medium", color=DARK_BLUE))


def fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def label_fill(label: object) -> PatternFill | None:
    """The static fill for a RAG or alert label (any case), None for anything else."""
    colours = _colours(label)
    return fill(colours[0]) if colours else None


def is_label(value: object) -> bool:
    """True for a RAG or alert label that kpixl colours (any case)."""
    return _colours(value) is not None


def label_font(label: object, size: float = 10) -> Font:
    colours = _colours(label)
    return Font(name=FONT_NAME, size=size, bold=True, color=colours[1] if colours else None)


_BY_LOWER = {name.lower(): colours for name, colours in LABEL_COLOURS.items()}


def _colours(label: object) -> tuple[str, str] | None:
    return _BY_LOWER.get(label.strip().lower()) if isinstance(label, str) else None


def rag_rules(kind: str) -> list[Rule]:
    """``cellIs equal "<label>"`` rules for ``kind`` (``rag``, ``alert`` or ``any``)."""
    if kind == "any":
        labels = (*LABELS_BY_KIND["rag"], *LABELS_BY_KIND["alert"])
    elif kind in LABELS_BY_KIND:
        labels = LABELS_BY_KIND[kind]
    else:
        raise ValueError(f"unknown kind of coloured range {kind!r}: use rag, alert or any")
    rules = []
    for label in labels:
        fill_colour, text_colour = LABEL_COLOURS[label]
        rules.append(
            CellIsRule(
                operator="equal",
                formula=[f'"{label}"'],
                fill=fill(fill_colour),
                font=Font(color=text_colour, bold=True),
            )
        )
    return rules


def is_kpixl_rule(rule: Rule) -> bool:
    """Whether ``rule`` has the shape of one of kpixl's label rules (type, operator, formula)."""
    if rule.type != "cellIs" or rule.operator != "equal" or len(rule.formula or ()) != 1:
        return False
    return str(rule.formula[0]) in {f'"{label}"' for label in LABEL_COLOURS}


def add_rag_formatting(ws: Any, cell_range: str, kind: str) -> None:
    """Colour ``cell_range`` of ``ws`` (``"P5:P40"``, or several ranges split by spaces)."""
    for rule in rag_rules(kind):
        ws.conditional_formatting.add(cell_range, rule)


# Style name (kpixl.report.design.STYLES) -> keyword arguments for a prototype cell.
DESIGN_STYLES: Final[dict[str, dict[str, Any]]] = {
    "title": {
        "font": Font(name=FONT_NAME, size=16, bold=True, color=DARK_BLUE),
        "alignment": Alignment(vertical="center", wrap_text=True),
    },
    "subtitle": {
        "font": Font(name=FONT_NAME, size=12, color=DARK_BLUE),
        "alignment": Alignment(vertical="center"),
    },
    "heading": {
        "font": Font(name=FONT_NAME, size=13, bold=True, color=DARK_BLUE),
        "alignment": Alignment(vertical="bottom"),
        "border": _UNDERLINE,
    },
    "area": {
        "font": Font(name=FONT_NAME, size=11, bold=True, color=WHITE),
        "fill": fill(DARK_BLUE),
        "alignment": Alignment(vertical="center", wrap_text=True),
    },
    "header": {
        "font": Font(name=FONT_NAME, size=10, bold=True),
        "fill": fill(HEADER_GREY),
        "border": THIN_BOX,
        "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
    },
    "label": {
        "font": Font(name=FONT_NAME, size=10, bold=True),
        "alignment": Alignment(vertical="top"),
    },
    "text": {
        "font": Font(name=FONT_NAME, size=10),
        "alignment": Alignment(vertical="top"),
    },
    "wrap": {
        "font": Font(name=FONT_NAME, size=10),
        "alignment": Alignment(vertical="top", wrap_text=True),
    },
    "cell": {
        "font": Font(name=FONT_NAME, size=10),
        "border": THIN_BOX,
        "alignment": Alignment(vertical="center", wrap_text=True),
    },
    "value": {
        "font": Font(name=FONT_NAME, size=10),
        "border": THIN_BOX,
        "alignment": Alignment(horizontal="right", vertical="center", wrap_text=True),
    },
    "rag": {
        "font": Font(name=FONT_NAME, size=10, bold=True),
        "border": THIN_BOX,
        "alignment": Alignment(horizontal="center", vertical="center"),
    },
    "note": {
        "font": Font(name=FONT_NAME, size=8, italic=True, color=NOTE_GREY),
        "alignment": Alignment(vertical="top", wrap_text=True),
    },
}
