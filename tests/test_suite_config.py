"""The test suite's own settings hold: a misspelt marker is an error, a hung test is stopped."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO


def _pytest(folder: Path, source: str, *options: str) -> tuple[int, str, float]:
    """Run pytest with this repository's settings on one test file written to `folder`."""
    (folder / "test_sample.py").write_text(source, encoding="utf-8")
    command = [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml")]
    command += ["--rootdir", str(folder), "-p", "no:cacheprovider", *options]
    started = time.monotonic()
    result = subprocess.run(
        [*command, str(folder / "test_sample.py")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def test_a_misspelt_marker_fails_the_run(tmp_path: Path) -> None:
    """Even with warnings not turned into errors (`-p no:warnings`), `@pytest.mark.slwo`
    stops the run instead of quietly marking nothing."""
    source = "import pytest\n\n@pytest.mark.slwo\ndef test_x():\n    pass\n"
    code, output, _ = _pytest(tmp_path, source, "-p", "no:warnings")
    assert code != 0
    assert "'slwo' not found in `markers`" in output


def test_a_hung_test_fails_alone_after_its_time_limit(tmp_path: Path) -> None:
    """The time-limit plugin is installed and active under these settings (a limit of
    2 s stands in for the configured one, which is too long to wait for)."""
    source = (
        "import time\n\ndef test_hangs():\n    time.sleep(600)\n\ndef test_after():\n    pass\n"
    )
    code, output, seconds = _pytest(tmp_path, source, "-o", "timeout=2")
    assert code == 1, output
    assert "Timeout" in output and "1 failed, 1 passed" in output
    assert seconds < 60
