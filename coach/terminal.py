"""Text on its way to a terminal: control characters shown, never obeyed."""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, except tab and newline: ESC sequences can retitle,
# clear or recolour a terminal, so a routine's text must never carry them through.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character replaced by its escape, e.g. ESC as '\\x1b'."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)
