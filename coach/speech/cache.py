"""The clip cache: every synthesized clip kept on disk, keyed by engine identity and text.

An entry is one file: a 56-byte header (magic, format version, sample rate, frame
count, CRC-32 of the samples, and the entry's own key) and the samples as
little-endian int16. A reader trusts an entry only when the header, the key, the
file size and the checksum all agree; anything else (a torn write, a truncated or
corrupt file, a valid entry copied under another key's name) is a miss, and the
clip is synthesized again. Only regular files of a bounded size are read, so a FIFO
or a link planted in the cache cannot hang a run. Writers write a temporary file in
the same folder and rename it over the entry (coach.files), so a reader never sees
half a clip, even with two renders at once.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import struct
import sys
import threading
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.audio.clip import Clip
from coach.errors import CoachError
from coach.files import read_own_file, write_atomically
from coach.paths import CACHE_ENV, default_cache_dir
from coach.speech.base import Engine

MAGIC = b"COACHCLP"
FORMAT = 2
HEADER = struct.Struct("<8sHxxIQI32s")  # magic, format, (pad), rate, frames, crc32, key
SUFFIX = ".clip"
MAX_ENTRY_BYTES = HEADER.size + 2 * 22050 * 60 * 30  # half an hour of speech: far more than a cue


def cache_key(identity: str, text: str) -> str:
    """The entry name for one text spoken by one engine set-up."""
    return hashlib.sha256(f"{identity}\x00{text}".encode()).hexdigest()


def encode_clip(clip: Clip, key: str) -> bytes:
    """The bytes of the entry that stores `clip` under `key`."""
    payload = clip.samples.astype("<i2", copy=False).tobytes()
    crc = zlib.crc32(payload)
    header = HEADER.pack(MAGIC, FORMAT, clip.sample_rate, clip.frames, crc, bytes.fromhex(key))
    return header + payload


def decode_clip(data: bytes, key: str) -> Clip | None:
    """The clip in an entry's bytes, or None when it is damaged or belongs to another key."""
    if len(data) < HEADER.size:
        return None
    magic, version, rate, frames, crc, owner = HEADER.unpack_from(data)
    payload = data[HEADER.size :]
    if magic != MAGIC or version != FORMAT or rate <= 0 or len(payload) != frames * 2:
        return None
    if owner != bytes.fromhex(key) or zlib.crc32(payload) != crc:
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
        """The cached clip, or None if absent or untrustworthy (a damaged entry is removed)."""
        path = self.path(key)
        try:
            data = read_own_file(path, MAX_ENTRY_BYTES)
        except FileNotFoundError:
            return None
        except OSError:
            data = b""  # a folder, a FIFO, a link or a huge file where an entry should be
        clip = decode_clip(data, key)
        if clip is None:
            with contextlib.suppress(OSError):
                path.unlink()
        return clip

    def put(self, key: str, clip: Clip) -> None:
        """Store a clip atomically: temp file in the same folder, then rename over the entry."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, encode_clip(clip, key))

    def files(self, doing: str = "read") -> list[Path]:
        """Every file in the clip folders: entries and any temporary left by a killed run.

        CoachError if the cache folder cannot be read."""
        found: list[Path] = []
        try:
            if self.directory.exists() and not self.directory.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder")
            with os.scandir(self.clips) as folders:
                for folder in folders:
                    if folder.is_dir(follow_symlinks=False):
                        with os.scandir(folder.path) as entries:
                            found += [Path(e.path) for e in entries if not e.is_dir()]
        except FileNotFoundError:
            return []  # nothing cached yet
        except OSError as error:
            raise cache_error(self.directory, doing, error) from None
        return sorted(found)

    def info(self) -> CacheInfo:
        entries = [p for p in self.files() if _is_entry(p)]
        size = 0
        for entry in entries:
            with contextlib.suppress(OSError):
                size += entry.lstat().st_size
        return CacheInfo(self.directory, len(entries), size)

    def clear(self) -> int:
        """Remove every entry (and leftover temp files); the number of entries removed.

        CoachError naming the first failure if anything could not be removed."""
        removed = 0
        failures: list[OSError] = []
        for entry in self.files("clear"):
            try:
                entry.unlink()
            except FileNotFoundError:
                continue
            except OSError as error:
                failures.append(error)
                continue
            removed += _is_entry(entry)
        with contextlib.suppress(OSError), os.scandir(self.clips) as folders:
            for folder in folders:
                with contextlib.suppress(OSError):
                    os.rmdir(folder.path)
        if failures:
            raise cache_error(self.directory, "clear", failures[0], len(failures))
        return removed


def _is_entry(path: Path) -> bool:
    return path.suffix == SUFFIX and not path.name.startswith(".")


def cache_error(directory: Path, doing: str, error: OSError, count: int = 1) -> CoachError:
    """The one message for a cache folder that cannot be read or cleared."""
    reason = error.strerror or str(error)
    files = f" ({count} files)" if count > 1 else ""
    return CoachError(
        f"cannot {doing} the cache folder {directory}: {reason}{files}; it only makes runs "
        f"faster: fix its permissions, or point {CACHE_ENV} at another folder"
    )


@dataclass
class CacheStats:
    """What a CachedVoice did: clips made by the engine, read from disk, reused in memory."""

    synthesized: int = 0
    disk_hits: int = 0
    memory_hits: int = 0


class CachedVoice:
    """A Voice: in-memory clips on top of the disk cache on top of an engine.

    `prepare` synthesizes the texts it is missing on as many threads as the engine
    says it serves at once (its `workers`, 1 when it says nothing); every clip is
    stored under its own text, whichever thread made it."""

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
        workers = min(max(1, int(getattr(self.engine, "workers", 1))), len(missing))
        if workers == 1:
            for text in missing:
                self._make(text)
            return
        pool = ThreadPoolExecutor(workers, thread_name_prefix="coach-speak")
        try:
            # Longest first, so the last clip to finish is a short one; the first
            # failure is raised here, and the texts not yet started are dropped.
            list(pool.map(self._make, sorted(missing, key=len, reverse=True)))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _make(self, text: str) -> None:
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
            with self._lock:
                if self.write_error is not None:
                    return
                self.write_error = error
            print(
                f"coach: cannot write the clip cache in {self.cache.directory} ({error.strerror}); "
                "continuing without it",
                file=sys.stderr,
            )
