"""The RAG key worded for the rule in force (SPEC 8.4): the reference report's Floor Standard
key, and for KPIs rated by a tolerance instead of a Floor, "within x% of Target" lines.

A KPI's rule is the Floor rule unless it has a Target, no Floor in force for its latest period
and a tolerance (its own, else the ``Amber tolerance`` setting): the same choice the rating
makes (:func:`kpixl.core.targets.tolerance_in_force`). Each rule in use gets its own AMBER and
RED lines, so a report whose KPIs all use Floors keeps the reference key exactly.
"""

from __future__ import annotations

from kpixl.core.models import Evaluation, Rag
from kpixl.core.targets import tolerance_in_force

__all__ = ["FLOOR_KEY", "FLOOR_NOTE", "KeyLine", "percent_text", "rag_key", "tolerance_key"]

KeyLine = tuple[Rag, str]
FLOOR_KEY: tuple[KeyLine, ...] = (
    (Rag.GREEN, "Target has been achieved"),
    (Rag.AMBER, "Floor Standard* achieved but Target has not been met"),
    (Rag.RED, "Floor Standard* has not been achieved"),
)
FLOOR_NOTE = (
    "*Floor Standards are the minimum performance expected and if not achieved must result "
    "in management action"
)


def percent_text(tolerance: float) -> str:
    """A tolerance as the key prints it: 0.1 -> ``10%``, 0.025 -> ``2.5%``."""
    return f"{round(tolerance * 100, 6):g}%"


def tolerance_key(tolerance: float | str) -> tuple[KeyLine, ...]:
    """The AMBER and RED lines of KPIs rated within ``tolerance`` of their Target (text such
    as ``x%`` is shown as it is)."""
    shown = tolerance if isinstance(tolerance, str) else percent_text(tolerance)
    return (
        (Rag.AMBER, f"Within {shown} of Target but Target has not been met"),
        (Rag.RED, f"More than {shown} away from Target"),
    )


def rules_in_force(evaluation: Evaluation) -> tuple[bool, tuple[float, ...]]:
    """Whether any KPI uses the Floor rule, and the tolerances KPIs are rated by (ascending)."""
    floor = False
    tolerances: set[float] = set()
    setting = evaluation.report.amber_tolerance
    for indicator, result in evaluation.pairs():
        if not indicator.is_kpi:
            continue
        thresholds = result.latest_thresholds or indicator.thresholds
        tolerance = tolerance_in_force(indicator, thresholds, setting)
        if tolerance is None:
            floor = True
        else:
            tolerances.add(tolerance)
    return floor or not tolerances, tuple(sorted(tolerances))


def rag_key(evaluation: Evaluation) -> tuple[KeyLine, ...]:
    """The key lines for the rules ``evaluation``'s KPIs are rated by: GREEN once, then the
    AMBER lines, then the RED lines, the Floor rule's first."""
    floor, tolerances = rules_in_force(evaluation)
    lines = [*(FLOOR_KEY[1:] if floor else ())]
    for tolerance in tolerances:
        lines += tolerance_key(tolerance)
    ambers = [line for line in lines if line[0] is Rag.AMBER]
    reds = [line for line in lines if line[0] is Rag.RED]
    return (FLOOR_KEY[0], *ambers, *reds)
