"""Shared fixtures: a CLI runner, a fake engine with exact clip lengths, paths."""

from __future__ import annotations

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
    """Never touch the user's clip cache, or their session log, from a test."""
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
