"""kpixl's colours and font, as plain data shared by the openpyxl and xlwings adapters.

* ``GREEN`` / ``AMBER`` / ``RED``: Excel's Good / Neutral / Bad palette (light fill, dark text
  of the same hue), readable on screen and in black-and-white print.
* Activity alerts: ``Yes`` (in the expected range) green; ``Above`` and ``Below`` amber, a
  prompt to look rather than a failure. Where an activity's Polarity is given, the Dashboard
  shows an alert on its better side (``Below`` when lower is better) green (style ``good``).
* ``N/A`` is never coloured.
"""

from __future__ import annotations

from typing import Final

FONT_NAME: Final = "Arial"
DARK_BLUE: Final = "1F3864"
WHITE: Final = "FFFFFF"
HEADER_GREY: Final = "D9D9D9"
BORDER_GREY: Final = "808080"
NOTE_GREY: Final = "595959"

LABEL_COLOURS: Final[dict[str, tuple[str, str]]] = {
    # label -> (fill, text)
    "GREEN": ("C6EFCE", "006100"),
    "AMBER": ("FFEB9C", "9C5700"),
    "RED": ("FFC7CE", "9C0006"),
    "Yes": ("C6EFCE", "006100"),
    "Above": ("FFEB9C", "9C5700"),
    "Below": ("FFEB9C", "9C5700"),
}
"""Fill and text colour of each coloured label (RAG ratings and activity alerts)."""

LABELS_BY_KIND: Final[dict[str, tuple[str, ...]]] = {
    "rag": ("GREEN", "AMBER", "RED"),
    "alert": ("Yes", "Above", "Below"),
}
