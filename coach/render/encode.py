"""Loudness planning and the streaming MP3 encode.

The whole session is planned before a sample is encoded: its integrated loudness
is computed from the timeline (see `loudness`), one linear gain brings it to
TARGET_LUFS, and any clip whose peaks that gain would push over the ceiling is
limited on its own, once (a smooth look-ahead gain that touches only the peaks,
so onsets stay where they are). Then blocks are mixed and piped into ffmpeg,
never holding more than one block of the session.

Output stays at the timeline's 22.05 kHz: every clip is made at that rate, so
resampling to 44.1 kHz would add nothing audible to speech, double the encoder's
work and move samples through a filter; MPEG-2 Layer III at 22.05 kHz plays on
every phone and car stereo.
"""

from __future__ import annotations

import bisect
import math
import os
import selectors
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from coach.audio import BlockMixer
from coach.errors import CoachError
from coach.render import plancache
from coach.render.ffmpeg import (
    SPLIT_FILTER,
    FFmpeg,
    start_encoder,
    start_multi_encoder,
    start_split_encoder,
)
from coach.render.loudness import (
    BinnedEnergy,
    to_lufs,
    tone_energies,
    weighted_energy,
)
from coach.render.music import DuckEnvelope, MusicInfo, SessionMixer, analyse_music
from coach.speech.base import Clip, Samples
from coach.timeline import Timeline

TARGET_LUFS = -16.0
CEILING_DBFS = -1.0
BED_LEVEL_LU = -8.0  # the bed's own loudness relative to the voice, before ducking
MAX_GAIN_DB = 30.0  # never amplify a near-silent session into noise
# libmp3lame in constant-bitrate mode scales its input by 0.95 (-0.45 dB, measured at every
# bitrate, level and frequency); the plan makes up for it so the decoded file meets the target.
ENCODER_SCALE = 0.95
BLOCK_FRAMES = 32768
LIMIT_WINDOW_SECONDS = 0.005

PLAN_WORKERS = 2  # threads measuring and limiting clips while the plan is made

Progress = Callable[[int], None]
Floats = npt.NDArray[np.float64]
ClipMap = Callable[[Callable[[int], Any], Iterable[int]], Iterator[Any]]


@dataclass(frozen=True)
class MixPlan:
    """Gains decided before encoding, and the timeline to play.

    With `limits`, the clips that the gain would push over the ceiling are limited as
    the mixer first reaches them (while ffmpeg encodes), not before the first sample."""

    timeline: Timeline
    voice_gain: float
    music: MusicInfo | None
    music_gain: float
    loudness: float  # LUFS of the plan, as predicted
    envelope: DuckEnvelope
    limits: Limits | None = None

    def mixer(self) -> SessionMixer:
        """A fresh mixer for this plan (one per track: each owns its bed decoder)."""
        voice = None if self.limits is None else LimitingMixer(self.timeline, self.limits)
        return SessionMixer(
            self.timeline, self.voice_gain, self.music, self.music_gain, self.envelope, voice
        )

    @property
    def sample_rate(self) -> int:
        return self.timeline.sample_rate

    def ready(self) -> MixPlan:
        """This plan (see PendingPlan)."""
        return self


class PendingPlan:
    """A MixPlan being made on another thread.

    Encoders take either: they start ffmpeg at once and wait for the plan only when
    they need the first sample, so ffmpeg's start-up overlaps the planning."""

    def __init__(
        self, timeline: Timeline, music: Path | None = None, remember: Path | None = None
    ) -> None:
        self.sample_rate = timeline.sample_rate
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-planner")
        self._future = pool.submit(plan_mix, timeline, music, remember=remember)
        pool.shutdown(wait=False)

    def ready(self) -> MixPlan:
        """The plan, once made (raises what planning raised)."""
        return self._future.result()


PlanSource = MixPlan | PendingPlan


