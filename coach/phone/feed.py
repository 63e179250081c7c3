"""A podcast feed of the sessions rendered in a folder, for podcast apps on a phone.

    write_feed(Path("output"), "http://192.168.1.23:8000/")  # output/feed.xml

RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, made with feedgen: each
session is an episode with its MP3 as the enclosure (absolute URL, length, type),
its length, its number in a program, a GUID that stays the same when the session
is rendered again, and links to its `.chapters.json` and `.vtt` where they exist.
The channel has a cover (`cover.png` in the folder, drawn if missing).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from coach.errors import InputError
from coach.files import write_atomically
from coach.phone.address import lan_address
from coach.phone.podcast_ns import NAME, PodcastIndexEntry, PodcastIndexFeed
from coach.phone.sessions import Session, find_sessions
from coach.render.tags import make_cover

FEED_NAME = "feed.xml"
COVER_NAME = "cover.png"
DEFAULT_PORT = 8000
DEFAULT_TITLE = "coach sessions"
CATEGORY = ("Health & Fitness", "Fitness")
_GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "coach:feed-episode")  # the GUIDs' own namespace


@dataclass(frozen=True)
class FeedResult:
    """What `write_feed` wrote: the feed, its episodes, and the cover if it drew one."""

    path: Path
    sessions: list[Session]
    base_url: str
    cover_made: Path | None


def default_base_url(port: int = DEFAULT_PORT) -> str:
    """Where `coach serve` publishes the folder by default: this machine on the LAN."""
    return f"http://{lan_address()}:{port}/"


def base_url_of(text: str) -> str:
    """`text` as a base URL ending in `/`; InputError unless it is an absolute http(s) URL."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(
            f"--base-url {text}: give the absolute address the folder is served at, "
            "such as http://192.168.1.23:8000/"
        )
    return text.strip() if text.strip().endswith("/") else text.strip() + "/"


def episode_guid(session: Session) -> str:
    """A GUID for the episode from its file's place and its album: the same after a re-render."""
    return str(uuid.uuid5(_GUIDS, f"{session.mp3}\n{session.album}"))


def write_feed(
    root: Path, base_url: str | None = None, title: str | None = None, output: Path | None = None
) -> FeedResult:
    """Write the feed of the sessions under `root` to `output` (default root/feed.xml)."""
    if not root.is_dir():
        raise InputError(f"{root}: no such folder; give the folder `coach render -o` wrote into")
    sessions = find_sessions(root)
    if not sessions:
        raise InputError(
            f"{root}: no rendered sessions here (an MP3 with its .timeline.json); "
            f"render one first, e.g. `coach render seven-minute -o {root}`"
        )
    base = base_url_of(base_url) if base_url is not None else default_base_url()
    channel = title or _channel_title(sessions)
    cover = root / COVER_NAME
    made = None
    if not cover.exists():
        write_atomically(cover, make_cover(channel, "coach"))
        made = cover
    target = output if output is not None else root / FEED_NAME
    write_atomically(target, feed_bytes(root, sessions, base, channel), output=True)
    return FeedResult(target, sessions, base, made)


def _channel_title(sessions: list[Session]) -> str:
    albums = {session.album for session in sessions}
    return albums.pop() if len(albums) == 1 else DEFAULT_TITLE


def _url(base: str, relative: str) -> str:
    return base + quote(relative)


def feed_bytes(root: Path, sessions: list[Session], base: str, title: str) -> bytes:
    """The RSS document for `sessions` (files under `root`, published at `base`)."""
    from feedgen.feed import FeedGenerator

    feed: Any = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension(NAME, PodcastIndexFeed, PodcastIndexEntry, atom=False)
    cover = _url(base, COVER_NAME)
    feed.title(title)
    feed.link(href=base)
    count = f"{len(sessions)} episode{'s' if len(sessions) != 1 else ''}"
    feed.description(f"Workout sessions rendered by coach: {count}.")
    feed.language("en")
    feed.generator("coach")
    feed.image(url=cover, title=title, link=base)
    feed.podcast.itunes_image(cover)
    feed.podcast.itunes_author("coach")
    feed.podcast.itunes_category(*CATEGORY)
    feed.podcast.itunes_explicit("no")
    feed.podcast.itunes_type("episodic")
    newest = max(session.modified for session in sessions)
    feed.lastBuildDate(datetime.fromtimestamp(newest, UTC))
    for session in sessions:
        _add_episode(feed, root, session, base)
    data: bytes = feed.rss_str(pretty=True)
    return data


def _add_episode(feed: Any, root: Path, session: Session, base: str) -> None:
    entry = feed.add_entry(order="append")
    entry.guid(episode_guid(session), permalink=False)
    entry.title(session.title)
    chapters = [str(c.get("title", "")) for c in session.timeline.get("chapters", [])]
    summary = session.album if session.album != session.title else "A coach session"
    if chapters:
        summary += ": " + ", ".join(chapters)
    entry.description(summary)
    entry.enclosure(_url(base, session.mp3), str(session.size), "audio/mpeg")
    entry.pubDate(datetime.fromtimestamp(session.modified, UTC))
    entry.podcast.itunes_duration(max(1, round(session.duration)))
    entry.podcast.itunes_episode_type("full")
    if session.track is not None:
        entry.podcast.itunes_episode(session.track)
    links = entry.podcastindex
    if (root / session.sidecar(".chapters.json")).is_file():
        links.chapters(_url(base, session.sidecar(".chapters.json")))
    if (root / session.sidecar(".vtt")).is_file():
        links.transcript(_url(base, session.sidecar(".vtt")))
