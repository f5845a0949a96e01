"""kpixl's colours and font, as plain data shared by the openpyxl and xlwings adapters.

* ``GREEN`` / ``AMBER`` / ``RED``: Excel's Good / Neutral / Bad palette (light fill, dark text
  of the same hue), readable on screen and in black-and-white print.
* Activity alerts: ``Yes`` (in the expected range) green; ``Above`` and ``Below`` amber, a
  prompt to look rather than a failure. Where an activity's Polarity is given, the Dashboard
  shows an alert on its better side (``Below`` when lower is better) green (style ``good``).
* SPC ``Variation`` and ``Assurance`` (SPEC 8.2) in NHS "Making Data Count" colours:
  improvement / consistently passing blue, concern / consistently failing orange, common
  cause / hit and miss grey, neutral special cause (no polarity) purple; light fills with
  dark text, as the RAG colours.
* Direction of travel on the Dashboard (SPEC 8.1): an arrow and the word, improving green,
  worsening red, anything else (no change, no clear trend, up or down without a polarity)
  grey; text colour on a faint fill so it never reads as a RAG rating.
* ``N/A`` is never coloured.
"""

from __future__ import annotations

from typing import Final

from kpixl.core.models import Assurance, Direction, Variation

FONT_NAME: Final = "Arial"
DARK_BLUE: Final = "1F3864"
WHITE: Final = "FFFFFF"
HEADER_GREY: Final = "D9D9D9"
BORDER_GREY: Final = "808080"
NOTE_GREY: Final = "595959"

_BLUE = ("BDD7EE", "1F4E79")
_ORANGE = ("F8CBAD", "843C0C")
_GREY = ("E7E6E6", "3B3838")
_PURPLE = ("E4DFEC", "4B2466")
_FAINT_GREY = ("F2F2F2", "595959")

ARROWS: Final[dict[Direction, str]] = {
    Direction.IMPROVING: "\u25b2",  # ▲
    Direction.WORSENING: "\u25bc",  # ▼
    Direction.NO_CHANGE: "\u25ba",  # ►
    Direction.NO_CLEAR_TREND: "\u25ba",
    Direction.UP: "\u25b2",
    Direction.DOWN: "\u25bc",
}
"""The arrow before each Direction of travel on the Dashboard: in Arial's and Liberation
Sans' WGL4 set, so Excel and LibreOffice draw them without a fallback font."""


def direction_text(direction: Direction) -> str:
    """``▲ Improving``: the Dashboard's arrow and word for a direction of travel."""
    return f"{ARROWS[direction]} {direction}"


_VARIATION_COLOURS = {
    Variation.IMPROVEMENT_HIGH: _BLUE,
    Variation.IMPROVEMENT_LOW: _BLUE,
    Variation.CONCERN_HIGH: _ORANGE,
    Variation.CONCERN_LOW: _ORANGE,
    Variation.NEUTRAL_HIGH: _PURPLE,
    Variation.NEUTRAL_LOW: _PURPLE,
    Variation.COMMON_CAUSE: _GREY,
}
_ASSURANCE_COLOURS = {
    Assurance.PASSING: _BLUE,
    Assurance.FAILING: _ORANGE,
    Assurance.HIT_AND_MISS: _GREY,
}
_DIRECTION_COLOURS = {
    direction_text(direction): {
        Direction.IMPROVING: ("EBF5E6", "2E6B1F"),
        Direction.WORSENING: ("FBEAEA", "A50E0E"),
    }.get(direction, _FAINT_GREY)
    for direction in Direction
}

LABEL_COLOURS: Final[dict[str, tuple[str, str]]] = {
    # label -> (fill, text)
    "GREEN": ("C6EFCE", "006100"),
    "AMBER": ("FFEB9C", "9C5700"),
    "RED": ("FFC7CE", "9C0006"),
    "Yes": ("C6EFCE", "006100"),
    "Above": ("FFEB9C", "9C5700"),
    "Below": ("FFEB9C", "9C5700"),
    **{str(label): colours for label, colours in _VARIATION_COLOURS.items()},
    **{str(label): colours for label, colours in _ASSURANCE_COLOURS.items()},
    **_DIRECTION_COLOURS,
}
"""Fill and text colour of each coloured label (RAG ratings, activity alerts, SPC labels and
the Dashboard's directions)."""

LABELS_BY_KIND: Final[dict[str, tuple[str, ...]]] = {
    "rag": ("GREEN", "AMBER", "RED"),
    "alert": ("Yes", "Above", "Below"),
    "variation": tuple(str(label) for label in _VARIATION_COLOURS),
    "assurance": tuple(str(label) for label in _ASSURANCE_COLOURS),
    "spc": tuple(str(label) for label in (*_VARIATION_COLOURS, *_ASSURANCE_COLOURS)),
    "direction": tuple(_DIRECTION_COLOURS),
}
"""The labels of each kind of coloured range (``any``: RAG and alert labels together)."""