def plan_mix(
    timeline: Timeline,
    music: Path | None = None,
    target: float = TARGET_LUFS,
    workers: int | None = None,
    remember: Path | None = None,
) -> MixPlan:
    """Measure the session and choose the gains that bring it to `target` LUFS.

    The work per distinct clip (its energy, its limited versions) runs on `workers`
    threads (default: one per core, at most PLAN_WORKERS); numpy releases the GIL
    in its FFTs and loops, and the results are summed in one fixed order, so the
    plan is the same whatever the number of threads. With `remember` (a folder), a
    plan without music is kept there and reused for the same session (see plancache)."""
    window = max(1, int(LIMIT_WINDOW_SECONDS * timeline.sample_rate))
    key = ""
    if remember is not None and music is None:
        settings = f"{target!r} {CEILING_DBFS!r} {ENCODER_SCALE!r} {MAX_GAIN_DB!r} {window}"
        key = plancache.plan_key(timeline, settings)
        known = plancache.recall(remember, key)
        if known is not None:
            clips = _SessionClips(timeline, window, map)
            limits = Limits(clips, _ceiling(known.gain_db))
            gain = 10 ** (known.gain_db / 20) / ENCODER_SCALE
            envelope = DuckEnvelope.for_timeline(timeline)
            return MixPlan(timeline, gain, None, 0.0, known.loudness, envelope, limits)
    count = workers if workers is not None else min(PLAN_WORKERS, os.cpu_count() or 1)
    if count <= 1:
        plan, gain_db = _plan(timeline, music, target, map, window)
    else:
        with ThreadPoolExecutor(max_workers=count, thread_name_prefix="coach-plan") as pool:
            plan, gain_db = _plan(timeline, music, target, pool.map, window)
    if key and remember is not None and gain_db is not None:
        plancache.remember(remember, key, plancache.Remembered(gain_db, plan.loudness))
    return plan


def _ceiling(gain_db: float) -> float:
    """The sample magnitude that `gain_db` (and the encoder's scale) brings to CEILING_DBFS."""
    return 32767 * 10 ** (CEILING_DBFS / 20) / (10 ** (gain_db / 20) / ENCODER_SCALE)


def _plan(
    timeline: Timeline, music: Path | None, target: float, each: ClipMap, window: int
) -> tuple[MixPlan, float | None]:
    """The plan, and its voice gain in dB (None when the session is silent)."""
    rate = timeline.sample_rate
    envelope = DuckEnvelope.for_timeline(timeline)
    clips = _SessionClips(timeline, window, each)
    voice = clips.energy()
    voice_lufs = voice.loudness()
    info = analyse_music(music, rate) if music is not None else None
    music_gain = 0.0
    bed = np.zeros_like(voice.energy)
    if info is not None and info.power > 0:
        reference = voice_lufs if math.isfinite(voice_lufs) else target
        music_gain = 10 ** ((reference + BED_LEVEL_LU - to_lufs(info.power)) / 20)
        bed = _bed_energy(envelope, voice.bin, bed.shape[0]) * info.power * music_gain**2
    loudness = to_lufs_total(voice.energy + bed, voice)
    if not math.isfinite(loudness):
        return MixPlan(timeline, 1.0, info, music_gain, loudness, envelope), None
    ceiling = _ceiling

    # Limiting peaks lowers the loudness a little, more as the gain grows: find the gain
    # (in dB) whose limited session meets the target, a root of miss() found by the secant
    # method from the unlimited estimate (two measurements bring it within ~0.01 dB).
    def miss(gain_db: float) -> float:
        limited = clips.limited_energy(ceiling(gain_db))
        if limited is None:
            return 0.0
        return gain_db + to_lufs_total(limited.energy + bed, voice) - target

    gain_db = min(MAX_GAIN_DB, target - loudness)
    error = miss(gain_db)
    if error != 0.0:
        second = min(MAX_GAIN_DB, gain_db - error)
        error_2 = miss(second)
        slope = (error_2 - error) / (second - gain_db) if second != gain_db else 1.0
        # miss() rises with the gain but more slowly than it (limiting takes some back).
        slope = slope if 0.1 <= slope <= 1.0 else 1.0
        gain_db = min(MAX_GAIN_DB, second - error_2 / slope)
    gain = 10 ** (gain_db / 20)
    pcm_gain = gain / ENCODER_SCALE
    limits = Limits(clips, ceiling(gain_db))
    plan = MixPlan(timeline, pcm_gain, info, music_gain * pcm_gain, loudness, envelope, limits)
    return plan, gain_db


