"""Reading the files coach is given: routines, phrasebooks and cue scripts.

One reader for every file kind: only regular files are opened (a folder, a FIFO
or a device is named as such, never waited on), no more than the caller's size
limit is read, the bytes must be UTF-8, and no text may hold a lone surrogate.
YAML is composed into a node tree only (nothing is constructed from a tag) by a
composer that refuses alias bombs, self-referencing anchors and deep nesting
while it runs. Every problem is an `InputError` located at FILE:LINE:COL. The
limits are the caller's: a phrasebook passes those of a routine
(`coach.routine.spec`), so every YAML file has the same.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node, ScalarNode

from coach.errors import InputError, Problem
from coach.yaml_messages import syntax_error

_SURROGATE = re.compile("[\ud800-\udfff]")


def read_file(path: str | Path, source: str, noun: str, max_bytes: int) -> bytes:
    """The bytes of the regular file at `path`; `source` names it in messages.

    `noun` says what the file should be ("routine", "phrasebook"). Anything but a
    regular file is refused before it is opened, so a FIFO or /dev/zero cannot hang
    or fill memory, and no more than `max_bytes` are ever read.
    """
    try:
        kind = _kind_of(os.stat(path).st_mode)
        if kind is not None:
            raise InputError(f"{source}: {_not_a_file(kind, noun)}")
        # O_NONBLOCK: should the path become a FIFO after the check, opening it cannot block
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as stream:
            status = os.fstat(stream.fileno())
            kind = _kind_of(status.st_mode)
            if kind is not None:
                raise InputError(f"{source}: {_not_a_file(kind, noun)}")
            if status.st_size > max_bytes:
                raise InputError(
                    Problem(source, 1, 1, _too_big(f"{status.st_size:,}", noun, max_bytes))
                )
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            raise InputError(f"{source}: is a link to {target}, which does not exist") from None
        raise InputError(f"{source}: does not exist") from None
    except OSError as error:
        if error.errno == errno.ENOTDIR:
            raise InputError(f"{source}: does not exist (a part of the path is a file)") from None
        raise InputError(f"{source}: cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:  # it grew while being read
        raise InputError(Problem(source, 1, 1, _too_big(f"over {max_bytes:,}", noun, max_bytes)))
    return data


def _too_big(size: str, noun: str, max_bytes: int) -> str:
    return f"file is {size} bytes; a {noun} must be under {max_bytes:,} bytes"


def _kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _not_a_file(kind: str, noun: str) -> str:
    if kind == "folder":
        return f"is a folder, not a {noun} file"
    return f"is a {kind}, not a file; give the path of a {noun} file"


def decode(data: bytes, source: str) -> str:
    """UTF-8 `data` as text (a byte-order mark is dropped); bad bytes are a located error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(Problem(source, 1, 1, "file is UTF-16; save it as UTF-8"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = data[error.start]
        message = f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
        raise InputError(Problem(source, line, column, message)) from None


def surrogate_problem(text: str) -> str | None:
    """What is wrong with a lone surrogate in `text` (from an escape such as \\ud800), or None.

    Such a code point is half of a UTF-16 pair, not a character: no voice can say it
    and no file can store it, so it is refused where it is read.
    """
    match = _SURROGATE.search(text)
    if match is None:
        return None
    code = ord(match.group())
    return (
        f"the text holds U+{code:04X}, half of a UTF-16 surrogate pair and not a character; "
        f"remove the escape \\u{code:04x} or write the character itself"
    )


def position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`."""
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


# ---- YAML ------------------------------------------------------------------------------


class _LimitError(Exception):
    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Composer(yaml.SafeLoader):
    """A safe loader whose composer counts nodes as if aliases were expanded."""

    def __init__(self, stream: str, noun: str, max_nodes: int, max_depth: int) -> None:
        super().__init__(stream)
        self._noun = noun
        self._max_nodes = max_nodes
        self._max_depth = max_depth
        self._total = 0
        self._depth = 0
        self._sizes: dict[int, int] = {}

    def _peek(self) -> Any:
        return self.peek_event()  # type: ignore[no-untyped-call]

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self._peek()
            target = self.anchors.get(event.anchor)
            if target is not None:
                size = self._sizes.get(id(target))
                if size is None:
                    raise _LimitError(
                        event.start_mark,
                        f"alias *{event.anchor} refers to a node that contains it; "
                        f"a {self._noun} cannot contain itself",
                    )
                self._count(size, event.start_mark, alias=event.anchor)
            return super().compose_node(parent, index)
        start = self._peek().start_mark
        self._count(1, start)
        self._depth += 1
        if self._depth > self._max_depth:
            raise _LimitError(
                start,
                f"nesting deeper than {self._max_depth} levels; a {self._noun} needs only a few",
            )
        before = self._total
        node = super().compose_node(parent, index)
        self._depth -= 1
        if isinstance(node, ScalarNode):
            problem = surrogate_problem(str(node.value))
            if problem is not None:
                raise _LimitError(node.start_mark, problem)
        self._sizes[id(node)] = self._total - before + 1
        return node

    def _count(self, size: int, mark: Any, alias: str | None = None) -> None:
        self._total += size
        if self._total > self._max_nodes:
            what = f"alias *{alias} expands" if alias else "the document grows"
            raise _LimitError(
                mark,
                f"{what} past {self._max_nodes:,} values; write the {self._noun} out plainly "
                "instead of repeating large blocks with aliases",
            )


def compose_yaml(
    text: str, source: str, noun: str, *, max_nodes: int, max_depth: int
) -> Node | None:
    """The node tree of YAML `text` (None when it holds no document).

    At most `max_nodes` nodes, counting each alias as the nodes it stands for, and
    collections nested at most `max_depth` deep.
    """
    composer: _Composer | None = None
    try:
        composer = _Composer(text, noun, max_nodes, max_depth)
        return composer.get_single_node()
    except _LimitError as error:
        raise InputError(_problem_at(source, error.mark, error.message)) from None
    except yaml.MarkedYAMLError as error:
        found = syntax_error(error, noun)
        raise InputError(Problem(source, found.line + 1, found.column + 1, found.message)) from None
    except yaml.reader.ReaderError as error:
        line, column = position(text, error.position)
        char = f"U+{error.character:04X}" if isinstance(error.character, int) else "a byte"
        raise InputError(
            Problem(source, line, column, f"character {char} is not allowed in YAML; remove it")
        ) from None
    except yaml.YAMLError as error:
        raise InputError(Problem(source, 1, 1, f"YAML error: {error}")) from None
    finally:
        if composer is not None:
            composer.dispose()


def _problem_at(source: str, mark: Any, message: str) -> Problem:
    if mark is None:
        return Problem(source, 1, 1, message)
    return Problem(source, mark.line + 1, mark.column + 1, message)
