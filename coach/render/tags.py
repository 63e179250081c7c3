"""ID3 tags for phone music apps: names, track numbers, a cover, chapters and lyrics.

Tags are written with mutagen into the finished (still temporary) MP3, as
ID3v2.3, the version every phone and car stereo reads. Session files get
CHAP frames (one per chapter, with its title) and a CTOC listing them, so
players that show chapters can jump to an exercise. A CTOC lists at most 255
entries (its count is one byte), so a longer session gets a top-level CTOC whose
entries are child CTOCs of up to 255 chapters each, in time order.

The script rides along as lyrics, for phone players that ignore a `.lrc` beside the
file: USLT holds every cue's text (one per line) and SYLT each cue with its start in
milliseconds of the file (timestamp format 2), so a player shows the cue being spoken.
"""

from __future__ import annotations

import hashlib
import importlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from coach.render.sidecars import one_line

ARTIST = "coach"
GENRE = "Fitness"
COVER_SIZE = 600
FONT_FILE = "DejaVuSans-Bold.ttf"
TOC_ENTRIES = 255  # the most one CTOC frame can list


@dataclass(frozen=True)
class ChapterMark:
    """A chapter in milliseconds of the file."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class TrackTags:
    """Everything written into one file's tag."""

    title: str
    album: str
    track: int
    total: int
    cover: bytes | None = None  # PNG
    chapters: Sequence[ChapterMark] = ()
    comment: str = ""
    lyrics: Sequence[LyricLine] = ()


@dataclass(frozen=True)
class LyricLine:
    """One spoken cue: its text and where it starts, in milliseconds of the file."""

    text: str
    start_ms: int


LYRICS_LANGUAGE = "eng"
SYLT_MILLISECONDS = 2  # SYLT timestamp format: absolute time in milliseconds
SYLT_LYRICS = 1  # SYLT content type: lyrics


def write_tags(path: Path, tags: TrackTags) -> None:
    """Replace any tag in the MP3 at `path` with `tags`."""
    # mutagen's frame classes are untyped; reach them through one Any-typed module.
    id3: Any = importlib.import_module("mutagen.id3")
    APIC, CHAP, COMM, TALB = id3.APIC, id3.CHAP, id3.COMM, id3.TALB
    TCON, TIT2, TPE1, TPE2, TRCK = id3.TCON, id3.TIT2, id3.TPE1, id3.TPE2, id3.TRCK

    tag = id3.ID3()
    tag.add(TIT2(encoding=3, text=[tags.title]))
    tag.add(TALB(encoding=3, text=[tags.album]))
    tag.add(TPE1(encoding=3, text=[ARTIST]))
    tag.add(TPE2(encoding=3, text=[ARTIST]))
    tag.add(TRCK(encoding=3, text=[f"{tags.track}/{tags.total}"]))
    tag.add(TCON(encoding=3, text=[GENRE]))
    if tags.comment:
        tag.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    if tags.cover is not None:
        tag.add(
            APIC(
                encoding=3,
                mime="image/png",
                type=id3.PictureType.COVER_FRONT,
                desc="cover",
                data=tags.cover,
            )
        )
    if tags.lyrics:
        lines = [one_line(line.text) for line in tags.lyrics]
        tag.add(id3.USLT(encoding=3, lang=LYRICS_LANGUAGE, desc="", text="\n".join(lines)))
        tag.add(
            id3.SYLT(
                encoding=3,
                lang=LYRICS_LANGUAGE,
                format=SYLT_MILLISECONDS,
                type=SYLT_LYRICS,
                desc="",
                text=[(text, line.start_ms) for text, line in zip(lines, tags.lyrics, strict=True)],
            )
        )
    if tags.chapters:
        ids = [f"chp{index}" for index in range(len(tags.chapters))]
        for frame in _tables_of_contents(id3, ids, tags.album):
            tag.add(frame)
        for element_id, mark in zip(ids, tags.chapters, strict=True):
            tag.add(
                CHAP(
                    element_id=element_id,
                    start_time=mark.start_ms,
                    end_time=mark.end_ms,
                    sub_frames=[TIT2(encoding=3, text=[mark.title])],
                )
            )
    tag.save(str(path), v2_version=3)
    if tags.chapters:
        put_chapters_in_time_order(path)


