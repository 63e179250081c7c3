"""Loudness planning: the gains that bring a session to the target loudness.

The whole session is planned before a sample is played: its integrated loudness
is computed from the timeline (see `loudness`), one linear gain brings it to
TARGET_LUFS, and any clip whose peaks that gain would push over the ceiling is
limited on its own, once (see `limiter`). A music bed sits BED_LEVEL_LU under the
voice. The plan's `mixer()` is the mix chain both outputs play.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from coach.audio import level_cache
from coach.audio.chain import LimitingMixer, SessionMixer
from coach.audio.clip import Clip, Samples
from coach.audio.limiter import limit_by_reach, limit_clip, limit_window, window_peaks
from coach.audio.loudness import BinnedEnergy, to_lufs, tone_energies, weighted_energy
from coach.audio.music import DuckEnvelope, MusicInfo, analyse_music
from coach.timeline import Timeline

TARGET_LUFS = -16.0
CEILING_DBFS = -1.0
BED_LEVEL_LU = -8.0  # the bed's own loudness relative to the voice, before ducking
MAX_GAIN_DB = 30.0  # never amplify a near-silent session into noise
# libmp3lame in constant-bitrate mode scales its input by 0.95 (-0.45 dB, measured at every
# bitrate, level and frequency); the plan makes up for it so the decoded file meets the target.
ENCODER_SCALE = 0.95
PLAN_WORKERS = 2  # threads measuring and limiting clips while the plan is made

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

    def extended(self, timeline: Timeline) -> MixPlan:
        """The same gains and ceiling over `timeline`, which continues this plan's timeline
        (the live player's session, growing chapter by chapter). Clips already limited
        are kept: the clips of the cues they share keep their places."""
        limits = None
        if self.limits is not None:
            clips = _SessionClips(timeline, self.limits.clips.window, map)
            limits = Limits(clips, self.limits.ceiling, self.limits)
        envelope = DuckEnvelope.for_timeline(timeline)
        return replace(self, timeline=timeline, envelope=envelope, limits=limits)


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
    music: Path | MusicInfo | None = None,
    target: float = TARGET_LUFS,
    workers: int | None = None,
    remember: Path | None = None,
) -> MixPlan:
    """Measure the session and choose the gains that bring it to `target` LUFS.

    The work per distinct clip (its energy, its limited versions) runs on `workers`
    threads (default: one per core, at most PLAN_WORKERS); numpy releases the GIL
    in its FFTs and loops, and the results are summed in one fixed order, so the
    plan is the same whatever the number of threads. With `remember` (a folder), a
    plan without music is kept there and reused for the same session (see level_cache)."""
    window = limit_window(timeline.sample_rate)
    key = ""
    if remember is not None and music is None:
        settings = f"{target!r} {CEILING_DBFS!r} {ENCODER_SCALE!r} {MAX_GAIN_DB!r} {window}"
        key = level_cache.plan_key(timeline, settings)
        known = level_cache.recall(remember, key)
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
        level_cache.remember(remember, key, level_cache.Remembered(gain_db, plan.loudness))
    return plan


def _ceiling(gain_db: float) -> float:
    """The sample magnitude that `gain_db` (and the encoder's scale) brings to CEILING_DBFS."""
    return 32767 * 10 ** (CEILING_DBFS / 20) / (10 ** (gain_db / 20) / ENCODER_SCALE)


def _plan(
    timeline: Timeline, music: Path | MusicInfo | None, target: float, each: ClipMap, window: int
) -> tuple[MixPlan, float | None]:
    """The plan, and its voice gain in dB (None when the session is silent)."""
    rate = timeline.sample_rate
    envelope = DuckEnvelope.for_timeline(timeline)
    clips = _SessionClips(timeline, window, each)
    voice = clips.energy()
    voice_lufs = voice.loudness()
    info = analyse_music(music, rate) if isinstance(music, Path) else music
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
            return limit_clip(clip, ceiling, self.window)
        reach = self.reach[index]
        if reach is None:
            reach = self.reach[index] = window_peaks(clip.samples, self.window)
        return limit_by_reach(clip, reach, ceiling, self.window)

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

    def __init__(self, clips: _SessionClips, ceiling: float, earlier: Limits | None = None) -> None:
        self.clips = clips
        self.ceiling = ceiling
        self._done: dict[int, Clip] = {} if earlier is None else dict(earlier._done)
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
