"""How fast each engine speaks, measured on its clips: words per minute, median.

Instructions: every `setup:` and `cues:` line of the shipped routines (routines/*.yaml,
their level-2 variants included) of three words or more. Calls: counts and one- or
two-word calls ("Three", "Go!", "Down.", "Last one!"). Each text is synthesized on an
empty cache and its pace is words / seconds of the trimmed clip; the table gives the
median over the set. A human coach gives instructions at about 150-170 words a minute.

    python scripts/voice_pace.py                     # pyttsx3 and piper, default rates
    python scripts/voice_pace.py --engines pyttsx3 --rate 150
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from coach.errors import CoachError
from coach.speech.base import EngineOptions
from coach.speech.cache import CachedVoice, ClipCache
from coach.speech.engines import create_engine

ROUTINES = Path(__file__).resolve().parent.parent / "routines"
CALLS = [
    "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Go!", "And go!", "Down.", "Up.", "Hold.", "Rest.", "Switch.", "Last one!", "Last five!",
    "Twenty", "Fifteen",
]  # fmt: skip


def _lines(node: Any) -> Iterator[str]:
    """Every string under a `setup` or `cues` key anywhere in a routine's YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("setup", "cues") and isinstance(value, list):
                yield from (item for item in value if isinstance(item, str))
            else:
                yield from _lines(value)
    elif isinstance(node, list):
        for item in node:
            yield from _lines(item)


def instructions(folder: Path = ROUTINES) -> list[str]:
    """The instruction sentences of the shipped routines, once each, in file order."""
    found: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        found += _lines(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [text for text in dict.fromkeys(found) if len(text.split()) >= 3]


def words_per_minute(voice: CachedVoice, texts: list[str]) -> float:
    """The median pace of `texts` as `voice` speaks them."""
    paces = []
    for text in texts:
        clip = voice.clip(text)
        if clip.frames:
            paces.append(len(text.split()) * 60 * clip.sample_rate / clip.frames)
    return statistics.median(paces)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="pyttsx3,piper")
    parser.add_argument("--rate", type=int, default=None, help="as coach's --rate")
    args = parser.parse_args(argv)
    texts = instructions()
    print(f"Median words per minute on the clips ({len(texts)} instruction sentences from")
    print(f"routines/*.yaml setup and cues; {len(CALLS)} counts and one- or two-word calls)\n")
    print("| engine | rate setting | instructions wpm | calls wpm |")
    print("|---|---|---:|---:|")
    for name in args.engines.split(","):
        try:
            engine = create_engine(name, EngineOptions(rate=args.rate))
        except CoachError as error:
            print(f"| {name} | {error} | | |")
            continue
        with tempfile.TemporaryDirectory(prefix="coach-pace-") as folder:
            voice = CachedVoice(engine, ClipCache(Path(folder)))
            said = words_per_minute(voice, texts)
            calls = words_per_minute(voice, CALLS)
        setting = engine.identity().split("/rate=", 1)[-1].split("/volume", 1)[0]
        print(f"| {name} | {setting} | {said:.0f} | {calls:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
