#!/usr/bin/env python3
"""Listen to a rendered session with an offline recogniser: are the words heard, on time?

    python scripts/listen.py output/at-home-glutes.mp3        # its .timeline.json beside it
    python scripts/listen.py session.mp3 --timeline t.json --worst 20
    python scripts/listen.py session.mp3 --transcript         # what was heard, with times

The MP3 is decoded by ffmpeg to 16 kHz mono; pocketsphinx (the `pocketsphinx` package,
its bundled en-us model, a free vocabulary: no grammar built from the cues) finds the
speech and the words with their times. For every cue of two or more words it counts
how many of its words were heard between its start and its end, one second of slack
either side, and prints the share over all those words, per cue kind, and the worst
cues. Exits 1 if fewer than --target % are heard (default 90), 2 on bad input.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from coaching_figures import words  # noqa: E402

RATE = 16000
PCM_OUT = ("-ac", "1", "-ar", str(RATE), "-f", "s16le", "-")  # ffmpeg: 16 kHz mono to stdout
SLACK = 1.0  # seconds either side of a cue where its words still count as on time
FILLERS = {"<s>", "</s>", "<sil>", "[noise]", "<unk>"}


@dataclass(frozen=True)
class Heard:
    """One recognised word and its span in seconds from the start of the file."""

    word: str
    start: float
    end: float


@dataclass(frozen=True)
class CueScore:
    start: float
    end: float
    text: str
    kind: str
    said: int  # words in the cue
    heard: int  # of them heard within the cue's span (with slack)
    got: str  # what was heard there

    @property
    def share(self) -> float:
        return self.heard / self.said if self.said else 1.0


def decode(mp3: Path) -> bytes:
    """The file as 16-bit 16 kHz mono PCM, through ffmpeg."""
    from coach.audio.ffmpeg import find_ffmpeg

    done = subprocess.run(
        [find_ffmpeg(), "-v", "error", "-i", str(mp3), *PCM_OUT],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise click.UsageError(f"{mp3}: ffmpeg cannot decode it: {message}")
    return done.stdout


def unigram_lm(vocabulary: Iterable[str], path: Path) -> Path:
    """An ARPA language model at `path` in which each word of `vocabulary` is equally likely
    (and nothing else can be heard): the recogniser knows which words occur, not where."""
    chosen = sorted(set(vocabulary))
    logp = -math.log10(len(chosen) + 1)
    lines = ["\\data\\", f"ngram 1={len(chosen) + 2}", "", "\\1-grams:", f"{logp:.4f} </s>"]
    lines += ["-99.0000 <s>", *(f"{logp:.4f} {w}" for w in chosen), "", "\\end\\", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def recognise(pcm: bytes, lm: Path | None = None) -> list[Heard]:
    """Words pocketsphinx hears in `pcm` (16 kHz mono s16le), with their times.

    Its voice-activity segmenter splits the audio at pauses; each stretch of speech is
    decoded on its own, and a word's frames (100 a second) are offset by where the
    stretch starts. `lm` replaces the bundled general English language model.
    """
    from pocketsphinx import Decoder, Segmenter, set_loglevel

    set_loglevel("FATAL")
    extra = {"lm": str(lm)} if lm is not None else {}
    decoder = Decoder(samprate=RATE, loglevel="FATAL", **extra)
    frame = 1.0 / decoder.config["frate"]
    heard: list[Heard] = []
    for speech in Segmenter(sample_rate=RATE, window=0.3).segment(io.BytesIO(pcm)):
        decoder.start_utt()
        decoder.process_raw(speech.pcm, full_utt=True)
        decoder.end_utt()
        for seg in decoder.seg():
            word = seg.word.split("(")[0].lower()  # "the(2)": a pronunciation variant
            if word in FILLERS or word.startswith("+"):
                continue
            heard.append(
                Heard(
                    word,
                    speech.start_time + seg.start_frame * frame,
                    speech.start_time + (seg.end_frame + 1) * frame,
                )
            )
    return heard


def _split(text: str) -> list[str]:
    """Words for comparing: coaching_figures.words with hyphenated words split in parts."""
    return [part for w in words(text) for part in w.split("-") if part]


def score(
    cues: Iterable[dict[str, Any]], heard: Sequence[Heard], slack: float = SLACK
) -> list[CueScore]:
    """For each cue of two or more words, how many of its words were heard in its span.

    A word counts once per time it was heard: "one, two, one" needs "one" twice.
    """
    out = []
    for cue in cues:
        said = _split(cue["text"])
        if len(said) < 2:
            continue
        near = [
            h.word for h in heard if h.end > cue["start"] - slack and h.start < cue["end"] + slack
        ]
        pool = Counter(near)
        hits = 0
        for w in said:
            if pool[w] > 0:
                pool[w] -= 1
                hits += 1
        out.append(
            CueScore(
                cue["start"],
                cue["end"],
                cue["text"],
                cue.get("kind", ""),
                len(said),
                hits,
                " ".join(near),
            )
        )
    return out


def overall(scores: Sequence[CueScore]) -> float | None:
    """Share (%) of the words of all scored cues that were heard."""
    said = sum(s.said for s in scores)
    return 100.0 * sum(s.heard for s in scores) / said if said else None


@click.command()
@click.argument("mp3", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--timeline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The render's .timeline.json (default: the one beside MP3).",
)
@click.option("--worst", type=click.IntRange(0, 1000), default=10, show_default=True)
@click.option("--target", type=click.FloatRange(0, 100), default=90.0, show_default=True)
@click.option("--transcript", is_flag=True, help="Print every word heard, with its time.")
@click.option("--json", "as_json", is_flag=True, help="Every cue's score as JSON.")
@click.option(
    "--closed",
    is_flag=True,
    help="Recognise only the words the session says (each equally likely): an upper bound.",
)
def main(
    mp3: Path,
    timeline: Path | None,
    worst: int,
    target: float,
    transcript: bool,
    as_json: bool,
    closed: bool,
) -> None:
    """Recognise MP3 offline and check its multi-word cues were heard at their times."""
    try:
        import pocketsphinx  # noqa: F401
    except ImportError:
        raise click.UsageError("needs pocketsphinx: pip install pocketsphinx") from None
    if timeline is None:
        timeline = mp3.with_name(mp3.stem + ".timeline.json")
        if not timeline.is_file():
            raise click.UsageError(f"{timeline}: no timeline beside the MP3; give --timeline")
    try:
        doc = json.loads(timeline.read_text(encoding="utf-8"))
        cues = doc["cues"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise click.UsageError(f"{timeline}: not a coach timeline ({error})") from None
    pcm = decode(mp3)
    if closed:
        with tempfile.TemporaryDirectory() as scratch:
            vocabulary = (w for cue in cues for w in _split(cue["text"]))
            heard = recognise(pcm, unigram_lm(vocabulary, Path(scratch) / "session.lm"))
    else:
        heard = recognise(pcm)
    if transcript:
        for h in heard:
            click.echo(f"{h.start:8.2f} {h.end:8.2f}  {h.word}")
    scores = score(cues, heard)
    share = overall(scores)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "heard_share": share,
                    "cues": [vars(s) | {"share": s.share} for s in scores],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        said = sum(s.said for s in scores)
        click.echo(
            f"{mp3.name}: {len(scores)} multi-word cues, {said} words; "
            f"heard at their times (±{SLACK:g} s): "
            + ("n/a" if share is None else f"{share:.1f} %")
            + f" (target {target:g} %); {len(heard)} words recognised in all"
        )
        by_kind: dict[str, list[CueScore]] = {}
        for s in scores:
            by_kind.setdefault(s.kind, []).append(s)
        for kind, group in sorted(by_kind.items(), key=lambda kv: -sum(s.said for s in kv[1])):
            click.echo(f"  {kind:<12} {len(group):4d} cues  {overall(group) or 0:5.1f} %")
        if worst:
            click.echo(f"worst {min(worst, len(scores))}:")
            for s in sorted(scores, key=lambda s: (s.share, s.start))[:worst]:
                click.echo(f"  {s.start:8.2f}  {s.heard}/{s.said}  {s.text!r}  heard: {s.got!r}")
    sys.exit(0 if share is None or share >= target else 1)


if __name__ == "__main__":
    main()
