"""``kpixl bundle``: real bundles built by pip, installed with the network cut off.

These tests need the network to the package index to build a bundle (pip downloads the
wheels; pip keeps them in its cache, so a second run is quicker): 40-65 s for the Windows
bundle, 25-45 s for the current platform's build-install-demo, on a busy 2-core machine.
The install itself runs in a network namespace without network (``unshare --net``) and
with pip's configuration and ``PIP_*`` variables removed, so only the bundle's own wheels
can satisfy it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest

from kpixl.bundle import ENVIRONMENT_WIN, INTERPRETER_WIN, WINDOWS_PYTHONS
from kpixl.bundle.build import INSTALLER, WHEELS, current_target
from kpixl.template.build import TEMPLATE_NAME, template_bytes

pytestmark = pytest.mark.slow
_WINDOWS_TAGS = [f"cp{v.replace('.', '')}" for v in WINDOWS_PYTHONS]
_PURE = re.compile(r"-py[23][^-]*-none-any\.whl$")


def _kpixl(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kpixl.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


@cache
def _no_network() -> list[str]:
    """A command prefix that runs without any network, or [] where that cannot be done."""
    prefix = ["unshare", "--net", "--map-root-user"]
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else []


def _offline_env() -> dict[str, str]:
    """The environment without pip's settings (find-links, index) and without PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.pop("PYTHONPATH", None)
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}


@pytest.fixture(scope="module")
def windows_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("windows") / "kpixl-bundle"
    done = _kpixl("bundle", str(out), cwd=out.parent)
    assert 0 == done.returncode, done.stderr
    return out


def test_windows_bundle_holds_installer_template_and_wheels(windows_bundle: Path) -> None:
    assert sorted([INSTALLER, TEMPLATE_NAME, WHEELS]) == sorted(
        p.name for p in windows_bundle.iterdir()
    )
    assert _WINDOWS_TAGS == sorted(p.name for p in (windows_bundle / WHEELS).iterdir())


@pytest.mark.parametrize("tag", _WINDOWS_TAGS)
@pytest.mark.parametrize(
    "project",
    ["kpixl", "xlwings", "pywin32", "openpyxl", "pydantic", "pydantic_core", "defusedxml"],
)
def test_windows_bundle_has_each_wheel_for_each_python(
    windows_bundle: Path, tag: str, project: str
) -> None:
    wheels = [p.name for p in (windows_bundle / WHEELS / tag).glob(f"{project}-*.whl")]
    assert 1 == len(wheels), wheels
    (wheel,) = wheels
    assert _PURE.search(wheel) or wheel.endswith(f"-{tag}-{tag}-win_amd64.whl"), wheel


@pytest.mark.parametrize("tag", _WINDOWS_TAGS)
def test_windows_bundle_has_only_wheels_that_install_there(windows_bundle: Path, tag: str) -> None:
    wheels = [p.name for p in (windows_bundle / WHEELS / tag).iterdir()]
    assert [] == [w for w in wheels if not (_PURE.search(w) or f"-{tag}-win_amd64.whl" in w)]


def test_windows_bundle_pins_xlwings_as_the_template_needs(windows_bundle: Path) -> None:
    """The template's VBA is xlwings 0.37.8's: the bundle installs exactly that xlwings, whose
    wheel puts its DLL in the environment's root, where ``XLPyLoadDLL`` looks (the parent of
    the ``Scripts`` folder of ``Interpreter_Win``)."""
    for tag in _WINDOWS_TAGS:
        (wheel,) = (windows_bundle / WHEELS / tag).glob("xlwings-*.whl")
        assert wheel.name.startswith("xlwings-0.37.8-")
        with zipfile.ZipFile(wheel) as archive:
            assert "xlwings-0.37.8.data/data/xlwings64-0.37.8.dll" in archive.namelist()
    assert INTERPRETER_WIN.rsplit("\\", 2)[0] == ENVIRONMENT_WIN


def test_windows_bundle_template_is_the_template(windows_bundle: Path) -> None:
    assert template_bytes() == (windows_bundle / TEMPLATE_NAME).read_bytes()


def test_windows_bundle_installer_offers_each_python(windows_bundle: Path) -> None:
    text = (windows_bundle / INSTALLER).read_bytes().decode("ascii")
    assert "\n" not in text.replace("\r\n", "")  # cmd.exe wants CRLF line ends
    assert f"for %%V in ({' '.join(reversed(WINDOWS_PYTHONS))}) do" in text
    assert f'set "ENVIRONMENT={ENVIRONMENT_WIN}"' in text
    assert "--no-index --find-links" in text
    assert "@" not in text.replace("@echo off", "")  # every placeholder filled


def test_bundle_for_this_platform_installs_offline_and_runs_the_demo(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    done = _kpixl("bundle", "--platform", "current", str(bundle), cwd=tmp_path)
    assert 0 == done.returncode, done.stderr
    wheels = bundle / WHEELS / current_target().tag
    assert [current_target().tag] == [p.name for p in (bundle / WHEELS).iterdir()]

    venv, offline, env = tmp_path / "venv", _no_network(), _offline_env()
    run = {"capture_output": True, "text": True, "env": env, "cwd": tmp_path, "check": False}
    made = subprocess.run([*offline, sys.executable, "-m", "venv", str(venv)], **run)  # type: ignore[call-overload]
    assert 0 == made.returncode, made.stderr
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index"]
    installed = subprocess.run([*offline, *pip, "--find-links", str(wheels), "kpixl"], **run)  # type: ignore[call-overload]
    assert 0 == installed.returncode, installed.stderr

    where = subprocess.run(  # type: ignore[call-overload]
        [*offline, str(venv / "bin" / "python"), "-c", "import kpixl; print(kpixl.__file__)"], **run
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)  # the bundle's kpixl, not the checkout
    demo = subprocess.run([*offline, str(venv / "bin" / "kpixl"), "demo", "demo.xlsm"], **run)  # type: ignore[call-overload]
    assert 0 == demo.returncode, demo.stderr
    assert "Wrote demo.xlsm" in demo.stdout
    assert (tmp_path / "demo.xlsm").stat().st_size > 10_000


def test_bundle_without_network_says_so_and_writes_nothing(tmp_path: Path) -> None:
    if not _no_network():
        pytest.skip("cannot cut the network off here (unshare --net)")
    env = {**_offline_env(), "PIP_RETRIES": "0", "PIP_TIMEOUT": "5"}
    env.pop("PIP_NO_INDEX")
    done = subprocess.run(
        [*_no_network(), sys.executable, "-m", "kpixl.cli", "bundle", "out"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert 2 == done.returncode
    assert done.stderr.startswith("kpixl: could not build kpixl's wheel (pip: ")
    assert "kpixl bundle needs the network" in done.stderr
    assert 1 == len(done.stderr.strip().splitlines())
    assert "Traceback" not in done.stderr
    assert [] == [p.name for p in tmp_path.iterdir()]
