"""Durations as people write them: `30`, `"30s"`, `"2m"`, `"1m30s"`, `"1:30"`, `"1h 5m"`.

`DURATION_PATTERN` is the one grammar: the parser here and the JSON Schema both use it.
"""

from __future__ import annotations

import math
import re

_NUMBER = r"\d+(?:\.\d+)?"
_UNITS = (
    rf"(?=\d)(?:({_NUMBER})\s*h(?:ours?|rs?)?\s*)?"
    rf"(?:({_NUMBER})\s*m(?:in(?:utes?|s)?)?\s*)?"
    rf"(?:({_NUMBER})\s*s(?:ec(?:onds?|s)?)?)?"
)
_CLOCK = r"(?:(\d+):)?(\d+):([0-5]\d(?:\.\d+)?)"

#: What a duration string may look like (also used as the JSON Schema pattern).
DURATION_PATTERN = rf"^\s*(?:({_NUMBER})|{_UNITS}|{_CLOCK})\s*$"
_DURATION = re.compile(DURATION_PATTERN)

DURATION_HINT = "write seconds (30), or a duration such as 30s, 2m, 1m30s or 1:30"


class DurationError(ValueError):
    """A value that is not a duration; the message says what to write instead."""


def parse_duration(value: object) -> float:
    """Seconds in `value`: a number of seconds or a duration string.

    >>> parse_duration("1m30s"), parse_duration("1:30"), parse_duration(45)
    (90.0, 90.0, 45.0)
    """
    if isinstance(value, bool):
        raise DurationError(f"expected a duration, got {str(value).lower()}; {DURATION_HINT}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_text(value)
    else:
        raise DurationError(f"expected a duration; {DURATION_HINT}")
    if not math.isfinite(seconds):
        raise DurationError(f"{value!r} is not a finite duration; {DURATION_HINT}")
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative (got {value}); {DURATION_HINT}")
    return seconds


def _parse_text(text: str) -> float:
    match = _DURATION.match(text)
    if match is None or not any(match.groups()):
        raise DurationError(f"{text!r} is not a duration; {DURATION_HINT}")
    plain, hours, minutes, seconds, clock_h, clock_m, clock_s = match.groups()
    if plain is not None:
        return float(plain)
    if clock_m is not None:
        return float(clock_h or 0) * 3600 + float(clock_m) * 60 + float(clock_s)
    return float(hours or 0) * 3600 + float(minutes or 0) * 60 + float(seconds or 0)


def format_duration(seconds: float) -> str:
    """A short human form: `45 s`, `1 min 30 s`, `1 h 5 min`."""
    total = round(seconds)
    if total < 60:
        text = f"{seconds:.1f}".rstrip("0").rstrip(".")
        return f"{text} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not hours:
        parts.append(f"{secs} s")
    return " ".join(parts)


def format_estimate(seconds: float) -> str:
    """A session length as an estimate: `about 24 min`, `about 1 h 5 min`."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"about {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min" if minutes else f"about {hours} h"
