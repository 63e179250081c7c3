"""A music bed under the voice: streamed from any audio file, looped, ducked under speech.

`SessionMixer` renders any span of a Timeline with the voice (scaled by one
gain) over an optional bed. The bed is decoded by ffmpeg on the fly and looped;
a `DuckEnvelope` lowers it smoothly around every spoken cue, with raised-cosine
ramps that finish before the first syllable and start after the last. Blocks are
rendered in order (a jump re-opens the decoder at the new place), so the same
class serves the MP3 renderer and the live player.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from coach.audio.clip import Samples
from coach.audio.ffmpeg import FFmpeg, start_decoder
from coach.audio.loudness import stream_power
from coach.errors import CoachError, InputError
from coach.timeline import Timeline

Floats = npt.NDArray[np.float32]

DUCK_DB = 14.0  # how far the bed drops under speech
RAMP_SECONDS = 0.15  # length of each fade down and up
MERGE_SECONDS = 0.6  # speech gaps shorter than this keep the bed down
READ_FRAMES = 16384


@dataclass(frozen=True)
class MusicInfo:
    """What the renderer needs to know about a bed before mixing it."""

    path: Path
    frames: int  # decoded length at the session's sample rate
    power: float  # gated K-weighted mean square, full scale = 1


def _decoded_chunks(path: Path, sample_rate: int, offset: float = 0.0) -> Iterator[Samples]:
    decoder = start_decoder(path, sample_rate, offset)
    try:
        while True:
            data = decoder.stdout.read(READ_FRAMES * 2)
            if not data:
                break
            if len(data) % 2:
                data += decoder.stdout.read(1)
            yield np.frombuffer(data, dtype="<i2").astype(np.int16)
        decoder.finish(f"decoding {path.name}")
    except BaseException:
        decoder.kill()
        raise


def analyse_music(path: Path, sample_rate: int) -> MusicInfo:
    """Decode `path` once (streaming) to learn its length and loudness."""
    if not path.is_file():
        raise InputError(f"{path}: music file not found")
    frames = 0

    def counted() -> Iterator[Samples]:
        nonlocal frames
        for chunk in _decoded_chunks(path, sample_rate):
            frames += chunk.shape[0]
            yield chunk

    try:
        power = stream_power(counted(), sample_rate)
    except CoachError as error:
        raise InputError(f"{path}: cannot be read as audio ({error})") from error
    if frames == 0:
        raise InputError(f"{path}: contains no audio")
    return MusicInfo(path, frames, power)


class MusicBed:
    """The bed as an endless stream of float samples (int16 scale), looped.

    The decoder of the next loop is started on another thread while this one plays,
    so the live player's audio thread never waits for ffmpeg to start at a loop."""

    def __init__(self, info: MusicInfo, sample_rate: int, start: int = 0) -> None:
        self.info = info
        self.sample_rate = sample_rate
        self.position = 0
        self._decoder: FFmpeg | None = None
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-bed")
        self._next: Future[FFmpeg] | None = None
        self._pending = np.zeros(0, dtype=np.float32)
        self.seek(start)

    def seek(self, session_frame: int) -> None:
        """Continue the bed from where it would be at `session_frame` of the loop."""
        self.close()
        self.position = session_frame
        offset = session_frame % self.info.frames
        self._decoder = start_decoder(self.info.path, self.sample_rate, offset / self.sample_rate)
        self._next = self._starter.submit(start_decoder, self.info.path, self.sample_rate)
        self._pending = np.zeros(0, dtype=np.float32)

    def read(self, frames: int) -> Floats:
        """The next `frames` samples of the looped bed."""
        parts = [self._pending]
        have = self._pending.shape[0]
        while have < frames:
            assert self._decoder is not None
            data = self._decoder.stdout.read(READ_FRAMES * 2)
            if len(data) % 2:
                data += self._decoder.stdout.read(1)
            if not data:
                self._decoder.finish(f"decoding {self.info.path.name}")
                self._decoder = self._next_loop()
                continue
            chunk = np.frombuffer(data, dtype="<i2").astype(np.float32)
            parts.append(chunk)
            have += chunk.shape[0]
        joined = np.concatenate(parts)
        self._pending = joined[frames:]
        self.position += frames
        return joined[:frames]

    def _next_loop(self) -> FFmpeg:
        """The decoder of the loop from the start (made ahead), and the next one started."""
        upcoming = self._next
        self._next = self._starter.submit(start_decoder, self.info.path, self.sample_rate)
        if upcoming is None:
            return start_decoder(self.info.path, self.sample_rate)
        return upcoming.result()

    def close(self) -> None:
        """Stop the decoders (this loop's and the next one's)."""
        if self._decoder is not None:
            self._decoder.kill()
            self._decoder = None
        upcoming, self._next = self._next, None
        if upcoming is not None:
            upcoming.add_done_callback(_kill_started)


def _kill_started(started: Future[FFmpeg]) -> None:
    if started.exception() is None:
        started.result().kill()


class DuckEnvelope:
    """Bed gain (linear) at any sample: 1 in the clear, `depth` under speech."""

    def __init__(
        self,
        spans: Sequence[tuple[int, int]],
        sample_rate: int,
        depth_db: float = DUCK_DB,
        ramp_seconds: float = RAMP_SECONDS,
        merge_seconds: float = MERGE_SECONDS,
    ) -> None:
        self.ramp = max(1, int(ramp_seconds * sample_rate))
        self.depth_db = depth_db
        merge = int(merge_seconds * sample_rate) + 2 * self.ramp
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start - merged[-1][1] < merge:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = np.array([s for s, _ in merged], dtype=np.int64)
        self.ends = np.array([e for _, e in merged], dtype=np.int64)

    @classmethod
    def for_timeline(cls, timeline: Timeline, **options: float) -> DuckEnvelope:
        spans = [(cue.start, cue.end) for cue in timeline.cues]
        return cls(spans, timeline.sample_rate, **options)

    def coverage(self, positions: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        """How ducked the bed is at each position, from 0 (clear) to 1 (fully down)."""
        result = np.zeros(positions.shape[0])
        if self.starts.size == 0:
            return result
        index = np.searchsorted(self.starts, positions, side="right") - 1
        # The span that began at or before each position: inside it, or fading back up after it.
        has = index >= 0
        safe = np.maximum(index, 0)
        after = positions - self.ends[safe]
        inside = has & (after < 0)
        release = has & (after >= 0) & (after < self.ramp)
        result[inside] = 1.0
        result[release] = 0.5 + 0.5 * np.cos(np.pi * after[release] / self.ramp)
        # The next span: fading down before it starts.
        nxt = np.minimum(index + 1, self.starts.size - 1)
        before = self.starts[nxt] - positions
        attack = (index + 1 < self.starts.size) & (before > 0) & (before <= self.ramp)
        fade = 0.5 + 0.5 * np.cos(np.pi * before[attack] / self.ramp)
        result[attack] = np.maximum(result[attack], fade)
        return result

    def gains(self, start: int, frames: int) -> Floats:
        """Linear bed gain for samples [start, start + frames)."""
        cover = self.coverage(np.arange(start, start + frames, dtype=np.int64))
        return (10.0 ** (-self.depth_db * cover / 20.0)).astype(np.float32)

    def needs_work(self, start: int, frames: int) -> bool:
        """False when the whole span is in the clear (gain 1 everywhere)."""
        first = int(np.searchsorted(self.ends, start - self.ramp, side="left"))
        return first < self.starts.size and int(self.starts[first]) - self.ramp <= start + frames
