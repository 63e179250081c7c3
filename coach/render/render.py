"""Render a Timeline to MP3 files with tags, chapters and sidecars, atomically.

    render_timeline(timeline, "output/")  # output/<slug>.mp3, .lrc, .timeline.json, ...
    render_timeline(timeline, "output/", split="exercise")  # output/<slug>/NN-<chapter>.mp3, .m3u8

Every file is written under a hidden temporary name in its final folder and
renamed only when the whole render has succeeded; a failure or Ctrl-C removes
the temporaries (and any folder the render created), so no partial file ever
sits under a final name and nothing else in the folder is touched.
"""

from __future__ import annotations

import contextlib
import math
import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from coach.audio import level_cache
from coach.audio.ffmpeg import find_ffmpeg, kill_all
from coach.audio.levels import PendingPlan
from coach.errors import CoachError, InputError
from coach.files import put_in_place, temp_beside
from coach.paths import default_cache_dir
from coach.render.encode import Span, encode_group, encode_span
from coach.render.names import slugify
from coach.render.sidecars import (
    PlaylistEntry,
    SideChapter,
    SideCue,
    SideWindow,
    TrackInfo,
    chapters_json,
    lrc_text,
    m3u8_text,
    timeline_json,
    vtt_text,
)
from coach.render.tags import ChapterMark, LyricLine, TrackTags, make_cover, write_tags
from coach.signals import finishing
from coach.timeline import Timeline

SPLITS = ("session", "exercise")
DEFAULT_BITRATE = "96k"  # mono voice at 22.05 kHz
MUSIC_BITRATE = "192k"  # stereo at 44.1 kHz, with a music bed
_BITRATE = re.compile(r"^(\d{2,3})k?$")
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 Layer III at 22.05 kHz
STEREO_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)  # MPEG-1, 44.1k

MAX_GROUP = 32  # tracks per ffmpeg process (each costs it an output file and an encoder)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Track:
    """One output file: samples [start, end) of the session."""

    number: int
    total: int
    title: str
    start: int
    end: int
    mp3: Path
    chapters: tuple[int, ...]  # indices into timeline.chapters that this file marks


@dataclass(frozen=True)
class Album:
    """Where a session's file goes in a series of sessions (a program): the album's
    title and the track's number among all of them, for the tags."""

    title: str
    number: int
    total: int


@dataclass
class RenderResult:
    """What a render produced."""

    files: list[Path] = field(default_factory=list)
    tracks: list[Path] = field(default_factory=list)
    loudness: float = 0.0  # predicted integrated loudness before the gain, LUFS
    gain_db: float = 0.0


def default_bitrate(music: bool) -> str:
    """The bitrate a render uses unless told: 96k for voice, 192k with a music bed."""
    return MUSIC_BITRATE if music else DEFAULT_BITRATE


def parse_bitrate(text: str | int, music: bool = False) -> str:
    """'96k', '96' or 96 -> '96k'; InputError for anything the file's format cannot use
    (mono 22.05 kHz for voice, stereo 44.1 kHz with a music bed)."""
    match = _BITRATE.match(str(text).strip().lower())
    value = int(match.group(1)) if match else -1
    table = STEREO_BITRATES if music else MP3_BITRATES
    if value not in table:
        allowed = ", ".join(f"{rate}k" for rate in table)
        kind = "stereo 44.1 kHz, with --music" if music else "mono 22.05 kHz"
        raise InputError(f"--bitrate {text}: for {kind} choose one of {allowed}")
    return f"{value}k"


