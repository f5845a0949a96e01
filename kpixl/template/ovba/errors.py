"""The one exception the VBA project writer raises."""

from __future__ import annotations

__all__ = ["OvbaError"]


class OvbaError(ValueError):
    """Input the VBA project writer cannot turn into a valid file (bad name, text, data)."""
