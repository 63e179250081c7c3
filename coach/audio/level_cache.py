"""Loudness plans remembered between renders of the same session.

Planning measures every clip and limits its peaks twice to find the gain; for a
session rendered again (another bitrate, split or output folder, or simply again)
the answer is the same, so it is kept in the cache folder under a digest of
everything it depends on: the plan's format and constants, coach's version, the
target, the sample rate and length, where every cue starts and the exact samples
of its clip, and every tone. Any difference gives another name. Each entry carries
a checksum of its key and numbers, so an entry that was edited, damaged or copied
under another name is ignored and planned again (and replaced). Entries are a few
bytes of JSON, read only from regular files of a bounded size.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import coach
from coach.files import read_own_file, write_atomically
from coach.timeline import Timeline

FORMAT = 2
FOLDER = "plans"
MAX_ENTRY_BYTES = 4096


@dataclass(frozen=True)
class Remembered:
    """What a plan without music comes to: the gain in dB and the predicted loudness."""

    gain_db: float
    loudness: float


def plan_key(timeline: Timeline, settings: str) -> str:
    """A digest of the session as planning sees it (`settings`: the plan's constants)."""
    digest = hashlib.blake2b(digest_size=24)
    version = getattr(coach, "__version__", "?")
    head = f"{FORMAT}|{version}|{settings}|{timeline.sample_rate}|{timeline.length}|"
    digest.update(head.encode())
    clips: dict[int, bytes] = {}
    for cue in timeline.cues:
        samples = cue.clip.samples
        clip = clips.get(id(samples))
        if clip is None:
            data = np.ascontiguousarray(samples, dtype="<i2")
            clip = clips[id(samples)] = hashlib.blake2b(data.tobytes(), digest_size=16).digest()
        digest.update(cue.start.to_bytes(8, "little", signed=True))
        digest.update(clip)
    digest.update(b"|tones|")
    for tone in timeline.tones:
        digest.update(f"{tone.start},{tone.frames},{tone.frequency!r};".encode())
    return digest.hexdigest()


def _checksum(key: str, gain_db: float, loudness: float) -> str:
    text = f"{FORMAT}|{key}|{gain_db!r}|{loudness!r}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def recall(folder: Path, key: str) -> Remembered | None:
    """The plan remembered under `key`, or None if absent, damaged or not this key's."""
    try:
        data = json.loads(read_own_file(folder / f"{key}.json", MAX_ENTRY_BYTES))
        found = Remembered(float(data["gain_db"]), float(data["loudness"]))
        check = data["check"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not math.isfinite(found.gain_db + found.loudness):
        return None
    if data.get("key") != key or check != _checksum(key, found.gain_db, found.loudness):
        return None
    return found


def remember(folder: Path, key: str, plan: Remembered) -> None:
    """Keep `plan` under `key`; a folder that cannot be written is no error."""
    check = _checksum(key, plan.gain_db, plan.loudness)
    entry = {"key": key, "gain_db": plan.gain_db, "loudness": plan.loudness, "check": check}
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"{key}.json", json.dumps(entry).encode("utf-8"))


def forget_all(folder: Path) -> None:
    """Remove every remembered plan (and any temporary a killed run left); OSError if not."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / name)
    with contextlib.suppress(FileNotFoundError):
        os.rmdir(folder)
