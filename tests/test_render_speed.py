"""Exercise mode's shared encoder: consecutive tracks cut from one stream, with a fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_render_support import decode, make_timeline

from coach.audio import ffmpeg
from coach.render import encode
from coach.render.render import render_timeline


def test_an_ffmpeg_without_the_split_filter_still_renders_the_same_tracks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_timeline(make_timeline(), tmp_path / "cut", split="exercise", jobs=1)
    # As an ffmpeg older than 4.4 would answer: no such filter.
    monkeypatch.setattr(ffmpeg, "SPLIT_FILTER", ffmpeg.SPLIT_FILTER + "-missing")
    piped: list[int] = []
    original = ffmpeg.start_multi_encoder

    def counting(*args: Any) -> Any:
        piped.append(1)
        return original(*args)

    monkeypatch.setattr(encode, "start_multi_encoder", counting)
    render_timeline(make_timeline(), tmp_path / "piped", split="exercise", jobs=1)
    assert piped == [1]  # the fallback ran
    cut = sorted((tmp_path / "cut").glob("*/*.mp3"))
    assert len(cut) > 1
    for path in cut:
        other = tmp_path / "piped" / path.parent.name / path.name
        assert np.array_equal(decode(path), decode(other))
    assert not list(tmp_path.glob("**/*.part"))
