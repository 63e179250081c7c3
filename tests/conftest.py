"""Shared fixtures: a CLI runner, a fake engine with exact clip lengths, paths; tool checks."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

from coach.speech.fake import FakeEngine

REPO = Path(__file__).resolve().parent.parent
ROUTINES = REPO / "routines"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's clip cache from a test."""
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@functools.cache
def portaudio_problem() -> str | None:
    """Why sounddevice cannot load PortAudio on this machine, or None when it can."""
    try:
        import sounddevice  # noqa: F401
    except OSError as error:
        return f"PortAudio cannot load ({error}; Debian: apt install libportaudio2)"
    return None


def require_portaudio() -> None:
    """Skip the calling test, with the reason, where PortAudio's library is missing."""
    problem = portaudio_problem()
    if problem is not None:
        pytest.skip(problem)
