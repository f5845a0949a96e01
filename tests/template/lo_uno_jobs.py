"""Run jobs in one headless LibreOffice through its UNO bridge; print the results as JSON.

Run by the system Python that has ``uno`` (``/usr/bin/python3``), not by the project's
virtualenv: ``python3 lo_uno_jobs.py SOFFICE PROFILE_DIR JOBS_JSON``. Each job loads one
workbook with macros allowed (MacroExecutionMode 4, ALWAYS_EXECUTE_NO_WARN), then:

* ``"store": [[path, filter], ...]`` saves it under other formats (``calc8``, ``calc_pdf_Export``);
* ``"call": [[script_uri, [args]], ...]`` runs Basic/VBA macros and records what they return;
* ``"cells": [[sheet, address], ...]`` reads cell values after the calls.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

ALWAYS_EXECUTE_NO_WARN = 4


def _props(**values: object) -> tuple[object, ...]:
    return tuple(PropertyValue(name, 0, value, 0) for name, value in values.items())


def _connect(pipe: str) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _cell(doc: object, sheet: str, address: str) -> object:
    cell = doc.Sheets.getByName(sheet).getCellRangeByName(address)  # type: ignore[attr-defined]
    return cell.getString() if cell.getType().value == "TEXT" else cell.getValue()


def run(jobs: list[dict[str, object]], desktop: object) -> list[dict[str, object]]:
    results = []
    for job in jobs:
        url = uno.systemPathToFileUrl(os.path.abspath(str(job["load"])))
        doc = desktop.loadComponentFromURL(  # type: ignore[attr-defined]
            url, "_blank", 0, _props(Hidden=True, MacroExecutionMode=ALWAYS_EXECUTE_NO_WARN)
        )
        result: dict[str, object] = {"returned": [], "cells": []}
        try:
            for path, filter_name in job.get("store", []):  # type: ignore[attr-defined]
                target = uno.systemPathToFileUrl(os.path.abspath(path))
                doc.storeToURL(target, _props(FilterName=filter_name))
            provider = doc.getScriptProvider()
            for uri, args in job.get("call", []):  # type: ignore[attr-defined]
                returned, _, _ = provider.getScript(uri).invoke(tuple(args), (), ())
                result["returned"].append(returned)  # type: ignore[attr-defined]
            for sheet, address in job.get("cells", []):  # type: ignore[attr-defined]
                result["cells"].append(_cell(doc, sheet, address))  # type: ignore[attr-defined]
        finally:
            doc.close(True)
        results.append(result)
    return results


def main() -> None:
    soffice, profile, jobs_json = sys.argv[1:4]
    pipe = f"kpixl-{uuid.uuid4().hex}"
    process = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(os.path.abspath(profile))}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        context = _connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext(  # type: ignore[attr-defined]
            "com.sun.star.frame.Desktop", context
        )
        with open(jobs_json, encoding="utf-8") as handle:
            results = run(json.load(handle), desktop)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge closes as LibreOffice exits
        print(json.dumps(results))
    finally:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
