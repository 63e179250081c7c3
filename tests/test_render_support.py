"""Hand-made timelines and decoding helpers shared by the render tests."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from coach.audio.clip import SAMPLE_RATE
from coach.audio.ffmpeg import find_ffmpeg
from coach.speech.fake import FakeEngine
from coach.speech.voice import MemoryVoice
from coach.timeline import ChapterSpan, TimedCue, TimedTone, Timeline

RATE = SAMPLE_RATE
WORDS = ["squats", "one", "two", "three", "halfway", "rest now", "go"]


def make_timeline(
    chapters: int = 3,
    cues_per_chapter: int = 4,
    gap: float = 0.8,
    title: str = "Morning Test",
    routine: str = "morning-test",
    chapter_titles: list[str] | None = None,
) -> Timeline:
    """Fake-voice cues at odd sample positions, a tone per chapter, contiguous chapters."""
    voice = MemoryVoice(FakeEngine())
    cues: list[TimedCue] = []
    tones: list[TimedTone] = []
    spans: list[ChapterSpan] = []
    position = RATE // 3 + 7
    for chapter in range(chapters):
        start = 0 if chapter == 0 else position
        for index in range(cues_per_chapter):
            text = WORDS[(chapter + index) % len(WORDS)]
            clip = voice.clip(text)
            cues.append(TimedCue(position, text, "say", chapter, clip))
            position += clip.frames + int(gap * RATE) + 13 * index
        tones.append(TimedTone(position, int(0.15 * RATE)))
        position += RATE // 2
        name = chapter_titles[chapter] if chapter_titles else f"Exercise {chapter + 1}"
        spans.append(ChapterSpan(name, start, position))
    return Timeline(
        length=position, cues=cues, tones=tones, chapters=spans, title=title, routine=routine
    )


def lavfi_mp3(path: Path, source: str, bitrate: str, *options: str) -> Path:
    """An MP3 at `path` of ffmpeg's lavfi `source` (a tone, silence), encoded by LAME."""
    command = [find_ffmpeg(), "-v", "error", "-f", "lavfi", "-i", source, *options]
    subprocess.run([*command, "-c:a", "libmp3lame", "-b:a", bitrate, str(path)], check=True)
    return path


def decode(path: Path) -> np.ndarray:
    """The decoded samples of an audio file, mono at the timeline rate."""
    out = subprocess.run(
        [
            find_ffmpeg(),
            "-v",
            "error",
            "-i",
            str(path),
            "-f",
            "s16le",
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype="<i2").astype(np.int16)


def onset(
    samples: np.ndarray, around: int, after: int = 0, search: int = RATE // 4, dbfs: float = -50.0
) -> int:
    """First sample near `around` (and not before `after`) where the sound rises above `dbfs`.

    Power is a 5 ms trailing mean, so a soft consonant counts; the result is stepped back
    to the first sample of that window that is itself above the threshold."""
    window = RATE // 200
    level = 32768 * 10 ** (dbfs / 20)
    lo = max(0, after, around - search)
    part = samples[lo : around + search].astype(np.float64) ** 2
    power = np.convolve(part, np.ones(window) / window)[: part.shape[0]]
    above = np.nonzero(power > level**2)[0]
    assert above.size, f"no sound near sample {around}"
    first = int(above[0])
    start = max(0, first - window + 1)
    loud = np.nonzero(np.abs(samples[lo + start : lo + first + 1]) > level)[0]
    return lo + start + int(loud[0]) if loud.size else lo + first


def loudness(path: Path) -> float:
    """Integrated loudness of a file by ffmpeg's ebur128 filter."""
    err = subprocess.run(
        [
            find_ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-af",
            "aresample=48000,ebur128",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    lines = [line for line in err.splitlines() if line.strip().startswith("I:")]
    return float(lines[-1].split()[1])


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_id3(path: Path) -> Any:
    """The ID3 tag of `path` as mutagen reads it back (mutagen has no type hints)."""
    return ID3(path)  # type: ignore[no-untyped-call]


def mp3_length(path: Path) -> float:
    """The length of an MP3 in seconds, by mutagen's reading of its header."""
    info: Any = MP3(path).info  # type: ignore[no-untyped-call]
    return float(info.length)
