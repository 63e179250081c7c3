"""The peak limiter: a smooth look-ahead gain that touches only the peaks.

A clip whose peaks a gain would push over the ceiling is limited on its own, once:
the gain at every sample is the smallest that keeps the peaks within `window`
samples under the ceiling, then smoothed, so it never overshoots, never clicks
and never moves an onset.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from coach.audio.clip import Clip, Samples

LIMIT_WINDOW_SECONDS = 0.005

Floats = npt.NDArray[np.float64]


def limit_window(sample_rate: int) -> int:
    """The limiter's look-ahead in samples at `sample_rate`."""
    return max(1, int(LIMIT_WINDOW_SECONDS * sample_rate))


def limit_clip(clip: Clip, ceiling: float, window: int) -> Clip:
    """`clip` with every sample kept within `ceiling` in magnitude (the clip itself if it is)."""
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


def limit_by_reach(clip: Clip, reach: npt.NDArray[np.uint16], ceiling: float, window: int) -> Clip:
    """What `limit_clip` gives, from the clip's `window_peaks` (for a ceiling of 1 or more).

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
