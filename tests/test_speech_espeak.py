"""libespeak-ng from the system or from the espeakng-loader wheel, and the error when neither."""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="libespeak-ng loading is Linux-only"
)

SPEAK = """
import os
from coach.speech.engines import create_engine
from coach.speech.espeak_lib import load_espeak
engine = create_engine("pyttsx3")
clip = engine.synthesize("three")
mapped = {line.split()[-1] for line in open("/proc/self/maps") if "libespeak-ng" in line}
print(load_espeak().source, ",".join(sorted(mapped)), clip.frames, engine.identity())
"""


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, env={**os.environ, **env}, timeout=60, check=False
    )


@linux_only
@pytest.mark.skipif(
    importlib.util.find_spec("espeakng_loader") is None, reason="espeakng-loader not installed"
)
def test_speaks_through_the_wheel_when_the_system_library_is_hidden() -> None:
    import espeakng_loader

    result = _run([sys.executable, "-c", SPEAK], {"COACH_ESPEAK": "bundled"})
    assert result.returncode == 0, result.stderr
    source, paths, frames, identity = result.stdout.split()
    assert source == "bundled"
    wheel = Path(espeakng_loader.get_library_path()).resolve().parent
    # Only the wheel's copy is mapped: the system library was never opened.
    assert all(Path(p).resolve().parent == wheel for p in paths.split(","))
    assert int(frames) > 2000  # "three" is a few thousand samples of sound
    assert "/bundled-" in identity  # wheel clips never share cache entries with system ones


@linux_only
@pytest.mark.skipif(ctypes.util.find_library("espeak-ng") is None, reason="no system espeak-ng")
def test_prefers_the_system_library() -> None:
    result = _run([sys.executable, "-c", SPEAK], {"COACH_ESPEAK": "auto"})
    assert result.returncode == 0, result.stderr
    source, paths, _, identity = result.stdout.split()
    assert source == "system"
    assert "espeakng_loader" not in paths
    assert "/system-" in identity


@linux_only
def test_no_library_anywhere_gives_one_message_with_the_install_commands(tmp_path: Path) -> None:
    # A machine without the wheel: an espeakng_loader that cannot be imported shadows the
    # real one, and COACH_ESPEAK=bundled stands in for a missing system library.
    stub = tmp_path / "espeakng_loader"
    stub.mkdir()
    (stub / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = {
        "COACH_ESPEAK": "bundled",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    result = _run([sys.executable, "-m", "coach", "voices", "--engine", "pyttsx3"], env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "libespeak-ng" in lines[0]
    assert "pip install espeakng-loader" in lines[0]
    assert "apt-get install espeak-ng" in lines[0]


@linux_only
def test_a_bad_switch_value_is_reported() -> None:
    result = _run(
        [sys.executable, "-m", "coach", "voices", "--engine", "pyttsx3"],
        {"COACH_ESPEAK": "sometimes"},
    )
    assert result.returncode == 1
    assert "COACH_ESPEAK='sometimes'" in result.stderr
    assert "Traceback" not in result.stderr
