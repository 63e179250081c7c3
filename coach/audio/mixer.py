"""The voice mix: any span of a Timeline (clips and tones) as samples, streaming.

The session is never held in memory whole: `render_block` mixes only the clips
and tones that touch the requested span, so memory stays flat however long the
session is. The mix chain (`coach.audio.chain`) builds on it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import numpy as np

from coach.audio.clip import Samples
from coach.audio.tones import tone_samples
from coach.timeline import Timeline


class BlockMixer:
    """Mixes any span of a Timeline into int16 samples."""

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self._cue_starts = [cue.start for cue in timeline.cues]
        self._tone_starts = [tone.start for tone in timeline.tones]
        # Cues never overlap, so no cue that starts before the previous cue's start can reach
        # further; the longest clip bounds how far back we must look.
        self._longest_cue = max((cue.clip.frames for cue in timeline.cues), default=0)
        self._longest_tone = max((tone.frames for tone in timeline.tones), default=0)

    def render(self, start: int, frames: int) -> Samples:
        """Samples [start, start + frames) of the session, silence past its end."""
        end = start + frames
        mix = np.zeros(frames, dtype=np.int32)
        timeline = self.timeline
        first = bisect.bisect_left(self._cue_starts, start - self._longest_cue)
        for cue in timeline.cues[first : bisect.bisect_left(self._cue_starts, end)]:
            _add(mix, start, end, cue.start, cue.clip.samples)
        first = bisect.bisect_left(self._tone_starts, start - self._longest_tone)
        for tone in timeline.tones[first : bisect.bisect_left(self._tone_starts, end)]:
            wave = tone_samples(tone.frames, tone.frequency, timeline.sample_rate)
            _add(mix, start, end, tone.start, wave)
        if end > timeline.length:
            mix[max(0, timeline.length - start) :] = 0
        return np.clip(mix, -32768, 32767).astype(np.int16)

    def blocks(self, block_frames: int, start: int = 0) -> Iterator[Samples]:
        """The session from `start` to its end, in blocks of `block_frames` samples."""
        position = start
        while position < self.timeline.length:
            frames = min(block_frames, self.timeline.length - position)
            yield self.render(position, frames)
            position += frames


def _add(mix: np.ndarray, start: int, end: int, at: int, samples: Samples) -> None:
    lo = max(start, at)
    hi = min(end, at + samples.shape[0])
    if lo < hi:
        mix[lo - start : hi - start] += samples[lo - at : hi - at]
