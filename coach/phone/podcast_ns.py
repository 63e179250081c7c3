"""A feedgen extension for the Podcasting 2.0 namespace (`podcast:` elements).

feedgen's own podcast extension writes the iTunes elements; this one adds, per
episode, `podcast:chapters` (the JSON chapters) and `podcast:transcript` (the
WebVTT transcript). Register it under NAME:

    feed.register_extension(NAME, PodcastIndexFeed, PodcastIndexEntry)
    entry.podcastindex.chapters(url)
"""

from __future__ import annotations

from typing import Any

NAMESPACE = "https://podcastindex.org/namespace/1.0"
PREFIX = "podcast"
NAME = "podcastindex"  # feedgen's "podcast" is its iTunes extension
CHAPTERS_TYPE = "application/json+chapters"
TRANSCRIPT_TYPE = "text/vtt"


class PodcastIndexFeed:
    """The feed-level part: declares the namespace on the `<rss>` element."""

    def extend_ns(self) -> dict[str, str]:
        return {PREFIX: NAMESPACE}

    def extend_rss(self, feed: Any) -> Any:
        return feed

    def extend_atom(self, feed: Any) -> Any:
        return feed


class PodcastIndexEntry(PodcastIndexFeed):
    """One episode's `podcast:chapters` and `podcast:transcript` links."""

    def __init__(self) -> None:
        self._chapters: str | None = None
        self._transcripts: list[tuple[str, str]] = []

    def chapters(self, url: str) -> None:
        """Link the episode's JSON chapters file."""
        self._chapters = url

    def transcript(self, url: str, media_type: str = TRANSCRIPT_TYPE) -> None:
        """Link a transcript of the episode."""
        self._transcripts.append((url, media_type))

    def extend_rss(self, entry: Any) -> Any:
        from feedgen.util import xml_elem

        if self._chapters is not None:
            element = xml_elem(f"{{{NAMESPACE}}}chapters", entry)
            element.set("url", self._chapters)
            element.set("type", CHAPTERS_TYPE)
        for url, media_type in self._transcripts:
            element = xml_elem(f"{{{NAMESPACE}}}transcript", entry)
            element.set("url", url)
            element.set("type", media_type)
        return entry
