"""What a routine's texts may hold: words to be spoken, nothing that acts on a terminal.

The loader asks these questions of every text; they are kept apart from it because
they are about text, not about the format.
"""

from __future__ import annotations

import unicodedata

from coach.terminal import printable

_SENTENCE_ENDS = ".!?…:;"
_CLOSERS = "\"')]”’»"  # may follow the end of a sentence: `(Slowly.)`, `"Up!"`


def control_character(text: str) -> str | None:
    """The first control character in `text` (tab and newline are allowed), if any."""
    return next((char for char in text if printable(char) != char), None)


def is_invisible(text: str) -> bool:
    """Whether `text` shows nothing: only spaces, zero-width and other format characters."""
    return not any(_visible(char) for char in text)


def codepoint(char: str) -> str:
    """`U+200B`: how a message names a character that cannot be shown."""
    return f"U+{ord(char):04X}"


def looks_split(before: str, after: str) -> bool:
    """Whether two texts look like one sentence cut at a comma: `[Knees in, hips up.]`."""
    bare = before.rstrip(_CLOSERS)
    ends_sentence = bool(bare) and bare[-1] in _SENTENCE_ENDS
    return bool(before) and bool(after) and not ends_sentence and after[0].islower()


def _visible(char: str) -> bool:
    return not char.isspace() and unicodedata.category(char)[0] not in "CZ"
