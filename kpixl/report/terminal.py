"""A plain-text summary of an evaluation for the terminal (``kpixl demo``)."""

from __future__ import annotations

from kpixl.core.models import NOT_AVAILABLE, Alert, Evaluation, Rag
from kpixl.core.periods import month_year_label
from kpixl.report.labels import area_title, groups, label, produced_by, rag_counts

DESCRIPTION_CHARS = 60
REF_CHARS = 7
LABEL_CHARS = 6
_RESET = "\x1b[0m"
_COLOURS = {
    str(Rag.GREEN): "\x1b[32m",
    str(Rag.AMBER): "\x1b[33m",
    str(Rag.RED): "\x1b[31m",
    str(Alert.ABOVE): "\x1b[1m",
    str(Alert.BELOW): "\x1b[1m",
}


def render_table(evaluation: Evaluation, colour: bool = False) -> str:
    """Per service area each KPI's Latest and YTD RAG, then activity alerts; totals last."""
    report = evaluation.report
    lines = [report.title, f"Results up to {month_year_label(report.reporting_month)}"]
    if report.produced_by:
        lines.append(produced_by(report.produced_by))
    kpi_results = []
    for name, pairs in groups(evaluation):
        lines += ["", area_title(name)]
        kpis = [(i, r) for i, r in pairs if i.is_kpi]
        alerts = [(i, r) for i, r in pairs if not i.is_kpi and r.alert is not None]
        if kpis:
            lines.append(_line("Ref", "Indicator description", "Latest", "YTD"))
        for indicator, result in kpis:
            kpi_results.append(result)
            latest, ytd = label(result.latest_rag), label(result.ytd_rag)
            lines.append(_line(indicator.ref, indicator.description, latest, ytd, colour))
        if alerts:
            lines.append(_line("Ref", "Activity indicator", "Range", ""))
        for indicator, result in alerts:
            lines.append(
                _line(indicator.ref, indicator.description, label(result.alert), "", colour)
            )
    lines.append("")
    for is_ytd, heading in ((False, "Latest"), (True, "YTD")):
        counts = rag_counts(kpi_results, is_ytd)
        parts = [f"{_paint(key, colour, len(key))} {count}" for key, count in counts.items()]
        lines.append(f"{heading + ' RAG:':<12}" + "  ".join(parts) + f"  (of {len(kpi_results)})")
    return "\n".join(lines) + "\n"


def _line(ref: str, description: str, first: str, second: str, colour: bool = False) -> str:
    text = f"  {_fit(ref, REF_CHARS)} {_fit(description, DESCRIPTION_CHARS)}"
    text += f"  {_paint(first, colour)}  {_paint(second, colour)}"
    return text.rstrip()


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters (ending ``...`` when cut) and padded."""
    text = " ".join(str(text).split())
    if len(text) > width:
        text = text[: width - 3].rstrip() + "..."
    return f"{text:<{width}}"


def _paint(text: str, colour: bool, width: int = LABEL_CHARS) -> str:
    padded = f"{text:<{width}}"
    if not colour or text not in _COLOURS or text == NOT_AVAILABLE:
        return padded
    return f"{_COLOURS[text]}{text}{_RESET}{padded[len(text) :]}"
