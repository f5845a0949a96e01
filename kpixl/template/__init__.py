"""Builder of ``workbook_template.xlsm`` from the text sources in this package.

``build_template(out)`` is the one build step (``kpixl template [OUT]``). The VBA project
writer is :mod:`kpixl.template.ovba`.
"""

from __future__ import annotations

from kpixl.template.build import TEMPLATE_NAME, build_template, template_bytes
from kpixl.template.errors import TemplateError

__all__ = ["TEMPLATE_NAME", "TemplateError", "build_template", "template_bytes"]
