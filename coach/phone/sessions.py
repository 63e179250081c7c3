"""The rendered sessions in a folder, as the feed and the phone page list them.

A session is an MP3 that `coach render` wrote with its `.timeline.json` beside it
(whole-session renders only: a render split by exercise is a playlist, not an
episode). Everything is read from the files themselves: the timeline for the
title, length and cues, the MP3's tag for the album and the track number a
program render gives, the file system for size and age.

    sessions = find_sessions(Path("output"))  # programs in order, then the rest
"""

from __future__ import annotations

import importlib
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen import MutagenError

from coach.files import read_own_file

TIMELINE_SUFFIX = ".timeline.json"
MAX_TIMELINE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 3  # output/, a program's folder, and one more for good measure


@dataclass(frozen=True)
class Session:
    """One rendered session: where its files are (relative to the folder) and what it is."""

    mp3: str  # path relative to the folder, with forward slashes
    title: str
    album: str
    track: int | None  # its number in a program (the MP3's TRCK), None for a lone session
    tracks: int | None
    duration: float  # seconds of the decoded file, from the timeline
    size: int  # bytes of the MP3
    modified: float  # the MP3's mtime, seconds since the epoch
    timeline: dict[str, Any]

    @property
    def stem(self) -> str:
        """The MP3's path without `.mp3`: where its sidecars sit (`stem + ".vtt"`)."""
        return self.mp3[: -len(".mp3")]

    def sidecar(self, suffix: str) -> str:
        return self.stem + suffix


def find_sessions(root: Path) -> list[Session]:
    """Every whole-session render under `root`, programs first (by album, then track),
    then lone sessions newest first. Unreadable or foreign files, and MP3s that are
    links, are skipped."""
    found = []
    for timeline_path in _timelines(root, MAX_DEPTH):
        session = _read_session(root, timeline_path)
        if session is not None:
            found.append(session)
    in_programs = sorted(
        (s for s in found if s.track is not None), key=lambda s: (s.album, s.track or 0, s.mp3)
    )
    alone = sorted((s for s in found if s.track is None), key=lambda s: (-s.modified, s.mp3))
    return in_programs + alone


def _timelines(folder: Path, depth: int) -> list[Path]:
    paths: list[Path] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return paths
    parts = _listed_in_playlists(entries)
    for entry in entries:
        if entry.name.startswith(".") or entry.name in parts:
            continue  # hidden: a render's temporaries, or not ours
        if entry.is_symlink():
            continue
        if entry.is_dir() and depth > 0:
            paths.extend(_timelines(entry, depth - 1))
        elif _is_session_timeline(entry, parts):
            paths.append(entry)
    return paths


def _is_session_timeline(entry: Path, parts: set[str]) -> bool:
    name = entry.name
    if not name.endswith(TIMELINE_SUFFIX) or not entry.is_file():
        return False
    return name.removesuffix(TIMELINE_SUFFIX) + ".mp3" not in parts


def _listed_in_playlists(entries: list[Path]) -> set[str]:
    """The files the `.m3u8` playlists among `entries` list: the tracks of a render
    split by exercise, which are parts of a session rather than sessions."""
    listed: set[str] = set()
    for entry in entries:
        if entry.suffix != ".m3u8" or entry.is_symlink():
            continue
        try:
            text = read_own_file(entry, MAX_TIMELINE_BYTES).decode("utf-8", "replace")
        except OSError:
            continue
        listed.update(line.strip() for line in text.splitlines() if line and line[0] != "#")
    return listed


def _read_session(root: Path, timeline_path: Path) -> Session | None:
    mp3 = timeline_path.with_name(timeline_path.name[: -len(TIMELINE_SUFFIX)] + ".mp3")
    try:
        document = json.loads(read_own_file(timeline_path, MAX_TIMELINE_BYTES))
        info = mp3.lstat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None  # a link (perhaps out of the folder), a folder: not a session to publish
    if not isinstance(document, dict) or document.get("format") != "coach-timeline":
        return None
    track, tracks, album = _track_of(mp3)
    title = document.get("title")
    duration = document.get("duration")
    if not isinstance(title, str) or not isinstance(duration, int | float):
        return None
    return Session(
        mp3=mp3.relative_to(root).as_posix(),
        title=title,
        album=album or str(document.get("album") or title),
        track=track,
        tracks=tracks,
        duration=float(duration),
        size=info.st_size,
        modified=info.st_mtime,
        timeline=document,
    )


def _track_of(mp3: Path) -> tuple[int | None, int | None, str | None]:
    """The program number in the MP3's tag: (track, total, album). A lone session's
    tag says 1/1, which is not a place in a program."""
    id3: Any = importlib.import_module("mutagen.id3")
    try:
        tag = id3.ID3(mp3)
    except (OSError, MutagenError):
        return None, None, None
    album = str(tag["TALB"].text[0]) if "TALB" in tag else None
    if "TRCK" not in tag:
        return None, None, album
    number, _, total = str(tag["TRCK"].text[0]).partition("/")
    try:
        track, tracks = int(number), int(total) if total else None
    except ValueError:
        return None, None, album
    if tracks == 1:
        return None, None, album
    return track, tracks, album
