"""Write ``xl/vbaProject.bin`` from VBA source, standard library only.

The file is an MS-CFB compound file (:mod:`.cfb`) holding, per MS-OVBA 2.2:
``PROJECT`` and ``PROJECTwm`` (:mod:`.project`), ``VBA/_VBA_PROJECT`` in its interoperable
seven-byte form, ``VBA/dir`` (:mod:`.dirstream`) and one stream per module holding only the
module's compressed source (:mod:`.compression`). Office compiles the project from source
when it opens the workbook. The same input always gives the same bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from .cfb import write_compound_file
from .compression import compress, decompress
from .dirstream import DirModule, DirReference, build_dir_stream, encode_mbcs
from .errors import OvbaError
from .modules import (
    DEFAULT_REFERENCES,
    OFFICE,
    STDOLE,
    Module,
    Reference,
    check_identifier,
    document_module,
    module_from_bas,
    module_from_cls,
)
from .project import VBA_PROJECT_STREAM, ModuleKind, project_stream, projectwm_stream

__all__ = [
    "DEFAULT_REFERENCES",
    "OFFICE",
    "STDOLE",
    "Module",
    "ModuleKind",
    "OvbaError",
    "Reference",
    "build_vba_project",
    "compress",
    "decompress",
    "default_project_id",
    "encode_mbcs",
    "document_module",
    "module_from_bas",
    "module_from_cls",
]

_ID_NAMESPACE = uuid.UUID("6f1c3a52-2b1e-5a0e-9d7c-4b8e0a7d2c11")


def default_project_id(project_name: str) -> str:
    """A stable ProjectCLSID for ``project_name`` (a name-based UUID, upper case, braced)."""
    return "{" + str(uuid.uuid5(_ID_NAMESPACE, project_name)).upper() + "}"


def build_vba_project(
    modules: Sequence[Module],
    references: Sequence[Reference] = DEFAULT_REFERENCES,
    project_name: str = "VBAProject",
    *,
    project_id: str | None = None,
) -> bytes:
    """The bytes of ``vbaProject.bin`` for ``modules``, in the order given.

    ``project_id`` defaults to :func:`default_project_id`. Raises :class:`OvbaError` for
    duplicate or invalid names, text outside code page 1252, or a module whose source
    would need an uncompressed chunk.
    """
    check_identifier(project_name, "project name")
    seen: set[str] = set()
    for module in modules:
        if module.name.upper() in seen:
            raise OvbaError(f"module name {module.name!r} is used twice")
        seen.add(module.name.upper())
    streams: dict[str, bytes] = {
        "PROJECT": project_stream(
            project_id or default_project_id(project_name),
            [(m.name, m.kind) for m in modules],
            project_name,
        ),
        "PROJECTwm": projectwm_stream([m.name for m in modules]),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": build_dir_stream(
            project_name,
            [DirReference(r.name, r.libid) for r in references],
            [DirModule(m.name, procedural=m.kind == "standard") for m in modules],
        ),
    }
    for module in modules:
        text = encode_mbcs(module.stored_text(), f"source of module {module.name!r}")
        streams[f"VBA/{module.name}"] = compress(text, allow_raw=False)
    return write_compound_file(streams)