class _SessionClips:
    """The distinct clips of a timeline, measured once and limited at any ceiling.

    Per clip it keeps its peak, its energy per bin at each offset it is placed at, and
    (once a ceiling first reaches it) its samples' magnitude maximised over the
    limiter's window, which every later ceiling reuses."""

    def __init__(self, timeline: Timeline, window: int, each: ClipMap) -> None:
        self.timeline = timeline
        self.window = window
        self.each = each
        self.binned = BinnedEnergy(timeline.length, timeline.sample_rate)
        self.clips: list[Clip] = []
        self.starts: list[list[int]] = []
        self.index: list[int] = []  # cue -> its clip's position in self.clips
        seen: dict[int, int] = {}
        for cue in timeline.cues:
            key = id(cue.clip.samples)
            if key not in seen:
                seen[key] = len(self.clips)
                self.clips.append(cue.clip)
                self.starts.append([])
            self.starts[seen[key]].append(cue.start)
            self.index.append(seen[key])
        self.offsets = [sorted({s % self.binned.bin for s in where}) for where in self.starts]
        self.peaks: list[int] = [0] * len(self.clips)
        self.pieces: list[dict[int, Floats]] = [{} for _ in self.clips]
        self.reach: list[npt.NDArray[np.uint16] | None] = [None] * len(self.clips)
        self.tones: list[tuple[int, Floats]] | None = None

    def energy(self) -> BinnedEnergy:
        """Binned energy of the session as it is."""

        def measure(index: int) -> None:
            samples = self.clips[index].samples
            self.peaks[index] = int(np.abs(samples.astype(np.int32)).max(initial=0))
            self.pieces[index] = self._pieces(samples, index)

        list(self.each(measure, range(len(self.clips))))
        return self._sum(self.pieces)

    def limited_energy(self, ceiling: float) -> BinnedEnergy | None:
        """Binned energy with every clip limited at `ceiling` (None: no clip reaches it)."""
        touched = [i for i, peak in enumerate(self.peaks) if peak > ceiling]
        if not touched:
            return None
        pieces = list(self.pieces)

        def measure(index: int) -> None:
            limited = self._limit(index, ceiling)
            pieces[index] = self._pieces(limited.samples, index)

        list(self.each(measure, touched))
        return self._sum(pieces)

    def _limit(self, index: int, ceiling: float) -> Clip:
        clip = self.clips[index]
        if ceiling < 1.0:  # the shortcut below assumes the padding is never limited
            return _limit_clip(clip, ceiling, self.window)
        reach = self.reach[index]
        if reach is None:
            reach = self.reach[index] = window_peaks(clip.samples, self.window)
        return _limit_by_reach(clip, reach, ceiling, self.window)

    def _pieces(self, samples: Samples, index: int) -> dict[int, Floats]:
        cumulative = weighted_energy(samples, self.timeline.sample_rate)
        return {offset: self.binned.piece(offset, cumulative) for offset in self.offsets[index]}

    def _sum(self, pieces: list[dict[int, Floats]]) -> BinnedEnergy:
        binned = BinnedEnergy(self.timeline.length, self.timeline.sample_rate)
        size = binned.bin
        for index, where in enumerate(self.starts):
            for start in where:
                binned.add_piece(start, pieces[index][start % size])
        if self.tones is None:
            self.tones = tone_energies(self.timeline)
        for start, cumulative in self.tones:
            binned.add(start, cumulative)
        return binned


class Limits:
    """The clips of a session limited at one ceiling, each made the first time it is asked
    for (by any mixer of the plan, from any thread) and then kept."""

    def __init__(self, clips: _SessionClips, ceiling: float) -> None:
        self.clips = clips
        self.ceiling = ceiling
        self._done: dict[int, Clip] = {}
        self._lock = threading.Lock()

    def clip(self, cue: int) -> Clip:
        """The clip to play for cue number `cue` of the timeline."""
        index = self.clips.index[cue]
        done = self._done.get(index)
        if done is None:
            with self._lock:
                done = self._done.get(index)
                if done is None:
                    done = self._done[index] = self.clips._limit(index, self.ceiling)
                    self.clips.reach[index] = None  # needed no more: memory stays flat
        return done


class LimitingMixer(BlockMixer):
    """A BlockMixer that plays each cue's limited clip, limiting clips as it reaches them."""

    def __init__(self, timeline: Timeline, limits: Limits) -> None:
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


def to_lufs_total(energy: npt.NDArray[np.float64], like: BinnedEnergy) -> float:
    """Integrated loudness of binned energies laid out like `like`."""
    binned = BinnedEnergy(0, like.sample_rate)
    binned.energy = energy
    return binned.loudness()


