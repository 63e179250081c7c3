"""The block mixer places every clip at its exact sample, whatever the block size."""

from __future__ import annotations

import numpy as np
import pytest

from coach.audio.clip import Clip
from coach.audio.mixer import BlockMixer
from coach.timeline import ChapterSpan, TimedCue, TimedTone, Timeline


def _timeline() -> Timeline:
    clip_a = Clip(np.full(1000, 1000, dtype=np.int16))
    clip_b = Clip(np.full(500, -2000, dtype=np.int16))
    return Timeline(
        length=10_000,
        cues=[TimedCue(100, "a", "say", 0, clip_a), TimedCue(4000, "b", "say", 0, clip_b)],
        tones=[TimedTone(7000, 300)],
        chapters=[ChapterSpan("one", 0, 10_000)],
    )


@pytest.mark.parametrize("block", [1, 7, 256, 1000, 4096, 20_000])
def test_blocks_join_into_the_same_session(block: int) -> None:
    timeline = _timeline()
    whole = np.concatenate(list(BlockMixer(timeline).blocks(block)))
    assert whole.shape[0] == timeline.length
    assert np.all(whole[:100] == 0)
    assert np.all(whole[100:1100] == 1000)
    assert np.all(whole[1100:4000] == 0)
    assert np.all(whole[4000:4500] == -2000)
    assert np.any(whole[7000:7300] != 0)
    assert np.all(whole[7300:] == 0)


def test_render_past_the_end_is_silence() -> None:
    mixer = BlockMixer(_timeline())
    assert np.all(mixer.render(9_900, 500)[100:] == 0)
