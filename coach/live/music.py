"""A music bed under the live voice, using the renderer's bed and ducking envelope.

The bed streams from ffmpeg and loops; it ducks under every spoken cue exactly as
in a rendered track. The envelope is rebuilt when more chapters are resolved.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from coach.render.music import DuckEnvelope, MusicBed, analyse_music
from coach.speech.base import Samples
from coach.timeline import Timeline

MUSIC_GAIN = 0.35  # the bed sits well under the voice


class LiveMusic:
    """Mixes the looped, ducked bed into the voice blocks the player renders."""

    def __init__(self, path: str, sample_rate: int, gain: float = MUSIC_GAIN) -> None:
        self.info = analyse_music(Path(path), sample_rate)
        self.sample_rate = sample_rate
        self.gain = gain
        self._bed: MusicBed | None = None
        self._envelope: tuple[Timeline, DuckEnvelope] | None = None

    def mix(self, voice: Samples, start: int, timeline: Timeline) -> Samples:
        """`voice` (samples [start, start + len)) with the bed under it."""
        frames = voice.shape[0]
        if self._bed is None:
            self._bed = MusicBed(self.info, self.sample_rate, start)
        elif self._bed.position != start:
            self._bed.seek(start)  # a skip, a back or a --start-at
        if self._envelope is None or self._envelope[0] is not timeline:
            self._envelope = (timeline, DuckEnvelope.for_timeline(timeline))
        envelope = self._envelope[1]
        bed = self._bed.read(frames) * np.float32(self.gain)
        if envelope.needs_work(start, frames):
            bed *= envelope.gains(start, frames)
        mix = voice.astype(np.float32) + bed
        np.clip(mix, -32768.0, 32767.0, out=mix)
        result: Samples = np.rint(mix).astype(np.int16)
        return result

    def close(self) -> None:
        if self._bed is not None:
            self._bed.close()
            self._bed = None
