"""Which way is better for an indicator: the polarity its RAG rates by, shared by the direction
of travel (SPEC 8.1) and SPC (SPEC 8.2)."""

from __future__ import annotations

from kpixl.core.models import Indicator, Polarity
from kpixl.core.rules import effective_polarity, is_number, parse_polarity


def rating_polarity(
    target: float | None, floor: float | None, polarity: Polarity | str | None = None
) -> Polarity | None:
    """The polarity ``rules.rag`` rates by: given or inferred, and higher is better for a
    Target without a Floor. None without a Target (unless given), or with Target = Floor and
    no Polarity."""
    found = effective_polarity(target, floor, polarity)
    if found is None and floor is None and target is not None and is_number(target):
        return Polarity.HIGHER
    return found


def indicator_polarity(indicator: Indicator) -> Polarity | None:
    """How an indicator's movements read: a KPI as its RAG does, an activity by its Polarity."""
    if indicator.is_kpi:
        return rating_polarity(indicator.target, indicator.floor, indicator.polarity)
    return parse_polarity(indicator.polarity)
