"""Small pieces of English the compiler builds sentences from: lists and articles."""

from __future__ import annotations

# Words after which a thing needs no article of its own ("your mat", "two dumbbells").
_DETERMINERS = frozenset(
    {"a", "an", "the", "some", "your", "my", "any", "one", "two", "three", "four", "pair"}
)


def with_article(item: str) -> str:
    """`item` as said in a list of things to have ready: "mat" -> "a mat",
    "exercise ball" -> "an exercise ball"; plurals and items that already start with
    a determiner ("dumbbells", "a sturdy chair", "your phone") are kept as written."""
    words = item.split()
    if not words:
        return item
    if words[0].lower() in _DETERMINERS:
        return item
    last = words[-1].lower()
    if last.endswith("s") and not last.endswith("ss"):
        return item  # plural: "dumbbells", "ankle weights"
    article = "an" if words[0][0].lower() in "aeiou" else "a"
    return f"{article} {item}"


def spoken_list(items: tuple[str, ...] | list[str]) -> str:
    """Items joined as speech: "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def things_to_have(equipment: tuple[str, ...]) -> str:
    """Equipment names as one spoken list with articles: "a mat and a ball"."""
    return spoken_list([with_article(item) for item in equipment])
