"""kpixl: council-style performance dashboards in Excel.

>>> from kpixl import rag, range_alert
>>> rag(0.79, 0.90, 0.85)
<Rag.RED: 'RED'>
>>> range_alert(1040, 840, 1040)
<Alert.YES: 'Yes'>
"""

from kpixl.core import (
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
    YtdMethod,
    evaluate,
    rag,
    range_alert,
)
from kpixl.errors import KpixlError
from kpixl.sample import load_sample

__version__ = "0.1.0"

__all__ = [
    "NOT_AVAILABLE",
    "Alert",
    "Direction",
    "Evaluation",
    "Frequency",
    "Indicator",
    "IndicatorType",
    "KpixlError",
    "Person",
    "Polarity",
    "Problem",
    "Rag",
    "Report",
    "Result",
    "ServiceArea",
    "Severity",
    "YtdMethod",
    "__version__",
    "evaluate",
    "load_sample",
    "range_alert",
    "rag",
]
