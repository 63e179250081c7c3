"""The mix chain: what reaches the encoder and the sound card alike.

The voice mix (clips and tones, each clip limited where the plan says so) times
the voice gain, plus the looped, ducked music bed times its gain, rounded to
int16. `coach.audio.levels` decides the gains; the renderer and the live player
both play a `SessionMixer`, so the file and the device get the same samples.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import replace
from typing import Protocol

import numpy as np

from coach.audio.clip import Clip, Samples
from coach.audio.mixer import BlockMixer
from coach.audio.music import DuckEnvelope, MusicBed, MusicInfo
from coach.timeline import Timeline


class ClipSource(Protocol):
    """The clip to play for each cue of a timeline (see `coach.audio.levels.Limits`)."""

    def clip(self, cue: int) -> Clip: ...


class LimitingMixer(BlockMixer):
    """A BlockMixer that plays each cue's limited clip, limiting clips as it reaches them."""

    def __init__(self, timeline: Timeline, limits: ClipSource) -> None:
        super().__init__(replace(timeline, cues=list(timeline.cues)))
        self.limits = limits
        self._starts = [cue.start for cue in timeline.cues]
        self._reach = max((cue.clip.frames for cue in timeline.cues), default=0)
        self._swapped = [False] * len(timeline.cues)

    def render(self, start: int, frames: int) -> Samples:
        cues = self.timeline.cues
        first = bisect.bisect_left(self._starts, start - self._reach)
        for index in range(first, bisect.bisect_left(self._starts, start + frames)):
            if not self._swapped[index]:
                clip = self.limits.clip(index)
                if clip is not cues[index].clip:
                    cues[index] = replace(cues[index], clip=clip)
                self._swapped[index] = True
        return super().render(start, frames)


class SessionMixer:
    """Voice times `voice_gain`, plus an optional ducked bed times `music_gain`, as int16."""

    def __init__(
        self,
        timeline: Timeline,
        voice_gain: float = 1.0,
        music: MusicInfo | None = None,
        music_gain: float = 1.0,
        envelope: DuckEnvelope | None = None,
        voice: BlockMixer | None = None,
    ) -> None:
        self.timeline = timeline
        self.voice = voice if voice is not None else BlockMixer(timeline)
        self.voice_gain = voice_gain
        self.music_gain = music_gain
        self.envelope = envelope or DuckEnvelope.for_timeline(timeline)
        self.music = music
        self._bed: MusicBed | None = None

    def render(self, start: int, frames: int) -> Samples:
        """Samples [start, start + frames) of the finished mix."""
        voice = self.voice.render(start, frames)
        if self.music is None:
            if self.voice_gain == 1.0:
                return voice
            mix = voice.astype(np.float32) * np.float32(self.voice_gain)
        else:
            if self._bed is None:
                self._bed = MusicBed(self.music, self.timeline.sample_rate, start)
            elif self._bed.position != start:
                self._bed.seek(start)
            bed = self._bed.read(frames) * np.float32(self.music_gain)
            if self.envelope.needs_work(start, frames):
                bed *= self.envelope.gains(start, frames)
            mix = voice.astype(np.float32) * np.float32(self.voice_gain) + bed
            end = self.timeline.length - start
            if end < frames:
                mix[max(0, end) :] = 0.0
        np.clip(mix, -32768.0, 32767.0, out=mix)
        result: Samples = np.rint(mix).astype(np.int16)
        return result

    def blocks(
        self, block_frames: int, start: int = 0, stop: int | None = None
    ) -> Iterator[Samples]:
        """The mix from `start` to `stop` (default: the end), in blocks."""
        stop = self.timeline.length if stop is None else stop
        position = start
        while position < stop:
            frames = min(block_frames, stop - position)
            yield self.render(position, frames)
            position += frames

    def take_bed(self, other: SessionMixer) -> None:
        """Continue `other`'s bed decoder (a live mixer replaced by one for a longer timeline)."""
        if other is not self and other._bed is not None:
            self.close()
            self._bed, other._bed = other._bed, None

    def close(self) -> None:
        """Stop the bed's decoder (call when done, or on interruption)."""
        if self._bed is not None:
            self._bed.close()
            self._bed = None
