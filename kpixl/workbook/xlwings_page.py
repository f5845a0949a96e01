"""The neutral page setup (``kpixl.report.look.PageSetup``) on a live xlwings sheet.

The print area and gridlines go through xlwings on every engine. The rest (orientation, paper,
fit to one page wide, margins, print titles, page breaks, footer, centring, tab colour) needs
``sheet.api``, Excel's COM object model, and is set on Windows desktop Excel only: macOS Excel
and xlwings' remote engine keep their own defaults for those.
"""

from __future__ import annotations

import sys

import xlwings as xw

from kpixl.report.look import PageSetup, footer_codes
from kpixl.workbook.xlwings_look import Canvas, address

__all__ = ["page_setup"]


def page_setup(canvas: Canvas, page: PageSetup) -> None:
    """Print area and gridlines everywhere; the rest through Excel's COM object on Windows
    (counted in the tally's multi-area form wherever kpixl runs)."""
    sheet = canvas.sheet
    if page.print_area is not None:
        canvas.tally.add(1)
        sheet.page_setup.print_area = address(page.print_area)
    canvas.tally.add(1)
    sheet.show_gridlines = page.gridlines
    windows = sys.platform == "win32" and sheet.book.app.engine.name == "excel"
    canvas.tally.add(windows_calls(page) if windows else 0, windows_calls(page))
    if windows:
        _page_setup_windows(sheet, page)


def windows_calls(page: PageSetup) -> int:
    """The COM property sets and calls ``_page_setup_windows`` makes for ``page``."""
    fixed = 2 + 1 + 2 + 6 + 1  # printer communication, breaks reset, orientation/paper,
    # margins, centring
    fit = 3 if page.fit_to_width else 0
    titles = 1 if page.print_title_rows is not None else 0
    footers = bool(page.footer_centre) + bool(page.footer_right)
    breaks = len(break_addresses(page.row_breaks))
    return fixed + fit + titles + footers + breaks + bool(page.tab_colour)


BREAK_ADDRESS_LIMIT = 255
"""Excel's ``Range(...)`` takes an address of at most 255 characters."""
MANUAL_PAGE_BREAK = -4135  # xlPageBreakManual


def break_addresses(rows: tuple[int, ...]) -> list[str]:
    """Multi-area addresses of the rows that start a new page (``"31:31,62:62"``), each short
    enough for ``Range(...)``: one call sets every break in it, however long the paper."""
    pieces: list[str] = []
    for row in rows:
        area = f"{row + 2}:{row + 2}"  # a break after row ``row`` is one above the next
        if pieces and len(pieces[-1]) + 1 + len(area) <= BREAK_ADDRESS_LIMIT:
            pieces[-1] += "," + area
        else:
            pieces.append(area)
    return pieces


def _page_setup_windows(sheet: xw.Sheet, page: PageSetup) -> None:  # pragma: no cover
    api = sheet.api
    app = sheet.book.app.api
    app.PrintCommunication = False  # one round trip to the printer driver, not one per field
    try:
        api.ResetAllPageBreaks()
        setup = api.PageSetup
        setup.Orientation = 2 if page.orientation == "landscape" else 1
        setup.PaperSize = {"A4": 9}[page.paper]  # xlPaperA4
        if page.fit_to_width:
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False
        m = page.margins
        setup.LeftMargin, setup.RightMargin = m.left * 72, m.right * 72
        setup.TopMargin, setup.BottomMargin = m.top * 72, m.bottom * 72
        setup.HeaderMargin, setup.FooterMargin = m.header * 72, m.footer * 72
        if page.print_title_rows is not None:
            first, last = page.print_title_rows
            setup.PrintTitleRows = f"${first + 1}:${last + 1}"
        font = f'&"{page.footer_font.name},Regular"&{page.footer_font.size:g}'
        if page.footer_centre:
            setup.CenterFooter = font + footer_codes(page.footer_centre)
        if page.footer_right:
            setup.RightFooter = font + page.footer_right
        setup.CenterHorizontally = page.centre_horizontally
    finally:
        app.PrintCommunication = True
    for rows in break_addresses(page.row_breaks):
        try:  # the rows of a multi-area range each get a manual break above them
            api.Range(rows).PageBreak = MANUAL_PAGE_BREAK
        except Exception:  # noqa: BLE001 - should Excel refuse a union, one break per row
            for area in rows.split(","):
                api.HPageBreaks.Add(Before=api.Range(area))
    if page.tab_colour:
        red, green, blue = (int(page.tab_colour[i : i + 2], 16) for i in (0, 2, 4))
        api.Tab.Color = red + green * 256 + blue * 65536  # Excel's BGR integer
