"""Write an offline bundle: kpixl's wheel, its dependencies' wheels, install.cmd, the template.

Everything goes through pip: ``pip wheel`` builds kpixl's wheel from its source tree (as
``pyproject.toml`` declares it), ``pip download --only-binary=:all: --platform win_amd64
--python-version 3.X`` fetches the dependencies for each Windows Python. pip evaluates
environment markers against the machine running it, not ``--platform``, so a dependency
only Windows needs (xlwings' ``pywin32; platform_system == "Windows"``) is read from the
downloaded wheels' metadata and fetched in a second pass. The bundle is written beside
``OUT_DIR`` and moved into place at the end: it is complete or not there.
"""

from __future__ import annotations

import email.parser
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from kpixl.bundle import ENVIRONMENT_WIN, WINDOWS_PYTHONS
from kpixl.errors import KpixlError
from kpixl.template.build import TEMPLATE_NAME, template_bytes

__all__ = ["BundleError", "Target", "build_bundle", "current_target", "windows_targets"]

WHEELS = "wheels"
INSTALLER = "install.cmd"
_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "kpixl")
"""What ``pyproject.toml`` needs to build the wheel (copied, so the checkout is untouched)."""
_WINDOWS_CLAUSE = re.compile(
    r"""(platform_system\s*==\s*["']Windows["']|sys_platform\s*==\s*["']win32["']"""
    r"""|os_name\s*==\s*["']nt["'])"""
)
_TRUE = 'python_version >= "3"'  # true wherever kpixl runs; packaging needs a variable


class BundleError(KpixlError):
    """The bundle cannot be written: no source tree, no network to the package index…"""


@dataclass(frozen=True)
class Target:
    """One Python a bundle carries wheels for: ``wheels/<tag>/``."""

    tag: str  # cp312
    version: str  # 3.12
    platform: str | None  # win_amd64; None: the running platform
    label: str  # for messages: "Windows x64, Python 3.12"

    def pip_options(self) -> list[str]:
        if self.platform is None:
            return []
        return [
            *("--platform", self.platform, "--python-version", self.version),
            *("--implementation", "cp", "--abi", self.tag),
        ]


def windows_targets(versions: Sequence[str] = WINDOWS_PYTHONS) -> list[Target]:
    return [
        Target(f"cp{v.replace('.', '')}", v, "win_amd64", f"Windows x64, Python {v}")
        for v in versions
    ]


def current_target() -> Target:
    major, minor = sys.version_info[:2]
    return Target(
        f"cp{major}{minor}", f"{major}.{minor}", None, f"this machine's Python {major}.{minor}"
    )


def build_bundle(out: Path, targets: Sequence[Target], source: Path | None = None) -> Path:
    """Write the bundle for ``targets`` to the new (or empty) folder ``out``; return ``out``."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BundleError(f"{out} already exists and is not an empty folder: choose a new one.")
    out.parent.mkdir(parents=True, exist_ok=True)
    source = source_tree(source)
    with tempfile.TemporaryDirectory(prefix=".kpixl-bundle-", dir=out.parent) as work:
        staging = Path(work) / "bundle"
        wheel = build_wheel(source, Path(work) / "build")
        extra: list[str] = []  # Windows-only requirements found so far: one pip pass less
        for target in targets:
            extra = download_wheels(wheel, target, staging / WHEELS / target.tag, extra)
        (staging / INSTALLER).write_bytes(installer_text(targets).encode("ascii"))
        (staging / TEMPLATE_NAME).write_bytes(template_bytes())
        if out.exists():
            out.rmdir()
        staging.rename(out)
    return out


def source_tree(root: Path | None = None) -> Path:
    """``root``, or the checkout this kpixl runs from (an editable install), or a BundleError."""
    import kpixl

    root = root or Path(kpixl.__file__).resolve().parents[1]
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file() or 'name = "kpixl"' not in pyproject.read_text("utf-8"):
        raise BundleError(
            f"kpixl bundle builds kpixl's wheel from its source, and the kpixl at {root} was "
            "installed without it: run kpixl bundle from a checkout of the repository "
            "(pip install -e .)."
        )
    return root


def build_wheel(source: Path, work: Path) -> Path:
    """kpixl's wheel, built by pip from a copy of ``source``; its path."""
    tree = work / "source"
    for name in _SOURCES:
        if (source / name).is_dir():
            shutil.copytree(
                source / name, tree / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            tree.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, tree / name)
    _pip(
        "wheel",
        "--no-deps",
        "--wheel-dir",
        str(work / "dist"),
        str(tree),
        doing="build kpixl's wheel",
    )
    (wheel,) = (work / "dist").glob("kpixl-*.whl")
    return wheel


def download_wheels(
    wheel: Path, target: Target, dest: Path, extra: Sequence[str] = ()
) -> list[str]:
    """``wheel`` and every wheel it needs on ``target`` into ``dest``; the extra requirements.

    ``extra`` are requirements to fetch as well (Windows-only ones found for another Python).
    """
    doing = f"download the wheels for {target.label}"
    wanted = [str(wheel), *extra]
    while True:
        _pip(
            "download",
            "--only-binary=:all:",
            *target.pip_options(),
            "--dest",
            str(dest),
            *wanted,
            doing=doing,
        )
        if target.platform is None:
            return []
        missing = sorted(set(windows_only_requirements(dest)) - set(wanted))
        if not missing:
            return wanted[1:]
        wanted += missing


def windows_only_requirements(folder: Path) -> list[str]:
    """Requirements the wheels in ``folder`` declare for Windows only, as unconditional ones.

    The Windows clause of the marker is made true (``python_version >= "3"``) and the rest
    kept, so pip still judges a ``python_version`` part against ``--python-version``.
    """
    found = []
    for wheel in sorted(folder.glob("*.whl")):
        for requirement in _requires(wheel):
            spec, _, marker = requirement.partition(";")
            if "extra" in marker or not _WINDOWS_CLAUSE.search(marker):
                continue
            found.append(f"{spec.strip()}; {_WINDOWS_CLAUSE.sub(_TRUE, marker.strip())}")
    return found


def _requires(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def installer_text(targets: Sequence[Target]) -> str:
    """``install.cmd`` for ``targets``, with Windows (CRLF) line ends."""
    versions = sorted((t.version for t in targets), key=lambda v: tuple(map(int, v.split("."))))
    text = resources.files("kpixl.bundle").joinpath(INSTALLER).read_text("utf-8")
    text = (
        text.replace("@ENVIRONMENT@", ENVIRONMENT_WIN)
        .replace("@PYTHONS@", " ".join(reversed(versions)))
        .replace("@PYTHONS_TEXT@", " or ".join(versions))
    )
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _pip(*args: str, doing: str) -> None:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BundleError(f"could not run pip to {doing} ({exc}); no bundle was written.") from exc
    if done.returncode != 0:
        raise BundleError(
            f"could not {doing} (pip: {_pip_said(done.stderr)}). kpixl bundle needs the network "
            "to the Python package index (PyPI), or PIP_INDEX_URL / PIP_FIND_LINKS pointing at a "
            "mirror that has these wheels; no bundle was written."
        )


def _pip_said(stderr: str) -> str:
    """pip's own one-line reason: its first ``ERROR:`` or ``×`` line, else its last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("ERROR:", "×")):
            return line.removeprefix("ERROR:").removeprefix("×").strip().rstrip(".")
    return lines[-1].rstrip(".") if lines else "no message"
