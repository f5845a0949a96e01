"""kpixl's neutral look (``kpixl.report.look``) as ``styles.xml`` entries.

The package writer's counterpart of ``kpixl.workbook.styles`` (openpyxl objects): each
``Style`` becomes a font, a fill, a border, a number format and one cell format in a
:class:`~kpixl.package.stylesheet.Stylesheet`, written as openpyxl writes them, so a file
written either way reads back the same. Nothing here chooses a colour or a font.
"""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import quoteattr

from openpyxl.utils.datetime import WINDOWS_EPOCH

from kpixl.package.stylesheet import Stylesheet
from kpixl.report import look

__all__ = ["Styles", "label_rule_xml"]

_BORDER_ORDER = ("left", "right", "top", "bottom")


def _colour(colour: str) -> str:
    """``RRGGBB`` as openpyxl stores it (``00RRGGBB``)."""
    return "00" + colour.upper() if len(colour) == 6 else colour.upper()


def font_xml(font: look.Font) -> str:
    parts = [f"<name val={quoteattr(font.name)}/>"]
    if font.bold:
        parts.append('<b val="1"/>')
    if font.italic:
        parts.append('<i val="1"/>')
    if font.colour:
        parts.append(f'<color rgb="{_colour(font.colour)}"/>')
    parts.append(f'<sz val="{float(font.size):g}"/>')
    return "<font>" + "".join(parts) + "</font>"


def fill_xml(colour: str) -> str:
    rgb = _colour(colour)
    return (
        f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
        f'<bgColor rgb="{rgb}"/></patternFill></fill>'
    )


def border_xml(sides: dict[str, look.Side]) -> str:
    parts = []
    for name in _BORDER_ORDER:
        side = sides.get(name)
        if side is None:
            parts.append(f"<{name}/>")
        else:
            parts.append(
                f'<{name} style="{side.style}"><color rgb="{_colour(side.colour)}"/></{name}>'
            )
    return "<border>" + "".join(parts) + "<diagonal/></border>"


def alignment_xml(style: look.Style) -> str:
    attrs = ""
    if style.horizontal:
        attrs += f' horizontal="{style.horizontal}"'
    if style.vertical:
        attrs += f' vertical="{style.vertical}"'
    if style.wrap:
        attrs += ' wrapText="1"'
    return f"<alignment{attrs}/>" if attrs else ""


def label_rule_xml(rule: look.LabelRule) -> str:
    """The differential format of one label rule (bold coloured text on a solid fill)."""
    bold = '<b val="1"/>' if rule.bold else ""
    font = f'<font>{bold}<color rgb="{_colour(rule.colour)}"/></font>'
    return f"<dxf>{font}{fill_xml(rule.fill)}</dxf>"


class Styles:
    """Cell-format indices of neutral styles in one stylesheet, each built once."""

    def __init__(self, sheet: Stylesheet, epoch: datetime = WINDOWS_EPOCH) -> None:
        self.sheet = sheet
        self.epoch = epoch
        """Day 0 of the workbook's dates (1899-12-30, or 1904-01-01 with ``date1904``)."""
        self._built: dict[tuple[look.Style, bool], int] = {}
        self._borders: dict[frozenset[tuple[str, look.Side]], int] = {}

    def index(self, style: look.Style, quote_prefix: bool = False) -> int:
        key = (style, quote_prefix)
        found = self._built.get(key)
        if found is None:
            found = self._built[key] = self._build(style, quote_prefix)
        return found

    def _build(self, style: look.Style, quote_prefix: bool) -> int:
        sheet = self.sheet
        font = sheet.font(font_xml(style.font))
        fill = sheet.fill(fill_xml(style.fill)) if style.fill else 0
        sides = style.borders.sides()
        border = sheet.border(border_xml(sides)) if sides else 0
        number = (
            sheet.number_format(style.number_format) if style.number_format != look.GENERAL else 0
        )
        return self.xf(font, fill, border, number, alignment_xml(style), quote_prefix)

    def border_only(self, sides: dict[str, look.Side]) -> int:
        """A cell format with only these border sides (the edges of a bordered merge)."""
        key = frozenset(sides.items())
        found = self._borders.get(key)
        if found is None:
            border = self.sheet.border(border_xml(sides))
            found = self._borders[key] = self.xf(0, 0, border, 0, "", False)
        return found

    def xf(
        self, font: int, fill: int, border: int, number: int, alignment: str, quote: bool
    ) -> int:
        flags = "".join(
            f' {name}="1"'
            for name, given in (
                ("applyNumberFormat", number),
                ("applyFont", font),
                ("applyFill", fill),
                ("applyBorder", border),
                ("applyAlignment", alignment),
                ("quotePrefix", quote),
            )  # fmt: skip
            if given
        )
        head = (
            f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="{border}" '
            f'xfId="0"{flags}'
        )
        return self.sheet.entry("cellXfs", f"{head}>{alignment}</xf>" if alignment else f"{head}/>")
