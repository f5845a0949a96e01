"""Print the VBA wrappers xlwings' own ``generate_vba_wrapper`` writes for ``kpixl.udfs``.

Run in a separate process (it changes ``sys.modules`` and ``xlwings.func``): the Windows-only
modules ``xlwings.udfs`` imports (pythoncom, pywintypes, win32com) are stubbed, and
``xlwings.func``/``arg``/``ret`` are pointed at the real decorators of ``xlwings.udfs`` before
``kpixl.udfs`` is imported, as they are on Windows.
"""

from __future__ import annotations

import io
import sys
import types

for _name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[_name] = types.ModuleType(_name)
sys.modules["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
sys.modules["pywintypes"].com_error = Exception  # type: ignore[attr-defined]
sys.modules["win32com.client"].Dispatch = None  # type: ignore[attr-defined]

import xlwings  # noqa: E402
import xlwings.udfs  # noqa: E402

setattr(xlwings, "func", xlwings.udfs.xlfunc)  # noqa: B010 - replaces the off-Windows no-ops
setattr(xlwings, "arg", xlwings.udfs.xlarg)  # noqa: B010
setattr(xlwings, "ret", xlwings.udfs.xlret)  # noqa: B010

import kpixl.udfs  # noqa: E402

out = io.StringIO()
book = types.SimpleNamespace(Name="workbook_template.xlsm")
xlwings.udfs.generate_vba_wrapper("kpixl.udfs", kpixl.udfs, out, book)  # type: ignore[no-untyped-call]
sys.stdout.write(out.getvalue())
