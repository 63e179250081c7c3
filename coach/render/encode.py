"""The streaming MP3 encode: blocks of the mix chain piped into ffmpeg.

Blocks are mixed (`MixPlan.mixer()`, the chain the live player plays too) and
piped into ffmpeg, never holding more than one block of the session.

Plain voice stays at the timeline's 22.05 kHz, mono: every clip is made at that
rate, so resampling would add nothing audible to speech and double the encoder's
work; MPEG-2 Layer III at 22.05 kHz plays on every phone and car stereo. A session
with a music bed is encoded in stereo at 44.1 kHz (MPEG-1 Layer III), where music
sounds as it should at the higher bitrates: the mix chain itself stays mono at
22.05 kHz (the live player plays the same samples), and ffmpeg resamples it and
puts it in both channels on the way into the encoder, so the voice is centred.
"""

from __future__ import annotations

import os
import selectors
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from coach.audio.clip import Samples
from coach.audio.ffmpeg import (
    SPLIT_FILTER,
    FFmpeg,
    start_encoder,
    start_multi_encoder,
    start_split_encoder,
)
from coach.audio.levels import PlanSource
from coach.errors import CoachError

BLOCK_FRAMES = 32768

Progress = Callable[[int], None]


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
    stereo: bool = False,
) -> None:
    """Encode samples [start, stop) of the planned mix as an MP3 at `path` (`label` in errors);
    `stereo`: as 44.1 kHz stereo (see the module's note)."""
    encoder = start_encoder(path, plan.sample_rate, bitrate, stereo)
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
