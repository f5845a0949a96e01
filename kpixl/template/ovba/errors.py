"""The one exception the VBA project writer raises."""

from __future__ import annotations

from kpixl.template.errors import TemplateError

__all__ = ["OvbaError"]


class OvbaError(TemplateError):
    """Input the VBA project writer cannot turn into a valid file (bad name, text, data).

    A :class:`~kpixl.errors.KpixlError`, so ``kpixl template`` shows its sentence, not an
    "unexpected error"."""
