"""The Dashboard's direction of travel (SPEC 8.1) and, with SPC On, Variation and Assurance
beside the RAG (SPEC 8.2): arrow and word, MDC labels, their label rules, a key, the width."""

from __future__ import annotations

import pytest

from kpixl.core.evaluate import evaluate
from kpixl.core.models import Direction
from kpixl.report import look
from kpixl.report.dashboard import dashboard_design
from kpixl.report.key import KEY_HEADING
from kpixl.report.pages import A4_LANDSCAPE, column_points, scale
from kpixl.report.palette import LABEL_COLOURS, direction_text
from kpixl.sample import load_sample
from tests.long_sample import long_sample
from tests.report.test_dashboard import _headers, _under

SPC_EVALUATION = evaluate(long_sample())
SPC_DESIGN = dashboard_design(SPC_EVALUATION)
PLAIN_DESIGN = dashboard_design(evaluate(load_sample()))
SPC_RESULTS = {r.ref: (i, r) for i, r in SPC_EVALUATION.pairs()}
KPIS = sorted(ref for ref, (i, _) in SPC_RESULTS.items() if i.is_kpi)


@pytest.mark.parametrize(
    ("direction", "text"),
    [
        (Direction.IMPROVING, "\u25b2 Improving"),
        (Direction.WORSENING, "\u25bc Worsening"),
        (Direction.NO_CHANGE, "\u25ba No change"),
        (Direction.NO_CLEAR_TREND, "\u25ba No clear trend"),
        (Direction.UP, "\u25b2 Up"),
        (Direction.DOWN, "\u25bc Down"),
    ],
)
def test_each_direction_has_an_arrow_and_a_colour(direction: Direction, text: str) -> None:
    assert text == direction_text(direction)
    assert text in LABEL_COLOURS


@pytest.mark.parametrize(
    ("text", "fill"),
    [
        ("Improvement (high)", "BDD7EE"),  # blue
        ("Consistently passing", "BDD7EE"),
        ("Concern (low)", "F8CBAD"),  # orange
        ("Consistently failing", "F8CBAD"),
        ("Common cause", "E7E6E6"),  # grey
        ("Hit and miss", "E7E6E6"),
    ],
)
def test_mdc_labels_take_the_mdc_colours(text: str, fill: str) -> None:
    assert fill == LABEL_COLOURS[text][0]


def test_spc_off_shows_direction_only_after_ytd_rag() -> None:
    assert ["Month RAG", "YTD", "YTD RAG", "Direction", "Target"] == _headers("FN06", PLAIN_DESIGN)[
        6:11
    ]


def test_spc_on_shows_variation_and_assurance_after_direction() -> None:
    assert ["YTD RAG", "Direction", "Variation", "Assurance", "Target"] == _headers(
        "FN06", SPC_DESIGN
    )[8:13]


@pytest.mark.parametrize("ref", KPIS)
def test_every_kpi_shows_its_results(ref: str) -> None:
    _, result = SPC_RESULTS[ref]
    direction = _under(ref, "Direction", SPC_DESIGN)
    variation = _under(ref, "Variation", SPC_DESIGN)
    assurance = _under(ref, "Assurance", SPC_DESIGN)
    assert (direction_text(result.direction) if result.direction else "N/A", "trend") == (
        direction.value,
        direction.style,
    )
    assert (str(result.variation) if result.variation else "N/A", "spc") == (
        variation.value,
        variation.style,
    )
    assert (str(result.assurance) if result.assurance else "N/A", "spc") == (
        assurance.value,
        assurance.style,
    )


def test_marks_get_their_kinds_label_rules() -> None:
    resolved = look.sheet_look(SPC_DESIGN)
    kinds = {kind for _, kind in resolved.coloured}
    assert {"any", "direction", "spc"} == kinds
    direction_cell = _under("FN06", "Direction", SPC_DESIGN)
    covering = [
        kind
        for (r0, c0, r1, c1), kind in resolved.coloured
        if r0 <= direction_cell.row <= r1 and c0 <= direction_cell.col <= c1
    ]
    assert ["direction"] == covering


def test_the_key_names_every_mark_shown() -> None:
    values = {c.value for c in SPC_DESIGN.cells}
    assert KEY_HEADING in values
    shown = {c.value for c in SPC_DESIGN.cells if c.style in ("trend", "spc")}
    explained = {
        c.value
        for c in SPC_DESIGN.cells
        if c.style in ("trend", "spc") and c.row > _key_row(SPC_DESIGN)
    }
    assert shown - {"N/A"} <= explained


def test_without_spc_the_key_explains_directions_only() -> None:
    below = [c for c in PLAIN_DESIGN.cells if c.row > _key_row(PLAIN_DESIGN)]
    assert {"trend"} == {c.style for c in below if c.style in ("trend", "spc")}
    assert "\u25ba No change" in {c.value for c in below}  # Previous period method


def _key_row(design: object) -> int:
    return next(c.row for c in design.cells if c.value == KEY_HEADING)  # type: ignore[attr-defined]


def test_spc_off_prints_one_a4_landscape_page_wide_at_93_percent_or_more() -> None:
    assert scale(PLAIN_DESIGN, A4_LANDSCAPE) >= 0.93  # with Direction and Trend: 15 columns


def test_spc_on_is_scaled_no_further_than_eighty_five_percent() -> None:
    total = sum(column_points(w) for w in SPC_DESIGN.column_widths.values())
    assert total > A4_LANDSCAPE.printable_width  # fit to width does the rest
    assert scale(SPC_DESIGN, A4_LANDSCAPE) >= 0.85
