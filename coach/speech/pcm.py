"""Turning an engine's audio file into a Clip: decode, mono, resample, trim, volume.

Trimming decides when a cue is heard to start, so it is deliberately gentle: the
threshold is low (-50 dBFS over 5 ms windows) because the soft first consonant of a
word like "three" sits around -45 to -38 dBFS, and a few milliseconds before the
first loud window are kept.
"""

from __future__ import annotations

import io
import struct
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt

from coach.audio.clip import SAMPLE_RATE, Clip, Samples
from coach.errors import CoachError

with warnings.catch_warnings():
    # pydub warns at import when no ffmpeg is on PATH (it reads WAV without one), and its
    # audioop is deprecated from Python 3.11 (the audioop-lts package stands in from 3.13).
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment

Floats = npt.NDArray[np.float64]

TRIM_DB = -50.0
WINDOW_MS = 5
PRE_ROLL_MS = 5
POST_ROLL_MS = 20


def read_audio(path: Path) -> tuple[Floats, int]:
    """Decode a WAV (or AIFF, which macOS writes) file to mono floats in [-1, 1] and its rate."""
    segment = read_segment(path).set_channels(1).set_sample_width(2)
    samples = np.array(segment.get_array_of_samples(), dtype=np.float64) / 32768.0
    return samples, int(segment.frame_rate)


def read_segment(path: Path) -> AudioSegment:
    """The engine's file as a pydub AudioSegment (pydub reads WAV; AIFF is unpacked here)."""
    data = path.read_bytes()
    if data[:4] == b"FORM":
        return _read_aiff(data)
    try:
        return AudioSegment.from_wav(io.BytesIO(data))
    except Exception as error:  # pydub raises a variety of errors for a broken file
        raise CoachError(f"the speech engine wrote an unreadable audio file: {error}") from None


def _read_aiff(data: bytes) -> AudioSegment:
    """AIFF or AIFF-C: a COMM chunk (channels, frames, bits, 80-bit float rate), an SSND.

    pydub reads AIFF only through ffmpeg and ffprobe, which a Mac may lack; the
    format is simple enough to unpack into the little-endian PCM pydub holds."""
    pos = 12
    channels = bits = 0
    rate = 0.0
    compression = b"NONE"
    sound = b""
    while pos + 8 <= len(data):
        kind, size = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if kind == b"COMM":
            channels, _, bits = struct.unpack(">hIh", body[:8])
            exponent, mantissa = struct.unpack(">HQ", body[8:18])
            rate = mantissa * 2.0 ** ((exponent & 0x7FFF) - 16383 - 63)
            if data[8:12] == b"AIFC" and len(body) >= 22:
                compression = body[18:22]
        elif kind == b"SSND":
            offset = struct.unpack(">I", body[:4])[0]
            sound = body[8 + offset :]
        pos += 8 + size + (size & 1)
    if not channels or not rate:
        raise CoachError("the speech engine wrote an AIFF file without a format chunk")
    width = (bits + 7) // 8
    if compression in (b"fl32", b"FL32"):
        floats = np.frombuffer(sound, dtype=">f4").astype(np.float64)
        raw, width = np.clip(np.rint(floats * 2147483647.0), -(2**31), 2**31 - 1).astype("<i4"), 4
        pcm = raw.tobytes()
    elif compression == b"sowt":  # AIFF-C with little-endian samples already
        pcm = sound
    elif compression in (b"NONE", b"twos") and width in (1, 2, 3, 4):
        usable = len(sound) - len(sound) % width
        pcm = np.frombuffer(sound[:usable], np.uint8).reshape(-1, width)[:, ::-1].tobytes()
    else:
        raise CoachError(f"the speech engine wrote AIFF that coach cannot read ({compression!r})")
    pcm = pcm[: len(pcm) - len(pcm) % (width * channels)]
    return AudioSegment(data=pcm, sample_width=width, frame_rate=round(rate), channels=channels)


def resample(samples: Floats, rate: int, target: int = SAMPLE_RATE) -> Floats:
    """Linear-interpolation resampling: plenty for speech cues at these rates."""
    if rate == target or samples.shape[0] == 0:
        return samples
    frames = round(samples.shape[0] * target / rate)
    positions = np.arange(frames, dtype=np.float64) * (rate / target)
    return np.interp(positions, np.arange(samples.shape[0], dtype=np.float64), samples)


def sound_bounds(
    samples: Floats, rate: int = SAMPLE_RATE, threshold_db: float = TRIM_DB
) -> tuple[int, int] | None:
    """First and last sample (end exclusive) of the 5 ms windows louder than the threshold."""
    window = max(1, rate * WINDOW_MS // 1000)
    count = samples.shape[0] // window
    if samples.shape[0] % window:
        count += 1
    padded = np.zeros(count * window)
    padded[: samples.shape[0]] = samples
    rms = np.sqrt(np.mean(padded.reshape(count, window) ** 2, axis=1))
    loud = np.flatnonzero(rms >= 10.0 ** (threshold_db / 20.0))
    if loud.shape[0] == 0:
        return None
    return int(loud[0]) * window, min(samples.shape[0], (int(loud[-1]) + 1) * window)


def trim_silence(samples: Floats, rate: int = SAMPLE_RATE) -> Floats:
    """Cut leading and trailing silence, keeping a short pre-roll and decay tail."""
    bounds = sound_bounds(samples, rate)
    if bounds is None:
        return samples[:0]
    start = max(0, bounds[0] - rate * PRE_ROLL_MS // 1000)
    end = min(samples.shape[0], bounds[1] + rate * POST_ROLL_MS // 1000)
    return samples[start:end]


def to_int16(samples: Floats, volume: float = 1.0) -> Samples:
    """Scale by `volume` (0 to 1) and convert to int16 with clipping."""
    scaled = np.clip(np.rint(samples * (32768.0 * volume)), -32768, 32767)
    return scaled.astype(np.int16)


def clip_from_file(path: Path, volume: float = 1.0) -> Clip:
    """Everything an engine wrapper does to its output file: the finished Clip."""
    segment = read_segment(path).set_channels(1).set_sample_width(2).set_frame_rate(SAMPLE_RATE)
    samples = np.array(segment.get_array_of_samples(), dtype=np.float64) / 32768.0
    return Clip(to_int16(trim_silence(samples), volume))
