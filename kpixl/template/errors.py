"""The error the template build raises: a KpixlError, shown as one sentence by the CLI."""

from __future__ import annotations

from kpixl.errors import KpixlError

__all__ = ["TemplateError"]


class TemplateError(KpixlError):
    """The template cannot be built from the sources on this machine."""
