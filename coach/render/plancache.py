"""Loudness plans remembered between renders of the same session.

Planning measures every clip and limits its peaks twice to find the gain; for a
session rendered again (another bitrate, split or output folder, or simply again)
the answer is the same, so it is kept in the cache folder under a digest of
everything it depends on: the plan's format and constants, coach's version, the
target, the sample rate and length, where every cue starts and the exact samples
of its clip, and every tone. Any difference gives another name; an unreadable or
damaged entry is ignored and planned again. Entries are a few bytes of JSON.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import coach
from coach.timeline import Timeline

FORMAT = 1
FOLDER = "plans"


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


def recall(folder: Path, key: str) -> Remembered | None:
    """The plan remembered under `key`, or None."""
    try:
        data = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        found = Remembered(float(data["gain_db"]), float(data["loudness"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if data.get("key") != key or not math.isfinite(found.gain_db + found.loudness):
        return None
    return found


def remember(folder: Path, key: str, plan: Remembered) -> None:
    """Keep `plan` under `key`; a folder that cannot be written is no error."""
    text = json.dumps({"key": key, "gain_db": plan.gain_db, "loudness": plan.loudness})
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, folder / f"{key}.json")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
