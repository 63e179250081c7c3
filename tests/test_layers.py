"""The layers of docs/ARCHITECTURE.md hold: import-linter's contracts (pyproject.toml),
no import cycles between modules, and one registry style for engines and outputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.live.outputs import OUTPUTS
from coach.speech.engines import ENGINES

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept() -> None:
    """`lint-imports`, run on this checkout's coach (whatever else is installed)."""
    pytest.importorskip("importlinter", reason="import-linter is in the test extra")
    run = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    done = subprocess.run(
        [sys.executable, "-c", run, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_no_module_imports_itself_back() -> None:
    """A cycle (a -> b -> ... -> a, lazy imports included) would make the layers a lie."""
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter")
    sys.path.insert(0, str(ROOT))
    try:
        graph = grimp.build_graph("coach", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back is not None and "coach" not in (module, imported):  # coach.main runs the CLI
                cycles.append(" -> ".join((module, *back)))
    assert not cycles, "\n".join(cycles)


@pytest.mark.parametrize(
    ("table", "name"),
    [*((ENGINES, name) for name in ENGINES), *((OUTPUTS, name) for name in OUTPUTS)],
)
def test_every_backend_is_listed_under_its_own_name(table: dict, name: str) -> None:  # type: ignore[type-arg]
    try:
        backend = table[name]()
    except ImportError as error:  # an optional extra that is not installed
        pytest.skip(f"{name}: {error}")
    assert name == backend.NAME
