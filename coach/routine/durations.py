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
    seconds = signed_duration(value)
    if seconds < 0:
        raise DurationError(f"a duration cannot be negative (got {value}); {DURATION_HINT}")
    return seconds


def signed_duration(value: object) -> float:
    """Like `parse_duration`, but a leading minus gives a negative duration (`"-20s"`).

    The caller says why a negative value is wrong, which depends on the key.
    """
    if isinstance(value, bool):
        raise DurationError(f"expected a duration, got {str(value).lower()}; {DURATION_HINT}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str):
        body = value.strip()
        if body.startswith("-"):
            seconds = -_parse_text(body[1:], value)
        else:
            seconds = _parse_text(body, value)
    else:
        raise DurationError(f"expected a duration; {DURATION_HINT}")
    if not math.isfinite(seconds):
        raise DurationError(f"{value!r} is not a finite duration; {DURATION_HINT}")
    return seconds


def _parse_text(text: str, written: str) -> float:
    match = _DURATION.match(text)
    if match is None or not any(match.groups()):
        raise DurationError(f"{written!r} is not a duration; {DURATION_HINT}")
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


def exact_duration(seconds: float) -> str:
    """Every unit down to the last one that is not zero: `1 h 0 min 1 s`, `59.5 s`.

    For messages that compare a value with a limit, where `format_duration` would
    round both to the same text.
    """
    if 0 < abs(seconds) < 0.0005 or not abs(seconds) < 1e12:  # too small, or far too big
        return f"{seconds:g} s"
    sign = "-" if seconds < 0 else ""
    millis = round(abs(seconds) * 1000)
    whole_minutes, millis = divmod(millis, 60_000)
    hours, minutes = divmod(whole_minutes, 60)
    secs = millis / 1000
    parts = [f"{hours} h"] if hours else []
    if minutes or (hours and secs):
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs:.3f}".rstrip("0").rstrip(".") + " s")
    return sign + " ".join(parts)


def format_estimate(seconds: float) -> str:
    """A session length as an estimate: `about 24 min`, `about 1 h 5 min`."""
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"about {minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min" if minutes else f"about {hours} h"
