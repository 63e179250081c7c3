"""PyYAML's syntax errors in plain words, pointing where the fix goes.

PyYAML reports what its parser expected (`expected <block end>, but found
'<block mapping start>'`); a person needs to know what is wrong with the line and
what to type instead. `syntax_error` turns the common errors into that, and keeps
PyYAML's own words for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.error import Mark

_FOUND_CHARACTER = re.compile(r"found character '(.+)' that cannot start any token")
_UNDEFINED_ALIAS = re.compile(r"found undefined alias '(.*)'")
_DUPLICATE_ANCHOR = re.compile(r"found duplicate anchor '(.*)'")
_UNKNOWN_ESCAPE = re.compile(r"found unknown escape character '(.*)'")
_STRAY_CLOSER = re.compile(r"expected the node content, but found '([\]}])'")
_FLOW_END = re.compile(r"expected ',' or '([\]}])', but got")
_NOT_AN_ITEM = re.compile(r"^\s*-[^\s-]")  # `-name: x`: a list item needs a space after '-'


@dataclass(frozen=True)
class SyntaxProblem:
    """Where a YAML syntax error is best pointed at (0-based, as PyYAML counts) and what to say."""

    line: int
    column: int
    message: str


def syntax_error(error: yaml.MarkedYAMLError, noun: str) -> SyntaxProblem:
    """The plain-words form of `error`, found while reading a `noun` file (e.g. "routine")."""
    mark = error.problem_mark or error.context_mark
    where = (mark.line, mark.column) if mark is not None else (0, 0)
    for translate in _TRANSLATIONS:
        found = translate(error, noun)
        if found is not None:
            at, words = found
            line, column = (at.line, at.column) if at is not None else where
            return SyntaxProblem(line, column, "YAML syntax error: " + words)
    message = error.problem or "cannot parse"
    if error.context and error.context_mark is not None and error.problem_mark is not None:
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    return SyntaxProblem(*where, "YAML syntax error: " + message)


_Found = tuple[Mark | None, str] | None  # where to point, and what to say; None: not this kind


def _characters(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    """A character that cannot start a token: a tab, or `@` and friends at the start of text."""
    match = _FOUND_CHARACTER.fullmatch(error.problem or "")
    if match is None:
        return None
    if match.group(1) == "\\t":
        return error.problem_mark, "a tab here; indent with spaces, not tabs"
    return error.problem_mark, (
        f"'{match.group(1)}' cannot start a text in YAML; put quotes around the text"
    )


def _block_structure(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    """A line that does not fit the indentation, or text that runs on where it cannot."""
    problem, here = error.problem or "", error.problem_mark
    if problem == "mapping values are not allowed here":
        if here is not None and ": " in _line(here)[: here.column]:
            return here, (
                "a second ': ' on one line; put quotes around text that contains ': ', "
                'e.g. name: "Squat: deep"'
            )
        return _indentation(here)
    if not problem.startswith("expected <block end>, but found"):
        return None
    if problem.endswith("'<scalar>'") and here is not None:
        before = _line(here)[: here.column].rstrip()[-1:]
        if before in ("'", '"'):
            return here, "text after the closing quote; put all of the text inside the quotes"
        if before in ("]", "}"):
            return here, f"text after the closing '{before}'; remove it, or quote the whole value"
    return _indentation(here)


def _missing_colon(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    opened = error.context_mark
    if error.problem != "could not find expected ':'" or opened is None:
        return None
    text = _short(_line(opened)[opened.column :].strip())
    return opened, (
        f"'{text}' has no ':'; write it as 'key: value', or if it continues the text "
        "on the line above, put that whole text in quotes"
    )


def _unclosed(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    """A quote, `[` or `{` that is not closed where it should be."""
    problem, here, opened = error.problem or "", error.problem_mark, error.context_mark
    if problem == "found unexpected end of stream" and opened is not None:
        if "quoted scalar" not in (error.context or ""):
            return None
        quote = _line(opened)[opened.column : opened.column + 1] or '"'
        return opened, f"the text that starts with {quote} here never ends; add the closing {quote}"
    if match := _FLOW_END.match(problem):
        close = match.group(1)
        start, what = ("[", "list") if close == "]" else ("{", "mapping")
        since = f" (opened on line {opened.line + 1})" if opened is not None else ""
        return here, (
            f"a ',' or the closing '{close}' is missing before this point: the {what} "
            f"{start}...{close}{since} is still open; separate its items with ', ' and "
            "quote any text that contains ': ' or ','"
        )
    if problem == "expected the node content, but found '<stream end>'":
        return here, "the file ends inside a [...] list or a {...} mapping; close it with ] or }"
    if problem == "expected the node content, but found ','":
        return here, "an empty item between two commas; remove the extra ','"
    if match := _STRAY_CLOSER.fullmatch(problem):
        return here, f"a stray '{match.group(1)}' here; remove it, or quote the text"
    if problem.startswith("expected the node content") and "flow node" in (error.context or ""):
        return here, (
            "a '[' or '{' before this point is still open; close it with ']' or '}', "
            "or put quotes around the text that holds it"
        )
    return None


def _special_text(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    """Anchors, aliases, escapes and block scalars: text that YAML reads as something else."""
    problem, context = error.problem or "", error.context or ""
    here, opened = error.problem_mark, error.context_mark
    if match := _UNDEFINED_ALIAS.fullmatch(problem):
        name = match.group(1)
        return here, (
            f"*{name} refers to no anchor; define &{name} before it, or put quotes around "
            "text that starts with '*'"
        )
    if (match := _DUPLICATE_ANCHOR.match(context)) and opened is not None:
        return here, (
            f"the anchor &{match.group(1)} is defined twice (first on line {opened.line + 1})"
        )
    if "while scanning an anchor" in context or "while scanning an alias" in context:
        return opened, "'&' and '*' start anchor names; put quotes around text starting with them"
    if match := _UNKNOWN_ESCAPE.fullmatch(problem):
        return here, (
            f"'\\{match.group(1)}' is not an escape YAML knows; inside double quotes write "
            "'\\\\' for a backslash, or use single quotes"
        )
    if "while scanning a block scalar" in context and problem.startswith("expected "):
        return here, (
            "after '|' or '>' the text starts on the next line; move it there, or quote "
            "the text if the '|' or '>' belongs to it"
        )
    return None


def _documents(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    """Where the file is not one mapping: a second document, or stray text before the first."""
    here = error.problem_mark
    if error.problem == "but found another document":
        return here, f"a {noun} file holds one document; remove the extra '---'"
    if not (error.problem or "").startswith("expected '<document start>'") or here is None:
        return None
    stray = _first_content_line(here)
    return stray, _neither(_line(stray).strip())


def _neither(text: str) -> str:
    """For a line of plain text where keys belong: often a comment wrapped without its '#'."""
    return f"'{_short(text)}' is neither 'key: value' nor a comment; start comment lines with '#'"


def _block_sequence_on_key_line(error: yaml.MarkedYAMLError, noun: str) -> _Found:
    if error.problem != "sequence entries are not allowed here":
        return None
    return error.problem_mark, (
        "a list cannot start on the line of its key; put each '- ' item on a line of its own, "
        "below the key and indented"
    )


_TRANSLATIONS = (
    _characters,
    _block_structure,
    _missing_colon,
    _unclosed,
    _special_text,
    _documents,
    _block_sequence_on_key_line,
)


def _indentation(here: Mark | None) -> tuple[Mark | None, str]:
    """The line at `here` does not fit the blocks open above it: say how it should be indented,
    or, when its indentation is right, what is wrong with it or with the line before it."""
    lines = _lines(here)
    if here is None or here.line >= len(lines):
        return here, "the indentation of this line does not fit the lines above it"
    line = lines[here.line]
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    start = Mark(here.name, here.index, here.line, indent, here.buffer, here.pointer)
    blocks, dash_without_space = _open_blocks(lines[: here.line])
    kind = blocks.get(indent)
    is_item = body.startswith("- ")
    if body[:1] in ("]", "}", ","):
        return start, f"a stray '{body[0]}' starts this line; remove it, or quote the text"
    if kind == ("item" if is_item else "key"):
        before = _line_before(lines, here)
        text = _line(before).strip()
        if ":" not in text and not text.startswith("-"):
            return before, _neither(text)
        return before, (
            "the line after this one cannot follow it; if this line is 'key: value', put a "
            "space after the ':', and put quotes around text that starts with [ { | > or a "
            "quote, or that contains ': '"
        )
    if kind == "item":
        inner = min((c for c in blocks if c > indent), default=indent + 2)
        message = (
            "this key is in the column of the '- ' items above it; indent it "
            f"{inner} spaces to belong to the item, or start it with '- ' for a new item"
        )
    elif kind == "key":
        message = (
            "a list item ('- ') among the keys of a mapping; remove the '- ', "
            "or put the list under a key of its own"
        )
    else:
        spaces = f"{indent} space{'' if indent == 1 else 's'}"
        used = [str(c) for c in sorted(blocks)]
        usable = f"{', '.join(used[:-1])} or {used[-1]}" if len(used) > 1 else "".join(used)
        message = f"this line is indented {spaces}, but the lines above it use {usable}"
        message += (
            ": line up each key with the other keys of its mapping, "
            "each '- ' with the other items of its list"
        )
    if dash_without_space:
        message += "; and a list item needs a space after its '-'"
    return start, message


def _first_content_line(here: Mark) -> Mark:
    """The start of the first line that is neither blank nor a comment (or `here`)."""
    for number, text in enumerate(_lines(here)[: here.line + 1]):
        body = text.lstrip(" ")
        if body and not body.startswith("#"):
            column = len(text) - len(body)
            return Mark(here.name, here.index, number, column, here.buffer, here.pointer)
    return here


def _line_before(lines: list[str], here: Mark) -> Mark:
    """The start of the last line with content before `here` (or `here` if there is none)."""
    for number in range(here.line - 1, -1, -1):
        body = lines[number].lstrip(" ")
        if body and not body.startswith("#"):
            column = len(lines[number]) - len(body)
            return Mark(here.name, here.index, number, column, here.buffer, here.pointer)
    return here


def _open_blocks(lines: list[str]) -> tuple[dict[int, str], bool]:
    """The columns of the blocks still open after `lines`: "key" for a mapping's keys, "item"
    for a list's dashes; and whether one of those lines is an item without its space."""
    blocks: dict[int, str] = {}
    dash_without_space = False
    for text in reversed(lines):
        body = text.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        column = len(text) - len(body)
        found = []
        while body.startswith("- "):  # `- name: x`: a list item, then a mapping inside it
            found.append((column, "item"))
            rest = body[2:].lstrip(" ")
            column += len(body) - len(rest)
            body = rest
        found.append((column, "key"))
        for at, kind in found:
            if not blocks or at < min(blocks):
                blocks[at] = kind
        dash_without_space = dash_without_space or bool(_NOT_AN_ITEM.match(text))
        if min(blocks) == 0:
            break
    return blocks, dash_without_space


def _lines(mark: Mark | None) -> list[str]:
    if mark is None or not isinstance(mark.buffer, str):
        return []
    return mark.buffer.rstrip("\0").split("\n")


def _line(mark: Mark) -> str:
    lines = _lines(mark)
    return lines[mark.line] if mark.line < len(lines) else ""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
