"""Files beside each MP3: synchronized lyrics, the timeline as JSON, chapters for
podcast apps, a transcript, and a playlist.

`.chapters.json` follows the Podcasting 2.0 JSON chapters format (version 1.2.0),
which podcast apps read from a feed's `podcast:chapters`; `.vtt` is a WebVTT
transcript (one cue per spoken line), the format of `podcast:transcript`.

All times are for the decoded audio of that one file: a track cut from the
session starts at 0, and its cues are shifted with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coach.facts import NO_FACTS, WindowFacts

FORMAT = "coach-timeline"
VERSION = 1
CHAPTERS_VERSION = "1.2.0"  # of the Podcasting 2.0 JSON chapters format


@dataclass(frozen=True)
class SideCue:
    """One spoken cue, in samples from the start of the file."""

    start: int
    end: int
    text: str
    kind: str
    chapter: int


@dataclass(frozen=True)
class SideWindow:
    """One rigid window with its facts, in samples from the start of the file."""

    start: int
    end: int
    kind: str
    label: str
    chapter: int
    facts: WindowFacts = NO_FACTS
    rep_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class SideChapter:
    """One chapter, in samples from the start of the file."""

    title: str
    start: int
    end: int


@dataclass(frozen=True)
class TrackInfo:
    """What the sidecars of one file describe."""

    title: str
    album: str
    frames: int
    sample_rate: int
    cues: Sequence[SideCue]
    chapters: Sequence[SideChapter]
    warnings: Sequence[str] = ()
    windows: Sequence[SideWindow] = ()


def _lrc_time(seconds: float) -> str:
    hundredths = round(seconds * 100)
    minutes, rest = divmod(hundredths, 6000)
    return f"[{minutes:02d}:{rest // 100:02d}.{rest % 100:02d}]"


def one_line(text: str) -> str:
    """`text` on one line, its runs of whitespace (newlines too) made single spaces."""
    return " ".join(text.split())


def lrc_text(info: TrackInfo) -> str:
    """Synchronized lyrics: each cue at its start, a blank line when the voice stops."""
    rate = info.sample_rate
    lines = [
        f"[ti:{one_line(info.title)}]",
        f"[al:{one_line(info.album)}]",
        "[ar:coach]",
        f"[length:{_lrc_time(info.frames / rate)[1:6]}]",
        "[by:coach]",
    ]
    cues = sorted(info.cues, key=lambda cue: cue.start)
    for index, cue in enumerate(cues):
        lines.append(f"{_lrc_time(cue.start / rate)}{one_line(cue.text)}")
        following = cues[index + 1].start if index + 1 < len(cues) else None
        if following is None or following - cue.end > rate // 2:
            lines.append(_lrc_time(cue.end / rate))
    return "\n".join(lines) + "\n"


def window_dict(window: SideWindow, rate: int) -> dict[str, Any]:
    """One entry of `windows`: its span in seconds and its facts (null where they do not apply)."""
    facts = window.facts
    counted = bool(window.rep_starts)
    timed = window.kind == "work" and facts.reps is None
    return {
        "kind": window.kind,
        "start": window.start / rate,
        "end": window.end / rate,
        "label": window.label,
        "chapter": window.chapter,
        "exercise": facts.exercise,
        "set": facts.set,
        "sets": facts.sets,
        "side": facts.side,
        "round": facts.round,
        "rounds": facts.rounds,
        "reps": facts.reps,
        "work": (window.end - window.start) / rate if timed else None,
        "hold": facts.hold if counted else None,
        "to_failure": facts.to_failure,
        "rep_starts": [start / rate for start in window.rep_starts] if counted else None,
        "alternate": list(facts.alternate) if facts.alternate else None,
    }


def timeline_dict(info: TrackInfo) -> dict[str, Any]:
    """The `coach-timeline` JSON document (times in seconds of the decoded file)."""
    rate = info.sample_rate
    return {
        "format": FORMAT,
        "version": VERSION,
        "duration": info.frames / rate,
        "sample_rate": rate,
        "cues": [
            {
                "start": cue.start / rate,
                "end": cue.end / rate,
                "text": cue.text,
                "kind": cue.kind,
                "chapter": cue.chapter,
            }
            for cue in info.cues
        ],
        "chapters": [
            {"title": chapter.title, "start": chapter.start / rate, "end": chapter.end / rate}
            for chapter in info.chapters
        ],
        "windows": [window_dict(window, rate) for window in info.windows],
        "title": info.title,
        "album": info.album,
        "frames": info.frames,
        "warnings": list(info.warnings),
    }


def timeline_json(info: TrackInfo) -> str:
    return json.dumps(timeline_dict(info), indent=2, ensure_ascii=False) + "\n"


def chapters_dict(info: TrackInfo, file_name: str = "") -> dict[str, Any]:
    """The Podcasting 2.0 JSON chapters of one file: each chapter's start and end in
    seconds and its title."""
    rate = info.sample_rate
    document: dict[str, Any] = {
        "version": CHAPTERS_VERSION,
        "title": info.title,
        "podcastName": info.album,
    }
    if file_name:
        document["fileName"] = file_name
    document["chapters"] = [
        {
            "startTime": round(chapter.start / rate, 3),
            "endTime": round(chapter.end / rate, 3),
            "title": chapter.title,
        }
        for chapter in sorted(info.chapters, key=lambda chapter: chapter.start)
    ]
    return document


def chapters_json(info: TrackInfo, file_name: str = "") -> str:
    return json.dumps(chapters_dict(info, file_name), indent=2, ensure_ascii=False) + "\n"


def _vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _vtt_escape(text: str) -> str:
    """Cue text as WebVTT reads it: one line, with &, < and > as character references."""
    line = one_line(text)
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vtt_text(info: TrackInfo) -> str:
    """A WebVTT transcript: one cue per spoken line, from its start to its end."""
    rate = info.sample_rate
    blocks = ["WEBVTT"]
    for cue in sorted(info.cues, key=lambda cue: cue.start):
        start = cue.start / rate
        end = max(cue.end / rate, start + 0.001)  # a cue must not end before it starts
        blocks.append(f"{_vtt_time(start)} --> {_vtt_time(end)}\n{_vtt_escape(cue.text)}")
    return "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class PlaylistEntry:
    """One line of a playlist: a file name relative to the playlist, its length and title."""

    file: str
    seconds: float
    title: str


def m3u8_text(entries: Sequence[PlaylistEntry]) -> str:
    """An extended M3U playlist in UTF-8 with relative paths."""
    lines = ["#EXTM3U"]
    for entry in entries:
        lines.append(f"#EXTINF:{round(entry.seconds)},{one_line(entry.title)}")
        lines.append(entry.file)
    return "\n".join(lines) + "\n"