class Staging:
    """Temporary files beside their final names, renamed together on success."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []
        self.created_dirs: list[Path] = []
        self._token = secrets.token_hex(4)

    def make_dir(self, path: Path) -> None:
        """Create `path` and its missing parents, remembering which ones this render made."""
        missing = []
        probe = path
        while not probe.exists():
            missing.append(probe)
            probe = probe.parent
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:
                continue  # another render made it at the same moment: it is not ours to remove
            self.created_dirs.append(folder)
        if not path.is_dir():
            raise CoachError(f"{path} exists and is not a folder")

    def temp_for(self, final: Path) -> Path:
        temp = temp_beside(final, self._token)
        self.pending.append((temp, final))
        return temp

    def write_text(self, final: Path, text: str) -> None:
        self.temp_for(final).write_text(text, encoding="utf-8")

    def commit(self) -> list[Path]:
        """Rename every temporary to its final name: all of them, even if a signal comes."""
        for _, final in self.pending:
            if final.is_dir():
                raise CoachError(f"cannot write {final}: a folder has that name")
        done = []
        finishing()  # every file is ready: a signal now must not leave half of them renamed
        for temp, final in self.pending:
            put_in_place(temp, final)
            done.append(final)
        self.pending = []
        return done

    def abort(self) -> None:
        for temp, _ in self.pending:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
        self.pending = []
        for folder in reversed(self.created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()


def session_slug(timeline: Timeline) -> str:
    return slugify(timeline.routine or timeline.title, fallback="session")


def album_title(timeline: Timeline) -> str:
    return timeline.title or timeline.routine or "coach session"


def plan_tracks(timeline: Timeline, out_dir: Path, split: str) -> list[Track]:
    """The files a render of `timeline` writes, in order."""
    slug = session_slug(timeline)
    album = album_title(timeline)
    if split == "session":
        chapters = tuple(range(len(timeline.chapters)))
        return [Track(1, 1, album, 0, timeline.length, out_dir / f"{slug}.mp3", chapters)]
    spans = timeline.chapters
    if not spans:
        return [Track(1, 1, album, 0, timeline.length, out_dir / slug / f"01-{slug}.mp3", ())]
    total = len(spans)
    width = max(2, len(str(total)))
    tracks = []
    for index, chapter in enumerate(spans):
        start = 0 if index == 0 else chapter.start
        end = spans[index + 1].start if index + 1 < total else timeline.length
        name = f"{index + 1:0{width}d}-{slugify(chapter.title, fallback='chapter')}.mp3"
        tracks.append(
            Track(index + 1, total, chapter.title, start, end, out_dir / slug / name, (index,))
        )
    return tracks


def track_info(timeline: Timeline, track: Track) -> TrackInfo:
    """The cues, windows and chapters of one track, in samples from the track's start."""
    session = track.total == 1 and track.start == 0 and track.end == timeline.length
    cues = []
    for cue in timeline.cues:
        if track.start <= cue.start < track.end:
            chapter = cue.chapter if session else 0
            end = min(cue.end, track.end)
            cues.append(
                SideCue(cue.start - track.start, end - track.start, cue.text, cue.kind, chapter)
            )
    chapters = []
    for index in track.chapters:
        span = timeline.chapters[index]
        start = max(span.start, track.start) - track.start
        end = min(span.end, track.end) - track.start
        if not session:
            start, end = 0, track.end - track.start
        chapters.append(SideChapter(span.title, start, end))
    windows = [
        SideWindow(
            w.start - track.start,
            min(w.end, track.end) - track.start,
            w.kind,
            w.label,
            w.chapter if session else 0,
            w.facts,
            tuple(r - track.start for r in w.rep_starts if r < track.end),
        )
        for w in timeline.windows
        if track.start <= w.start < track.end
    ]
    return TrackInfo(
        title=track.title,
        album=album_title(timeline),
        frames=track.end - track.start,
        sample_rate=timeline.sample_rate,
        cues=cues,
        chapters=chapters,
        warnings=tuple(timeline.warnings) if session else (),
        windows=windows,
    )


def render_timeline(
    timeline: Timeline,
    out_dir: str | Path,
    split: str = "session",
    bitrate: str | int | None = None,
    music: str | Path | None = None,
    cover: bool = True,
    jobs: int = 1,
    progress: Progress | None = None,
    remember_plan: bool = True,
    name: str | None = None,
    title: str | None = None,
    album: Album | None = None,
) -> RenderResult:
    """Write the MP3 file(s) and sidecars for `timeline` into `out_dir`.

    `name` is the file name (made safe; default: the routine's name) and `title` the
    title in the tags (default: the session's); `album` puts a one-file session in a
    series (its album and track number in the tags). `bitrate` defaults to 96k for mono
    voice and 192k for the stereo 44.1 kHz file a `music` bed gives. With `remember_plan`,
    the loudness plan is kept in the cache folder and reused when the same session is
    rendered again (see coach.audio.level_cache)."""
    if split not in SPLITS:
        raise InputError(f"--split {split}: choose session or exercise")
    if jobs < 1:
        raise InputError(f"--jobs {jobs}: must be at least 1")
    if timeline.length <= 0:
        raise InputError("the session is empty: nothing to render")
    has_music = music is not None
    rate = parse_bitrate(default_bitrate(has_music) if bitrate is None else bitrate, has_music)
    find_ffmpeg()
    timeline = replace(timeline, routine=name or timeline.routine, title=title or timeline.title)
    out = Path(out_dir)
    tracks = plan_tracks(timeline, out, split)
    staging = Staging()
    cancel = threading.Event()
    lock = threading.Lock()
    pending: PendingPlan | None = None
    extras: Future[bytes | None] | None = None

    def report(frames: int) -> None:
        if progress is not None:
            with lock:
                progress(frames)

    def write_extras() -> bytes | None:
        """Sidecars, playlist and cover: made while ffmpeg encodes, off the critical path."""
        assert pending is not None
        pending.ready()  # not before: planning needs every core it can get
        if cancel.is_set():
            return None
        for track in tracks:
            info = track_info(timeline, track)
            stem = track.mp3.with_suffix("")
            staging.write_text(stem.with_name(stem.name + ".lrc"), lrc_text(info))
            staging.write_text(stem.with_name(stem.name + ".timeline.json"), timeline_json(info))
            chapters = chapters_json(info, track.mp3.name)
            staging.write_text(stem.with_name(stem.name + ".chapters.json"), chapters)
            staging.write_text(stem.with_name(stem.name + ".vtt"), vtt_text(info))
        if split == "exercise":
            entries = [
                PlaylistEntry(t.mp3.name, (t.end - t.start) / timeline.sample_rate, t.title)
                for t in tracks
            ]
            playlist = tracks[0].mp3.parent / f"{session_slug(timeline)}.m3u8"
            staging.write_text(playlist, m3u8_text(entries))
        return make_cover(album_title(timeline)) if cover else None

    def produce(group: list[tuple[Track, Path]]) -> None:
        assert pending is not None and extras is not None
        if not has_music and len(group) > 1:
            spans = [Span(temp, t.start, t.end, t.mp3.name) for t, temp in group]
            encode_group(pending, spans, rate, report, cancel)
        else:
            for track, temp in group:
                encode_span(
                    pending,
                    temp,
                    track.start,
                    track.end,
                    rate,
                    report,
                    cancel,
                    track.mp3.name,
                    stereo=has_music,
                )
        art = extras.result()
        for track, temp in group:
            write_tags(temp, _tags_for(timeline, track, art, album))

    helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-extras")
    try:
        staging.make_dir(tracks[0].mp3.parent)
        jobs_list = [(track, staging.temp_for(track.mp3)) for track in tracks]
        # The plan is made on other threads while the encoders start and wait for it.
        remember = default_cache_dir() / level_cache.FOLDER if remember_plan else None
        pending = PendingPlan(timeline, Path(music) if music is not None else None, remember)
        extras = helper.submit(write_extras)
        _run(_groups(jobs_list, jobs, has_music), produce, jobs, cancel)
        extras.result()
        plan = pending.ready()
        files = staging.commit()
    except OSError as error:
        cancel.set()
        _settle(extras)
        kill_all()
        staging.abort()
        where = error.filename or out
        raise CoachError(f"cannot write {where}: {error.strerror or error}") from error
    except BaseException:
        cancel.set()
        _settle(extras)
        kill_all()  # an encoder started just as the signal came would write on after abort
        staging.abort()
        raise
    finally:
        helper.shutdown(wait=False)
    return RenderResult(
        files=files,
        tracks=[track.mp3 for track in tracks],
        loudness=plan.loudness,
        gain_db=_db(plan.voice_gain),
    )


