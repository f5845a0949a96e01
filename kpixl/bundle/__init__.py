"""``kpixl bundle OUT_DIR``: an offline, per-user installer for Windows (SPEC section 8.6).

The bundle holds kpixl's wheel, the wheels of its dependencies for Windows x64 and each
supported Python, ``install.cmd`` (a per-user virtual environment under ``%LOCALAPPDATA%``,
no admin rights, no network) and ``workbook_template.xlsm``. The constants here are the one
place that names the per-user environment: the template's ``Interpreter_Win`` and
``install.cmd`` both use them, so the workbook always points where the installer installs.
"""

from __future__ import annotations

__all__ = ["ENVIRONMENT_WIN", "INTERPRETER_WIN", "WINDOWS_PYTHONS"]

ENVIRONMENT_WIN = r"%LOCALAPPDATA%\kpixl\venv"
"""The per-user virtual environment ``install.cmd`` creates (expanded on each PC)."""
INTERPRETER_WIN = ENVIRONMENT_WIN + r"\Scripts\pythonw.exe"
"""The template's ``Interpreter_Win``: an environment variable, never a person's path.

xlwings 0.37.8 expands it: ``GetConfig`` in ``xlwings.bas`` passes every setting it reads
(sheet, directory file, user file, default) through ``ExpandEnvironmentStrings``, which is
``WScript.ExpandEnvironmentStrings`` on Windows. ``pythonw.exe`` is xlwings' own default
(no console window); xlwings finds its DLL in the environment's root (``XLPyLoadDLL``'s
"Virtualenv" case: the parent of ``Scripts``).
"""
WINDOWS_PYTHONS = ("3.11", "3.12", "3.13")
"""The Python versions a Windows bundle carries wheels for (kpixl needs 3.11 or newer)."""
