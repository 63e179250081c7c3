"""Built as a wheel and installed on its own, coach lists and renders every built-in routine.

The wheel is built from a copy of the sources (so the checkout is left as it was) the
way `pip install coach` gets it: an sdist first, then the wheel from the sdist. It is
installed into a fresh venv and run from another folder, so nothing of the checkout
can be what answers. The venv borrows the test environment's third-party packages
through a .pth file instead of downloading them; that file lists folders, so the
checkout's own editable install (a .pth of its own there) is not picked up.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, ROUTINES
from test_render_support import RATE, decode

pytestmark = pytest.mark.slow

SOURCES = ("pyproject.toml", "README.md", "coach", "routines")
ROUTINE_NAMES = sorted(path.stem for path in ROUTINES.glob("*.yaml"))


def _run(args: list[str | Path], cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    result = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _copy_sources(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    target.mkdir()
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    return target


def _venv(folder: Path) -> Path:
    """A venv without pip (pip is run from outside with --python); its python."""
    _run([sys.executable, "-m", "venv", "--without-pip", folder], cwd=folder.parent)
    return folder / "bin" / "python"


def _lend_packages(python: Path) -> None:
    """Let `python` import the test environment's packages after its own."""
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    own = _run([python, "-c", where], python.parent)
    folders = site.getsitepackages()
    if site.ENABLE_USER_SITE:
        folders.append(site.getusersitepackages())
    borrowed = [path for path in folders if Path(path).is_dir()]
    (Path(own.strip()) / "borrowed.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")


def _pip_install(python: Path, *args: str | Path) -> None:
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", python]
    _run([*pip, "install", "-q", "--no-deps", *args], REPO)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if sys.platform == "win32":
        pytest.skip("the venv layout here is the POSIX one")
    pytest.importorskip("build", reason="the build package is missing: pip install -e '.[test]'")
    return tmp_path_factory.mktemp("install")


@pytest.fixture(scope="module")
def wheel(work: Path) -> Path:
    source = _copy_sources(work / "source")
    dist = work / "dist"
    _run([sys.executable, "-m", "build", "--outdir", dist, source], cwd=work)
    (found,) = dist.glob("coach-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(work: Path, wheel: Path) -> Path:
    """The bin folder of a fresh venv holding only the wheel's coach."""
    python = _venv(work / "venv")
    _pip_install(python, wheel)
    _lend_packages(python)
    return python.parent


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def test_the_wheel_holds_every_file_of_the_package_and_every_routine(wheel: Path) -> None:
    expected = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "coach").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and not path.name.startswith(".")
    }
    expected |= {f"coach/builtin_routines/{path.name}" for path in ROUTINES.glob("*.yaml")}
    expected |= {
        f"coach/builtin_routines/programs/{path.name}"
        for path in (ROUTINES / "programs").glob("*.program.yaml")
    }
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if not name.startswith("coach-")}
    assert sorted(expected - shipped) == []
    assert not any(name.startswith("routines/") for name in shipped)


def test_the_installed_coach_is_the_wheels(installed: Path, elsewhere: Path) -> None:
    where = _run([installed / "python", "-c", "import coach; print(coach.__file__)"], elsewhere)
    assert Path(where.strip()).is_relative_to(installed.parent)


def test_the_installed_coach_lists_every_builtin_routine(installed: Path, elsewhere: Path) -> None:
    table = _run([installed / "coach", "list"], elsewhere)
    listed = sorted(line.split()[0] for line in table.splitlines()[1:] if line.strip())
    assert listed == ROUTINE_NAMES
    assert len(listed) == 7


def test_the_installed_coach_lists_and_shows_every_builtin_program(
    installed: Path, elsewhere: Path
) -> None:
    table = _run([installed / "coach", "program", "list"], elsewhere)
    listed = sorted(line.split()[0] for line in table.splitlines()[1:] if line.strip())
    shipped = sorted(
        path.name.removesuffix(".program.yaml")
        for path in (ROUTINES / "programs").glob("*.program.yaml")
    )
    assert listed == shipped
    assert len(listed) >= 4
    for name in listed:
        data = json.loads(_run([installed / "coach", "program", "show", name, "--json"], elsewhere))
        assert data["sessions"]


@pytest.mark.parametrize("name", ROUTINE_NAMES)
def test_the_installed_coach_renders_each_builtin_routine(
    installed: Path, elsewhere: Path, name: str
) -> None:
    _run([installed / "coach", "render", name, "--engine", "fake", "-o", "out", "-q"], elsewhere)
    out = elsewhere / "out"
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{name}{suffix}" for suffix in (".chapters.json", ".lrc", ".mp3", ".timeline.json", ".vtt")
    )
    seconds = decode(out / f"{name}.mp3").shape[0] / RATE
    planned = json.loads((out / f"{name}.timeline.json").read_text(encoding="utf-8"))["duration"]
    assert seconds > 60
    assert abs(seconds - planned) <= 0.05


def test_an_editable_install_lists_the_checkouts_routines(work: Path, elsewhere: Path) -> None:
    source = _copy_sources(work / "editable")
    python = _venv(work / "venv-editable")
    _pip_install(python, "-e", source)
    _lend_packages(python)
    where = _run([python, "-c", "import coach; print(coach.__file__)"], elsewhere)
    assert Path(where.strip()) == source / "coach" / "__init__.py"
    (source / "routines" / "tabata.yaml").rename(source / "routines" / "my-tabata.yaml")
    table = _run([python.parent / "coach", "list"], elsewhere)
    listed = sorted(line.split()[0] for line in table.splitlines()[1:] if line.strip())
    assert "my-tabata" in listed
    assert len(listed) == 7