def _groups(
    jobs_list: list[tuple[Track, Path]], jobs: int, music: bool
) -> list[list[tuple[Track, Path]]]:
    """Tracks shared out among encoder processes: runs of consecutive tracks of about
    equal length, so each process encodes one stretch of the session, mixed once.

    Without music, several tracks share one ffmpeg (at most MAX_GROUP, for file handles);
    with music each track gets its own, so only one bed decoder runs per worker."""
    if music:
        return [[item] for item in jobs_list]
    count = max(min(jobs, len(jobs_list)), -(-len(jobs_list) // MAX_GROUP))
    left = sum(track.end - track.start for track, _ in jobs_list)
    groups: list[list[tuple[Track, Path]]] = [[]]
    load = 0
    for item in jobs_list:
        frames = item[0].end - item[0].start
        current = groups[-1]
        share = left / max(1, count - len(groups) + 1)  # a fair share of what is left
        full = len(current) >= MAX_GROUP
        if current and (full or (len(groups) < count and load + frames / 2 > share)):
            left -= load
            groups.append([])
            load = 0
        groups[-1].append(item)
        load += frames
    return groups


def _run(
    groups: list[list[tuple[Track, Path]]],
    produce: Callable[[list[tuple[Track, Path]]], None],
    jobs: int,
    cancel: threading.Event,
) -> None:
    if jobs == 1 or len(groups) == 1:
        for group in groups:
            produce(group)
        return
    with ThreadPoolExecutor(max_workers=min(jobs, len(groups))) as pool:
        futures = [pool.submit(produce, group) for group in groups]
        try:
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()
        except BaseException:
            cancel.set()
            for future in futures:
                future.cancel()
            raise


def _settle(extras: Future[bytes | None] | None) -> None:
    """Wait for the extras thread (so no temporary appears after the clean-up)."""
    if extras is not None:
        with contextlib.suppress(BaseException):
            extras.result()


def _tags_for(
    timeline: Timeline, track: Track, art: bytes | None, album: Album | None = None
) -> TrackTags:
    rate = timeline.sample_rate
    marks = []
    if track.total == 1 and len(track.chapters) > 1:
        # Chapters in the tag tile the whole file, so a player's chapter list covers every second.
        spans = [timeline.chapters[index] for index in track.chapters]
        for position, span in enumerate(spans):
            start = 0 if position == 0 else span.start
            end = spans[position + 1].start if position + 1 < len(spans) else timeline.length
            marks.append(ChapterMark(span.title, start * 1000 // rate, end * 1000 // rate))
    number, total = track.number, track.total
    if album is not None and track.total == 1:
        number, total = album.number, album.total
    info = track_info(timeline, track)
    lyrics = [LyricLine(cue.text, round(cue.start * 1000 / rate)) for cue in info.cues]
    return TrackTags(
        title=track.title,
        album=album.title if album is not None else album_title(timeline),
        track=number,
        total=total,
        cover=art,
        chapters=marks,
        comment="Made with coach",
        lyrics=lyrics,
    )


def _db(gain: float) -> float:
    return 20 * math.log10(gain) if gain > 0 else 0.0
