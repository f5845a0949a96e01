"""The pure core: models, rating rules and data checks. No openpyxl, no xlwings."""

from kpixl.core.checks import check_indicator, check_report
from kpixl.core.columns import Column, Computed
from kpixl.core.evaluate import evaluate, rate_indicator
from kpixl.core.models import (
    NOT_AVAILABLE,
    Alert,
    Direction,
    Evaluation,
    Frequency,
    Indicator,
    IndicatorType,
    Person,
    Polarity,
    Problem,
    Rag,
    Report,
    Result,
    ServiceArea,
    Severity,
    Thresholds,
    ThresholdTimeline,
    YtdMethod,
)
from kpixl.core.rules import direction_of_travel, latest, rag, range_alert, ytd

__all__ = [
    "NOT_AVAILABLE",
    "Alert",
    "Column",
    "Computed",
    "Direction",
    "Evaluation",
    "Frequency",
    "Indicator",
    "IndicatorType",
    "Person",
    "Polarity",
    "Problem",
    "Rag",
    "Report",
    "Result",
    "ServiceArea",
    "Severity",
    "ThresholdTimeline",
    "Thresholds",
    "YtdMethod",
    "check_indicator",
    "check_report",
    "direction_of_travel",
    "evaluate",
    "latest",
    "range_alert",
    "rag",
    "rate_indicator",
    "ytd",
]
