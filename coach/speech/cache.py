"""The clip cache: every synthesized clip kept on disk, keyed by engine identity and text.

An entry is one file: a 24-byte header (magic, format version, sample rate, frame
count, CRC-32 of the samples) and the samples as little-endian int16. A reader
trusts an entry only when the header, the file size and the checksum all agree;
anything else (a torn write, a truncated or corrupt file) is a miss, and the clip
is synthesized again. Writers write a temporary file in the same folder and rename
it over the entry, so a reader never sees half a clip, even with two renders at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import sys
import tempfile
import threading
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.paths import default_cache_dir
from coach.speech.base import Clip, Engine

MAGIC = b"COACHCLP"
FORMAT = 1
HEADER = struct.Struct("<8sHxxIQI")  # magic, format, (pad), rate, frames, crc32
SUFFIX = ".clip"


def cache_key(identity: str, text: str) -> str:
    """The entry name for one text spoken by one engine set-up."""
    return hashlib.sha256(f"{identity}\x00{text}".encode()).hexdigest()


def encode_clip(clip: Clip) -> bytes:
    payload = clip.samples.astype("<i2", copy=False).tobytes()
    header = HEADER.pack(MAGIC, FORMAT, clip.sample_rate, clip.frames, zlib.crc32(payload))
    return header + payload


def decode_clip(data: bytes) -> Clip | None:
    """The clip in an entry's bytes, or None when the entry is damaged in any way."""
    if len(data) < HEADER.size:
        return None
    magic, version, rate, frames, crc = HEADER.unpack_from(data)
    payload = data[HEADER.size :]
    if magic != MAGIC or version != FORMAT or rate <= 0 or len(payload) != frames * 2:
        return None
    if zlib.crc32(payload) != crc:
        return None
    return Clip(np.frombuffer(payload, dtype="<i2").astype(np.int16), rate)


@dataclass(frozen=True)
class CacheInfo:
    directory: Path
    entries: int
    bytes: int


class ClipCache:
    """Clips on disk under `directory` (default: default_cache_dir())."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else default_cache_dir()
        self.clips = self.directory / "clips"

    def path(self, key: str) -> Path:
        return self.clips / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str) -> Clip | None:
        """The cached clip, or None if absent or damaged (a damaged entry is removed)."""
        path = self.path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        clip = decode_clip(data)
        if clip is None:
            with contextlib.suppress(OSError):
                path.unlink()
        return clip

    def put(self, key: str, clip: Clip) -> None:
        """Store a clip atomically: temp file in the same folder, then rename over the entry."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(encode_clip(clip))
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def entries(self) -> list[Path]:
        if not self.clips.is_dir():
            return []
        return sorted(self.clips.glob(f"*/*{SUFFIX}"))

    def info(self) -> CacheInfo:
        entries = [p for p in self.entries() if not p.name.startswith(".tmp-")]
        size = 0
        for entry in entries:
            with contextlib.suppress(OSError):
                size += entry.stat().st_size
        return CacheInfo(self.directory, len(entries), size)

    def clear(self) -> int:
        """Remove every entry (and leftover temp files); the number of entries removed."""
        removed = 0
        for entry in self.entries():
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += not entry.name.startswith(".tmp-")
        if self.clips.is_dir():
            for folder in self.clips.iterdir():
                with contextlib.suppress(OSError):
                    folder.rmdir()
        return removed


@dataclass
class CacheStats:
    """What a CachedVoice did: clips made by the engine, read from disk, reused in memory."""

    synthesized: int = 0
    disk_hits: int = 0
    memory_hits: int = 0


class CachedVoice:
    """A Voice: in-memory clips on top of the disk cache on top of an engine."""

    def __init__(self, engine: Engine, cache: ClipCache | None = None) -> None:
        self.engine = engine
        self.cache = cache if cache is not None else ClipCache()
        self.identity = engine.identity()
        self.stats = CacheStats()
        self._clips: dict[str, Clip] = {}
        self._lock = threading.Lock()
        self.write_error: OSError | None = None

    def clip(self, text: str) -> Clip:
        with self._lock:
            found = self._clips.get(text)
            if found is not None:
                self.stats.memory_hits += 1
                return found
        self.prepare([text])
        return self._clips[text]

    def prepare(self, texts: Iterable[str]) -> None:
        with self._lock:
            wanted = [t for t in dict.fromkeys(texts) if t not in self._clips]
        missing: list[str] = []
        for text in wanted:
            found = self.cache.get(cache_key(self.identity, text))
            if found is None:
                missing.append(text)
            else:
                with self._lock:
                    self._clips[text] = found
                    self.stats.disk_hits += 1
        if not missing:
            return
        for text in missing:
            clip = self.engine.synthesize(text)
            self._store(text, clip)
            with self._lock:
                self._clips[text] = clip
                self.stats.synthesized += 1

    def _store(self, text: str, clip: Clip) -> None:
        """Keep a clip on disk; a cache that cannot be written only costs speed, once noted."""
        if self.write_error is not None:
            return
        try:
            self.cache.put(cache_key(self.identity, text), clip)
        except OSError as error:
            self.write_error = error
            print(
                f"coach: cannot write the clip cache in {self.cache.directory} ({error.strerror}); "
                "continuing without it",
                file=sys.stderr,
            )
