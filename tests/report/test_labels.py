"""Shared pieces of the generated sheets: labels, formats, text heights and the cell builder."""

from __future__ import annotations

import pytest

from kpixl import Alert, Indicator, Rag
from kpixl.report.labels import (
    SheetBuilder,
    label,
    line_count,
    number_format,
    paragraphs,
    text_height,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Rag.GREEN, "GREEN"), (Rag.RED, "RED"), (Alert.ABOVE, "Above"), (None, "N/A")],
)
def test_label(value: Rag | Alert | None, expected: str) -> None:
    assert expected == label(value)


@pytest.mark.parametrize(
    ("unit", "decimals", "expected"),
    [
        ("%", None, "0%"),
        ("%", 0, "0%"),
        ("%", 1, "0.0%"),
        ("Number", None, "#,##0"),
        ("£000s", 2, "#,##0.00"),
        (None, None, "#,##0"),
    ],
)
def test_number_format(unit: str | None, decimals: int | None, expected: str) -> None:
    assert expected == number_format(Indicator(ref="X", unit=unit, decimals=decimals))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.", ["One."]),
        ("One.\n\nTwo.", ["One.", "Two."]),
        ("One.\n  \n\nTwo.\nstill two.", ["One.", "Two.\nstill two."]),
        ("\n\n", []),
    ],
)
def test_paragraphs(text: str, expected: list[str]) -> None:
    assert expected == paragraphs(text)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [("short", 10, 1), ("word " * 20, 10, 10), ("a\nb\nc", 50, 3), ("", 5, 1)],
)
def test_line_count(text: str, width: float, expected: int) -> None:
    assert expected == line_count(text, width)


def test_taller_text_needs_a_taller_row() -> None:
    assert text_height("word " * 100, 40) > text_height("word " * 10, 40)


def test_the_builder_refuses_a_second_cell_in_one_place() -> None:
    sheet = SheetBuilder("Summary")
    sheet.span(0, 0, 3, "Title", "title")
    with pytest.raises(ValueError, match="Summary!A1 is already used"):
        sheet.put(0, 0, "again")
    with pytest.raises(ValueError, match="Summary!C1 is already used"):
        sheet.put(0, 2, "inside the merge")
    sheet.put(1, 2, "x")
    with pytest.raises(ValueError, match="Summary!C2 is already used"):
        sheet.span(1, 0, 3, "over x", "text")
    sheet.span(2, 1, 2, "merged", "text")
    with pytest.raises(ValueError, match="Summary!B3 is already used"):
        sheet.span(2, 0, 1, "onto the merge", "text")


def test_the_builder_refuses_unknown_styles() -> None:
    with pytest.raises(ValueError, match="unknown style 'bold'"):
        SheetBuilder("Summary").put(0, 0, "x", "bold")