def _bed_energy(envelope: DuckEnvelope, bin_frames: int, bins: int) -> npt.NDArray[np.float64]:
    """Energy per bin of a unit-power bed under `envelope` (the duck sampled every 1/10 bin)."""
    step = max(1, bin_frames // 10)
    out = np.empty(bins)
    for first in range(0, bins, 4096):
        index = np.arange(first, min(first + 4096, bins))
        points = (index[:, None] * bin_frames + np.arange(0, bin_frames, step)).astype(np.int64)
        cover = envelope.coverage(points.ravel()).reshape(points.shape)
        out[index] = (10.0 ** (-envelope.depth_db * cover / 10.0)).mean(axis=1) * bin_frames
    return out


def limit_timeline(timeline: Timeline, gain: float) -> Timeline:
    """`timeline` with every clip that `gain` would push over the ceiling limited."""
    ceiling = 32767 * 10 ** (CEILING_DBFS / 20) / gain
    window = max(1, int(LIMIT_WINDOW_SECONDS * timeline.sample_rate))
    done: dict[int, Clip] = {}
    cues = []
    for cue in timeline.cues:
        key = id(cue.clip.samples)
        if key not in done:
            done[key] = _limit_clip(cue.clip, ceiling, window)
        cues.append(cue if done[key] is cue.clip else replace(cue, clip=done[key]))
    if all(new is old for new, old in zip(cues, timeline.cues, strict=True)):
        return timeline
    return replace(timeline, cues=cues)


def _limit_clip(clip: Clip, ceiling: float, window: int) -> Clip:
    samples = clip.samples.astype(np.float64)
    peak = float(np.abs(samples).max(initial=0.0))
    if peak <= ceiling:
        return clip
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(samples), 1.0))
    # A minimum over +-window then a mean over +-window/2 never exceeds `need` at any sample,
    # and changes smoothly over a few milliseconds (no clicks, no moved onsets).
    padded = np.pad(need, window, constant_values=1.0)
    floor = sliding_min(padded, 2 * window + 1)
    return _apply_floor(clip, floor, window)


def window_peaks(samples: Samples, window: int) -> npt.NDArray[np.uint16]:
    """max(|samples|) over +-`window` around every sample (zero beyond the ends)."""
    magnitude = np.abs(samples).view(np.uint16)  # |-32768| wraps to -32768, which is 32768
    padded = np.pad(magnitude, window)
    result: npt.NDArray[np.uint16] = sliding_max(padded, 2 * window + 1)
    return result


def _limit_by_reach(clip: Clip, reach: npt.NDArray[np.uint16], ceiling: float, window: int) -> Clip:
    """What `_limit_clip` gives, from the clip's `window_peaks` (for a ceiling of 1 or more).

    The minimum over a window of min(1, ceiling / |x|) is min(1, ceiling / the window's
    largest |x|): division is monotonic, so both are the same floating-point numbers."""
    if int(reach.max(initial=0)) <= ceiling:
        return clip
    floor = np.minimum(1.0, ceiling / np.maximum(reach, 1))
    return _apply_floor(clip, floor, window)


def _apply_floor(clip: Clip, floor: Floats, window: int) -> Clip:
    half = window // 2
    smooth = moving_mean(np.pad(floor, half, mode="edge"), 2 * half + 1)
    limited = np.clip(np.rint(clip.samples * smooth), -32768, 32767).astype(np.int16)
    return Clip(limited, clip.sample_rate)


def sliding_max(values: npt.NDArray[Any], width: int) -> npt.NDArray[Any]:
    """max(values[i : i + width]) for every full window (non-negative values)."""
    return _sliding(values, width, np.maximum, 0)


def sliding_min(values: Floats, width: int) -> Floats:
    """min(values[i : i + width]) for every full window, in three passes whatever the width."""
    result: Floats = _sliding(values, width, np.minimum, np.inf)
    return result


