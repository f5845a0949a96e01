"""kpixl: council-style performance dashboards in Excel.

>>> from kpixl import rag, range_alert
>>> rag(0.79, 0.90, 0.85)
<Rag.RED: 'RED'>
>>> range_alert(1040, 840, 1040)
<Alert.YES: 'Yes'>
"""

import os as _os

# openpyxl picks its XML library when first imported: lxml when installed, else the standard
# library guarded by defusedxml. The two serialise differently (``<a/>`` vs ``<a />``, an empty
# ``<v></v>`` for a formula), so kpixl fixes the choice: the same bytes on every machine, and
# parsing always through defusedxml. Set before anything of kpixl imports openpyxl.
_os.environ.setdefault("OPENPYXL_LXML", "False")

from kpixl.core import (  # noqa: E402
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
