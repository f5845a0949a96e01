"""The bundle's parts that need no network: Windows-only requirements, install.cmd's text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from kpixl.bundle import ENVIRONMENT_WIN, WINDOWS_PYTHONS
from kpixl.bundle.build import (
    BundleError,
    build_bundle,
    installer_text,
    windows_only_requirements,
    windows_targets,
)
from kpixl.cli import main


def _wheel(folder: Path, name: str, requires: list[str]) -> None:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        ('pywin32>=224; platform_system == "Windows"', 'pywin32>=224; python_version >= "3"'),
        ("colorama; sys_platform == 'win32'", 'colorama; python_version >= "3"'),
        (
            'tzdata; os_name == "nt" and python_version < "3.12"',
            'tzdata; python_version >= "3" and python_version < "3.12"',
        ),
        ('psutil>=2.0.0; platform_system == "Darwin"', None),
        ('black; extra == "all" and platform_system == "Windows"', None),
        ("defusedxml", None),
    ],
)
def test_windows_only_requirements(tmp_path: Path, requirement: str, expected: str | None) -> None:
    _wheel(tmp_path, "demo", [requirement])
    assert ([expected] if expected else []) == windows_only_requirements(tmp_path)


def test_xlwings_own_metadata_asks_for_pywin32_on_windows_only() -> None:
    """The reason for the second pip pass: the installed xlwings declares it this way."""
    from importlib.metadata import requires

    windows = [r for r in requires("xlwings") or [] if "Windows" in r and "extra" not in r]
    assert [] != windows and all(r.startswith("pywin32") for r in windows)


def test_installer_lists_the_pythons_newest_first_and_uses_crlf() -> None:
    text = installer_text(windows_targets())
    assert "for %%V in (3.13 3.12 3.11) do if not defined PYTHON" in text
    assert "64-bit Python 3.11 or 3.12 or 3.13" in text
    assert f'set "ENVIRONMENT={ENVIRONMENT_WIN}"' in text
    assert text.count("\r\n") == text.count("\n")
    assert text.isascii()
    assert ("3.11", "3.12", "3.13") == WINDOWS_PYTHONS


def test_installer_never_reaches_an_index() -> None:
    text = installer_text(windows_targets())
    installs = [line for line in text.splitlines() if " pip install " in line]
    assert 1 == len(installs) and "--no-index --find-links" in installs[0]
    assert 'set "PIP_CONFIG_FILE=nul"' in text


def test_bundle_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(BundleError, match="not an empty folder"):
        build_bundle(tmp_path / "out", windows_targets())
    assert ["keep.txt"] == [p.name for p in (tmp_path / "out").iterdir()]


def test_bundle_needs_a_source_tree(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="from a checkout of the repository"):
        build_bundle(tmp_path / "out", windows_targets(), source=tmp_path)
    assert not (tmp_path / "out").exists()


def test_cli_says_in_one_sentence_why_it_cannot_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").write_text("a file")
    assert 2 == main(["bundle", str(tmp_path / "out")])
    assert "out already exists and is not an empty folder" in capsys.readouterr().err


def test_installer_jumps_only_to_labels_it_has() -> None:
    """No cmd.exe here to run it: at least every goto/call target exists, once."""
    lines = installer_text(windows_targets()).split("\r\n")
    labels = [line[1:] for line in lines if line.startswith(":")]
    targets = {t for line in lines for t in re.findall(r"(?:goto|call) :(\w+)", line)}
    assert len(labels) == len(set(labels))
    assert targets == set(labels)
