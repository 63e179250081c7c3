"""The sample rate, the sample type and the clip: what every stage passes around."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 22050  # espeak-ng's and piper's native rate: the rate of every clip and timeline

Samples = npt.NDArray[np.int16]


@dataclass(frozen=True)
class Clip:
    """Mono signed 16-bit PCM at `sample_rate` Hz."""

    samples: Samples
    sample_rate: int = SAMPLE_RATE

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate
