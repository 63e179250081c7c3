"""Integrated loudness (ITU-R BS.1770 / EBU R128) of a Timeline, without rendering it.

The timeline says where every clip sounds, so the K-weighted energy of each
distinct clip is computed once (filtering in the frequency domain) and spread
into 100 ms bins at the clip's exact position; the 400 ms gating blocks (75 %
overlap) are sums of four bins. A music bed is treated as stationary: its own
gated mean square, scaled by the duck envelope in each bin. Cross terms between
overlapping sounds are ignored (speech and a bed are uncorrelated).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from coach.audio.clip import Samples
from coach.audio.tones import tone_samples
from coach.timeline import Timeline

Floats = npt.NDArray[np.float64]

ABSOLUTE_GATE = -70.0  # LUFS
RELATIVE_GATE = -10.0  # LU below the ungated mean
FULL_SCALE = 32768.0


def _biquad(b: tuple[float, float, float], a: tuple[float, float, float], w: Floats) -> Floats:
    """|H(e^jw)|^2 of one biquad."""
    z = np.exp(-1j * w)
    h = (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    return np.abs(h) ** 2  # type: ignore[no-any-return]


@lru_cache(maxsize=64)
def k_weighting_power(sample_rate: int, n_fft: int) -> Floats:
    """Squared magnitude of the K-weighting filter at the rfft bins of length `n_fft`."""
    w: Floats = 2 * np.pi * np.fft.rfftfreq(n_fft).astype(np.float64)
    # Stage 1: the head's high-shelf (+4 dB above ~1.7 kHz).
    gain, q, fc = 3.99984385397, 0.7071752369554193, 1681.9744509555319
    big_a = 10 ** (gain / 40)
    w0 = 2 * math.pi * fc / sample_rate
    alpha = math.sin(w0) / (2 * q)
    cos, root = math.cos(w0), math.sqrt(big_a)
    shelf_b = (
        big_a * ((big_a + 1) + (big_a - 1) * cos + 2 * root * alpha),
        -2 * big_a * ((big_a - 1) + (big_a + 1) * cos),
        big_a * ((big_a + 1) + (big_a - 1) * cos - 2 * root * alpha),
    )
    shelf_a = (
        (big_a + 1) - (big_a - 1) * cos + 2 * root * alpha,
        2 * ((big_a - 1) - (big_a + 1) * cos),
        (big_a + 1) - (big_a - 1) * cos - 2 * root * alpha,
    )
    # Stage 2: the RLB high-pass at ~38 Hz.
    q, fc = 0.5003270373253953, 38.13547087613982
    w0 = 2 * math.pi * fc / sample_rate
    alpha = math.sin(w0) / (2 * q)
    pass_a = (1 + alpha, -2 * math.cos(w0), 1 - alpha)
    pass_b = (pass_a[0], -2 * pass_a[0], pass_a[0])  # ITU's b = [1, -2, 1] after normalising a
    result: Floats = _biquad(shelf_b, shelf_a, w) * _biquad(pass_b, pass_a, w)
    result.flags.writeable = False
    return result


@lru_cache(maxsize=64)
def _k_weighting_amplitude(sample_rate: int, n_fft: int) -> Floats:
    result: Floats = np.sqrt(k_weighting_power(sample_rate, n_fft))
    result.flags.writeable = False
    return result


def fft_size(frames: int) -> int:
    """The smallest 2^k times 1, 9/8, 5/4, 3/2 or 15/8 that holds `frames`.

    Transforms of these sizes are about as fast as powers of two, pad far less than
    the next power of two does, and few enough to keep their filter responses cached."""
    size = 1 << max(3, (frames - 1).bit_length())
    return min(size * m // 16 for m in (8, 9, 10, 12, 15, 16) if size * m // 16 >= frames)


def weighted_energy(samples: Samples | Floats, sample_rate: int) -> Floats:
    """Cumulative K-weighted energy (full scale = 1), one value per sample boundary.

    Result has len(samples) + 1 entries, starting at 0."""
    frames = samples.shape[0]
    tail = sample_rate // 10  # let the filters ring out a little
    n_fft = fft_size(frames + tail)
    spectrum = np.fft.rfft(np.asarray(samples, dtype=np.float64) / FULL_SCALE, n_fft)
    filtered = np.fft.irfft(spectrum * _k_weighting_amplitude(sample_rate, n_fft), n_fft)
    energy = np.empty(frames + 1)
    energy[0] = 0.0
    np.cumsum(filtered[:frames] ** 2, out=energy[1:])
    return energy


def gated_loudness(block_power: Floats) -> float:
    """Integrated loudness (LUFS) from the mean squares of 400 ms blocks."""
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(block_power)
    kept = block_power[loud > ABSOLUTE_GATE]
    if kept.size == 0:
        return -math.inf
    relative = -0.691 + 10 * math.log10(float(kept.mean())) + RELATIVE_GATE
    kept = kept[-0.691 + 10 * np.log10(kept) > relative]
    return -0.691 + 10 * math.log10(float(kept.mean()))


class BinnedEnergy:
    """K-weighted energy of a whole session in 100 ms bins."""

    def __init__(self, length: int, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self.bin = sample_rate // 10
        self.energy = np.zeros(length // self.bin + 2)

    def add(self, start: int, cumulative: Floats, scale: float = 1.0) -> None:
        """Add a sound with cumulative energy `cumulative` placed at sample `start`."""
        frames = cumulative.shape[0] - 1
        first, last = start // self.bin, (start + frames) // self.bin
        edges = np.arange(first + 1, last + 1) * self.bin - start
        at = np.concatenate(([0], edges, [frames]))
        self.energy[first : last + 1] += np.diff(cumulative[at]) * scale

    def piece(self, start: int, cumulative: Floats) -> Floats:
        """The energy per bin of a sound with cumulative energy `cumulative` at `start`."""
        frames = cumulative.shape[0] - 1
        first, last = start // self.bin, (start + frames) // self.bin
        edges = np.arange(first + 1, last + 1) * self.bin - start
        at = np.concatenate(([0], edges, [frames]))
        result: Floats = np.diff(cumulative[at])
        return result

    def add_piece(self, start: int, piece: Floats) -> None:
        """Add energies per bin from `piece` (see `piece`) for a sound placed at `start`."""
        first = start // self.bin
        self.energy[first : first + piece.shape[0]] += piece

    def loudness(self) -> float:
        """Integrated loudness with 400 ms blocks every 100 ms."""
        energy = self.energy
        if energy.shape[0] < 4:
            block = np.array([energy.sum() / (4 * self.bin)])
        else:
            window = np.convolve(energy, np.ones(4), mode="valid")
            block = window / (4 * self.bin)
        return gated_loudness(block)


def stream_power(chunks: Iterable[Samples], sample_rate: int) -> float:
    """Gated mean square (full scale = 1) of a stream of PCM chunks, for a music bed."""
    block = int(sample_rate * 0.4)
    powers: list[float] = []
    carry = np.zeros(0, dtype=np.int16)
    for chunk in chunks:
        data = np.concatenate((carry, chunk))
        usable = data.shape[0] // block * block
        if usable:
            energy = weighted_energy(data[:usable], sample_rate)
            edges = energy[::block]
            powers.extend((np.diff(edges) / block).tolist())
        carry = data[usable:]
    if not powers:
        return 0.0
    loud = gated_loudness(np.array(powers))
    return 0.0 if math.isinf(loud) else 10 ** ((loud + 0.691) / 10)


def tone_energies(timeline: Timeline) -> list[tuple[int, Floats]]:
    """Start and cumulative K-weighted energy of every tone of `timeline`, in order."""
    rate = timeline.sample_rate
    tones: dict[tuple[int, float], Floats] = {}
    result = []
    for tone in timeline.tones:
        key = (tone.frames, tone.frequency)
        if key not in tones:
            tones[key] = weighted_energy(tone_samples(tone.frames, tone.frequency, rate), rate)
        result.append((tone.start, tones[key]))
    return result


def to_lufs(power: float) -> float:
    """Loudness of a mean square (full scale = 1)."""
    return -math.inf if power <= 0 else -0.691 + 10 * math.log10(power)
