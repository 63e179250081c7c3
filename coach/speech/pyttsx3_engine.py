"""The default engine: pyttsx3 (libespeak-ng on Linux, the system voices elsewhere).

The library's quirks and its one session per process are handled in
`coach.speech.pyttsx3_session`. libespeak-ng carries state from one utterance to
the next, so with the espeak driver each utterance is spoken in a fresh process
(coach.speech.fresh): the same text always gives the same clip, whatever was
spoken before it.
"""

from __future__ import annotations

import numpy as np

from coach.audio.clip import Clip
from coach.errors import InputError
from coach.speech.base import DEFAULT_WPM, EngineOptions, VoiceInfo, is_call
from coach.speech.pyttsx3_session import LOCK, resolve_voice, session_or_start, speak

# libespeak-ng's rate setting is not the pace of its clips: trimmed clips of the
# shipped routines' instructions measured 1.22 words a minute per unit of the
# setting (161 at 130, 177 at 145, 243 at 200; scripts/voice_pace.py).
ESPEAK_WPM_PER_SETTING = 1.22
# Counts and one- or two-word calls go this much faster than instructions: at the
# default pace that is espeak's own 197, as crisp as coach's counts always were.
CALL_SPEEDUP = 1.5


def setting_for(wpm: float, driver: str) -> int:
    """The driver's rate setting that speaks at `wpm` measured words per minute."""
    return round(wpm / ESPEAK_WPM_PER_SETTING) if driver == "espeak" else round(wpm)


class Pyttsx3Engine:
    """Offline speech through pyttsx3; clips trimmed, at SAMPLE_RATE, scaled by volume."""

    NAME = "pyttsx3"

    def __init__(self, options: EngineOptions | None = None) -> None:
        self.options = options or EngineOptions()
        if self.options.rate is not None and not 40 <= self.options.rate <= 600:
            raise InputError(f"rate {self.options.rate} is out of range: use 40 to 600 words/min")
        volume = 1.0 if self.options.volume is None else self.options.volume
        if not 0.0 <= volume <= 1.0:
            raise InputError(f"volume {volume} is out of range: use 0 to 1")
        self.volume = volume
        with LOCK:
            self._session = session_or_start()
            self.voice = (
                resolve_voice(self.options.voice, self._session.voices())
                if self.options.voice
                else self._session.default_voice
            )
            self.wpm = self.options.rate or DEFAULT_WPM
            driver = self._session.driver
            self.rate = setting_for(self.wpm, driver)  # instructions
            self.call_rate = setting_for(self.wpm * CALL_SPEEDUP, driver)  # counts and calls

    def rate_for(self, text: str) -> int:
        """The rate setting `text` is spoken at: calls crisper than instructions."""
        return self.call_rate if is_call(text) else self.rate

    def synthesize(self, text: str) -> Clip:
        if not text.strip():
            return Clip(np.zeros(0, dtype=np.int16))
        if self._session.driver == "espeak":
            from coach.speech.fresh import speak_fresh

            samples, rate = speak_fresh(self.voice, self.rate_for(text), self.volume, text)
            return Clip(np.frombuffer(samples, dtype=np.int16).copy(), rate)
        with LOCK:
            return speak(self._session, self.voice, self.rate_for(text), self.volume, text)

    def voices(self) -> list[VoiceInfo]:
        with LOCK:
            return self._session.voices()

    def identity(self) -> str:
        session = self._session
        library = f"{session.library}-{session.library_version}" if session.library else ""
        return (
            f"pyttsx3-{session.version}/{session.driver}{'/' + library if library else ''}"
            f"/voice={self.voice}/rate={self.rate}/calls={self.call_rate}/volume={self.volume:.3f}"
        )
