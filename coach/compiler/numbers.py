"""Numbers and durations as words, so no engine misreads "1:30" or "20s"."""

from __future__ import annotations

# fmt: off
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
# fmt: on


def number_words(n: int) -> str:
    """`n` in English words: 21 -> "twenty-one", 105 -> "one hundred five"."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        head = f"{number_words(thousands)} thousand"
        return head + (f" {number_words(rest)}" if rest else "")
    return str(n)


def _unit(n: int, unit: str) -> str:
    return f"{number_words(n)} {unit}" + ("" if n == 1 else "s")


def duration_words(seconds: float) -> str:
    """A duration as spoken: 30 -> "thirty seconds", 90 -> "one minute thirty seconds"."""
    total = max(0, round(seconds))
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return _unit(secs, "second")
    if secs == 0:
        return _unit(minutes, "minute")
    return f"{_unit(minutes, 'minute')} {_unit(secs, 'second')}"