def _tables_of_contents(id3: Any, ids: list[str], title: str) -> list[Any]:
    """CTOC frames for chapters `ids`: one, or a top level over child tables of 255 each."""
    flags = id3.CTOCFlags.ORDERED
    frames = []
    level, depth = ids, 0
    while len(level) > TOC_ENTRIES:
        depth += 1
        groups = [level[at : at + TOC_ENTRIES] for at in range(0, len(level), TOC_ENTRIES)]
        level = [f"toc{depth}-{number}" for number in range(len(groups))]
        frames += [
            id3.CTOC(element_id=name, flags=flags, child_element_ids=group, sub_frames=[])
            for name, group in zip(level, groups, strict=True)
        ]
    top = id3.CTOC(
        element_id="toc",
        flags=flags | id3.CTOCFlags.TOP_LEVEL,
        child_element_ids=level,
        sub_frames=[id3.TIT2(encoding=3, text=[title])],
    )
    return [top, *frames]


def put_chapters_in_time_order(path: Path) -> None:
    """Reorder the CHAP frames of the ID3v2.3 tag at the start of `path` by start time.

    mutagen writes frames sorted by size, so chapters come out shuffled; players that
    read CHAP frames in file order (ffmpeg-based ones among them) and ignore the CTOC
    would list them that way. Frames only change places: the tag keeps its size.
    """
    with path.open("r+b") as file:
        header = file.read(10)
        if header[:3] != b"ID3" or header[3] != 3 or header[5] & 0x40:  # 2.3, no extended header
            return
        size = sum((byte & 0x7F) << (7 * (3 - index)) for index, byte in enumerate(header[6:10]))
        body = file.read(size)
        frames: list[bytes] = []
        position = 0
        while position + 10 <= len(body) and body[position] != 0:
            length = 10 + int.from_bytes(body[position + 4 : position + 8], "big")
            frames.append(body[position : position + length])
            position += length
        slots = [index for index, frame in enumerate(frames) if frame[:4] == b"CHAP"]
        ordered = sorted((frames[index] for index in slots), key=_chapter_start)
        for index, frame in zip(slots, ordered, strict=True):
            frames[index] = frame
        file.seek(10)
        file.write(b"".join(frames))


def _chapter_start(frame: bytes) -> int:
    """The start time (ms) of a CHAP frame: after its 10-byte header and element id."""
    after_id = frame.index(b"\0", 10) + 1
    return int.from_bytes(frame[after_id : after_id + 4], "big")


def make_cover(title: str, subtitle: str = "coach") -> bytes:
    """A square PNG: `title` in large letters on a plain background chosen from the title."""
    from PIL import Image, ImageDraw

    digest = hashlib.sha256(title.encode("utf-8")).digest()
    hue = digest[0] / 255
    background = _hsv(hue, 0.45, 0.35)
    image = Image.new("RGB", (COVER_SIZE, COVER_SIZE), background)
    draw = ImageDraw.Draw(image)
    margin = COVER_SIZE // 12
    width = COVER_SIZE - 2 * margin
    size = 72
    lines: list[str] = []
    font = cover_font(size)
    while size >= 24:
        font = cover_font(size)
        lines = _wrap(title or "coach", font, draw, width)
        if len(lines) <= 5:
            break
        size -= 8
    lines = lines[:6]
    spacing = size // 4
    heights = [_box(draw, line, font)[3] for line in lines]
    top = (COVER_SIZE - sum(heights) - spacing * (len(lines) - 1)) // 2 - size // 2
    for line, height in zip(lines, heights, strict=True):
        draw.text((margin, top), line, font=font, fill=(255, 255, 255))
        top += height + spacing
    small = cover_font(max(20, size // 2))
    draw.text((margin, COVER_SIZE - margin - size // 2), subtitle, font=small, fill=(220, 220, 220))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cover_font(size: int) -> Any:
    """The cover's typeface at `size` px: DejaVu Sans Bold, shipped in coach/render/fonts.

    Pillow's built-in font covers only ASCII; DejaVu Sans draws Latin with every accent,
    Greek and Cyrillic, so titles such as "Ganzkörper – Übung" show as written."""
    from PIL import ImageFont

    return ImageFont.truetype(io.BytesIO(_font_bytes()), size)


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return resources.files("coach.render").joinpath("fonts", FONT_FILE).read_bytes()


def _box(draw: object, text: str, font: object) -> tuple[int, int, int, int]:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)  # type: ignore[attr-defined]
    return int(left), int(top), int(right - left), int(bottom)


def _wrap(text: str, font: object, draw: object, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and _box(draw, candidate, font)[2] > width:
            lines.append(current)
            current = word
        else:
            current = candidate
        while _box(draw, current, font)[2] > width and len(current) > 1:
            # A single word wider than the cover: break it.
            cut = len(current) - 1
            while cut > 1 and _box(draw, current[:cut], font)[2] > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return int(r * 255), int(g * 255), int(b * 255)
