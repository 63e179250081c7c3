"""The pyttsx3 library in this process: its driver, one session, one utterance at a time.

Used by the engine (`coach.speech.pyttsx3_engine`) and by the fresh processes that
speak for it (`coach.speech.fresh`).

pyttsx3's espeak driver (2.99) keeps only the last of several queued save_to_file
calls, prints "Audio saved to ..." on stdout and plays say() through aplay. So each
utterance gets its own save_to_file + runAndWait into a temporary WAV, the driver's
prints are sent to stderr instead of stdout, and say() is never used. The native
engine is one global object per process, so every call goes through one lock.

libespeak-ng carries state from one utterance to the next, so with the espeak driver
each utterance is spoken in a fresh process (coach.speech.fresh): the same text
always gives the same clip, whatever was spoken before it.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from coach.audio.clip import Clip
from coach.errors import CoachError, InputError
from coach.speech.base import VoiceInfo
from coach.speech.pcm import clip_from_file

# The speech library is process-global: one lock guards the pyttsx3 engine and its properties.
LOCK = threading.RLock()
_session: _Session | None = None

DEFAULT_RATE = 200  # words per minute


def _quiet_print(*args: Any, **kwargs: Any) -> None:
    """Stands in for print() inside the pyttsx3 driver: stdout belongs to coach."""
    text = " ".join(str(a) for a in args)
    if text.startswith("Audio saved to"):
        return
    print(text, file=sys.stderr)


class _YieldingTime:
    """The `time` module, except that sleep only yields: for the espeak driver's poll loop."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        time.sleep(0)


class _Session:
    """The one pyttsx3 engine of this process, with the properties it currently has."""

    def __init__(self) -> None:
        self.library = ""
        self.library_version = ""
        if sys.platform.startswith("linux"):
            from coach.speech.espeak_lib import load_espeak

            self.library = load_espeak().source
        try:
            import pyttsx3

            self.tts = pyttsx3.init()
        except (ImportError, OSError, RuntimeError, AttributeError) as error:
            raise _start_error(error) from None
        self.errors: list[Exception] = []
        self.tts.connect("error", self._on_error)
        module = sys.modules.get(type(self.tts.proxy._driver).__module__)
        if module is not None:
            module.print = _quiet_print  # type: ignore[attr-defined]
        self.version = getattr(pyttsx3, "__version__", "") or _dist_version("pyttsx3")
        self.driver = str(self.tts.driver_name)
        self._synchronize: Callable[[], object] = lambda: None
        if self.driver == "espeak":
            from pyttsx3.drivers import _espeak

            self.library_version = _espeak.Info(None).decode("ascii", "replace")
            # pyttsx3 starts espeak in retrieval mode, which is asynchronous: Synth and
            # SetParameter are queued for espeak's own thread, and runAndWait returns after
            # one 10 ms poll, finished or not. Synchronize waits for that queue to drain, so
            # the WAV is complete and a new rate is in force before the next utterance.
            self._synchronize = _espeak.Synchronize
            # For the same reason the driver's fixed 10 ms poll per utterance buys nothing:
            # Synchronize already waits for the sound. Its loop still yields the GIL so
            # espeak's thread can deliver audio.
            if module is not None:
                module.time = _YieldingTime()  # type: ignore[attr-defined]
        # Apply the driver's queued defaults (voice, rate 200, volume 1) now, so that
        # later property changes take effect at once and can be read back.
        self.tts.runAndWait()
        self._synchronize()
        self._check_errors()
        self.default_voice = str(self.tts.getProperty("voice") or "")
        # espeak's getProperty("rate") does not read the current rate back reliably, so
        # coach always sets it; pyttsx3's drivers all start at 200 words per minute.
        self.default_rate = DEFAULT_RATE
        self.applied: tuple[str, int] = ("", 0)

    def _on_error(self, name: object = None, exception: Exception | None = None) -> None:
        if exception is not None:
            self.errors.append(exception)

    def _check_errors(self) -> None:
        if self.errors:
            error, self.errors = self.errors[0], []
            raise CoachError(f"the {self.driver} speech driver failed: {error}")

    def voices(self) -> list[VoiceInfo]:
        found = []
        for voice in self.tts.getProperty("voices") or []:
            languages = tuple(
                lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
                for lang in (getattr(voice, "languages", None) or ())
            )
            found.append(VoiceInfo(id=str(voice.id), name=str(voice.name), languages=languages))
        return found

    def apply(self, voice: str, rate: int) -> None:
        if self.applied == (voice, rate):
            return
        self.tts.setProperty("voice", voice)
        self.tts.setProperty("rate", rate)
        self._synchronize()
        self._check_errors()
        self.applied = (voice, rate)

    def speak_to_file(self, text: str, path: Path) -> None:
        self.tts.save_to_file(text, str(path))
        self.tts.runAndWait()
        self._synchronize()
        self._check_errors()


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _start_error(error: BaseException) -> CoachError:
    if sys.platform.startswith("linux"):
        from coach.speech.espeak_lib import missing_library_error

        return missing_library_error(str(error))
    return CoachError(
        f"pyttsx3 could not start the system speech engine ({error}); "
        "on macOS and Windows it uses the voices built into the system"
    )


def session_or_start() -> _Session:
    global _session
    with LOCK:
        if _session is None:
            _session = _Session()
        return _session


def resolve_voice(wanted: str, voices: list[VoiceInfo]) -> str:
    """The id of the voice the user named: by id, by the id's last part, or by name."""
    lowered = wanted.strip().lower()
    for found in (
        [v.id for v in voices if v.id.lower() == lowered],
        [v.id for v in voices if v.id.lower().rsplit("/", 1)[-1] == lowered],
        [v.id for v in voices if v.name.lower() == lowered],
    ):
        if found:
            return found[0]
    close = [v.id for v in voices if lowered in v.id.lower() or lowered in v.name.lower()]
    hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
    raise InputError(f"unknown voice {wanted!r}{hint} (`coach voices` lists them)")


def speak(session: _Session, voice: str, rate: int, volume: float, text: str) -> Clip:
    """One utterance through `session`, as a trimmed clip (the caller holds LOCK)."""
    with tempfile.TemporaryDirectory(prefix="coach-tts-") as folder:
        path = Path(folder) / "clip.wav"
        session.apply(voice, rate)
        for attempt in range(2):
            session.speak_to_file(text, path)
            if not path.exists():
                continue
            clip = clip_from_file(path, volume)
            path.unlink()
            # An empty result for real words is a failed utterance, not silence: try again.
            if clip.frames or attempt or not any(ch.isalnum() for ch in text):
                return clip
    raise CoachError(f"the speech engine wrote no audio for {text!r}")


def load_driver() -> None:
    """Load libespeak-ng and pyttsx3's driver for it without starting either (Linux)."""
    if sys.platform.startswith("linux"):
        from coach.speech.espeak_lib import load_espeak

        with contextlib.suppress(CoachError):  # reported when a child starts the session
            load_espeak()
    with contextlib.suppress(ImportError, OSError):
        importlib.import_module("pyttsx3.drivers.espeak")


def start_session() -> None:
    """Start the speech library in this process (coach.speech.fresh does it ahead of time)."""
    session_or_start()


def speak_once(voice: str, rate: int, volume: float, text: str) -> tuple[bytes, int]:
    """`_speak` in a process that has spoken nothing before (see coach.speech.fresh)."""
    with LOCK:
        clip = speak(session_or_start(), voice, rate, volume, text)
    return clip.samples.astype(np.int16).tobytes(), clip.sample_rate
