"""Cue scripts: the compiled, voice-independent program of what is said when."""

from coach.cues.model import Chapter, Cue, CueScript, Say, Step, Tone, Window

__all__ = ["Chapter", "Cue", "CueScript", "Say", "Step", "Tone", "Window"]
