"""The beep a window's tone plays."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from coach.audio.clip import Samples

TONE_LEVEL = 0.3  # of full scale
TONE_FADE = 0.005  # seconds of fade in and out, so a beep does not click


@lru_cache(maxsize=32)
def tone_samples(frames: int, frequency: float, sample_rate: int) -> Samples:
    """A sine beep with short fades, as int16."""
    t = np.arange(frames, dtype=np.float64) / sample_rate
    wave = np.sin(2 * np.pi * frequency * t) * TONE_LEVEL * 32767
    fade = min(frames // 2, int(TONE_FADE * sample_rate))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    result: Samples = wave.astype(np.int16)
    result.flags.writeable = False
    return result