def _sliding(values: npt.NDArray[Any], width: int, pick: np.ufunc, fill: float) -> npt.NDArray[Any]:
    """`pick` (minimum or maximum) over every full window of `width`.

    Blocks of `width` get running extremes from the left and from the right; any window
    spans at most two blocks, so its extreme is one of each (van Herk / Gil-Werman)."""
    count = values.shape[0] - width + 1
    blocks = -(-values.shape[0] // width)
    grid = np.full(blocks * width, fill, dtype=values.dtype)
    grid[: values.shape[0]] = values
    grid = grid.reshape(blocks, width)
    from_left = pick.accumulate(grid, axis=1).ravel()
    from_right = pick.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    result: npt.NDArray[Any] = pick(from_right[:count], from_left[width - 1 : width - 1 + count])
    return result


def moving_mean(values: Floats, width: int) -> Floats:
    """mean(values[i : i + width]) for every full window, from a running sum."""
    total = np.empty(values.shape[0] + 1)
    total[0] = 0.0
    np.cumsum(values, out=total[1:])
    result: Floats = (total[width:] - total[:-width]) / width
    return result


class Cancelled(CoachError):
    """Raised inside an encode when another part of the render failed or was interrupted."""


def encode_span(
    plan: PlanSource,
    path: Path,
    start: int,
    stop: int,
    bitrate: str,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    label: str = "",
) -> None:
    """Encode samples [start, stop) of the planned mix as an MP3 at `path` (`label` in errors)."""
    encoder = start_encoder(path, plan.sample_rate, bitrate)
    _feed(plan, encoder, start, stop, progress, cancel, f"encoding {label or path.name}")


def _feed(
    source: PlanSource,
    encoder: FFmpeg,
    start: int,
    stop: int,
    progress: Progress | None,
    cancel: threading.Event | None,
    what: str,
) -> None:
    """Pipe samples [start, stop) of the mix into `encoder` and wait for it to finish."""
    try:
        mixer = source.ready().mixer()
    except BaseException:
        encoder.kill()
        raise
    try:
        for block in mixer.blocks(BLOCK_FRAMES, start, stop):
            if cancel is not None and cancel.is_set():
                raise Cancelled("render cancelled")
            data: Samples = block.astype("<i2", copy=False)
            try:
                encoder.stdin.write(data.tobytes())
            except BrokenPipeError:
                break  # ffmpeg died: finish() reports why
            if progress is not None:
                progress(block.shape[0])
        encoder.finish(what)
    except BaseException:
        encoder.kill()
        raise
    finally:
        mixer.close()


@dataclass(frozen=True)
class Span:
    """One file to encode: samples [start, stop) of the mix into `path`."""

    path: Path
    start: int
    stop: int
    label: str = ""


def encode_group(
    source: PlanSource,
    spans: Sequence[Span],
    bitrate: str,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> None:
    """Encode several spans at once through one ffmpeg process.

    Consecutive spans (each starting where the one before stops) are mixed as one stream
    and cut apart inside ffmpeg. Otherwise each span has its own pipe, and as ffmpeg reads
    its inputs in step, every pipe is kept fed (non-blocking writes, one pending block per
    pipe). Meant for plans without a music bed: with one, every span would need its own
    bed decoder running at the same time."""
    names = ", ".join(span.label or span.path.name for span in spans[:3])
    more = f" and {len(spans) - 3} more" if len(spans) > 3 else ""
    if all(a.stop == b.start for a, b in pairwise(spans)):
        paths = [span.path for span in spans]
        frames = [span.stop - span.start for span in spans]
        encoder = start_split_encoder(paths, frames, source.sample_rate, bitrate)
        what = f"encoding {names}{more}"
        try:
            _feed(source, encoder, spans[0].start, spans[-1].stop, progress, cancel, what)
            return
        except CoachError as error:
            # An ffmpeg older than 4.4 has no asegment filter: fall back to a pipe per span.
            if SPLIT_FILTER not in str(error) or isinstance(error, Cancelled):
                raise
    plan = source.ready()
    mixers = [plan.mixer() for _ in spans]
    sources = [
        mixer.blocks(BLOCK_FRAMES, span.start, span.stop)
        for mixer, span in zip(mixers, spans, strict=True)
    ]
    encoder, fds = start_multi_encoder(
        [span.path for span in spans], plan.timeline.sample_rate, bitrate
    )
    open_fds = set(fds)
    selector = selectors.DefaultSelector()
    pending: dict[int, memoryview] = {}
    try:
        for index, fd in enumerate(fds):
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_WRITE, index)
        broken = False
        while selector.get_map() and not broken:
            if cancel is not None and cancel.is_set():
                raise Cancelled("render cancelled")
            if encoder.process.poll() is not None:
                break  # ffmpeg stopped early: finish() reports why
            for key, _ in selector.select(timeout=0.5):
                index = key.data
                view = pending.get(index)
                if view is None or not len(view):
                    block = next(sources[index], None)
                    if block is None:
                        selector.unregister(key.fd)
                        os.close(key.fd)
                        open_fds.discard(key.fd)
                        continue
                    view = memoryview(block.astype("<i2", copy=False).tobytes())
                    if progress is not None:
                        progress(block.shape[0])
                try:
                    written = os.write(key.fd, view)
                except BlockingIOError:
                    written = 0
                except BrokenPipeError:
                    broken = True
                    break
                pending[index] = view[written:]
        for fd in list(open_fds):
            os.close(fd)
            open_fds.discard(fd)
        encoder.finish(f"encoding {names}{more}")
    except BaseException:
        encoder.kill()
        raise
    finally:
        selector.close()
        for fd in open_fds:
            os.close(fd)
        for mixer in mixers:
            mixer.close()
