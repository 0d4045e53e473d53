"""Files people write for the tool (accounts, rubric, plan, events): read with one message shape.

A bad file is a ConfigError naming the file and, where there is one, the position first:
``accounts.toml: line 3, column 7: expected valid TOML: <reason>``. Every user file goes through
here, so the same mistake reads the same whatever the file is for.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from audit.errors import ConfigError
from audit.sources.limits import MAX_NUMBER_DIGITS, MAX_TOML_DEPTH

_TOML_POSITION = re.compile(r"\s*\(at (?P<where>line \d+, column \d+|end of document)\)$")
_TOML_TOKENS = re.compile(r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
                          re.DOTALL)
_LONG_NUMBER = re.compile(rf"(?<![\w.\"'])[+-]?\d(?:_?\d){{{MAX_NUMBER_DIGITS},}}")


def read_user_text(path: Path, what: str) -> str:
    """The file's UTF-8 text; `what` names the kind of file ('an accounts file (TOML)') in messages."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, [f"no such file; expected {what}"]) from None
    except IsADirectoryError:
        raise ConfigError(path, [f"expected {what}, found a folder"]) from None
    except UnicodeDecodeError as e:
        raise ConfigError(path, [f"byte {e.start}: expected UTF-8 text ({e.reason})"]) from None
    except OSError as e:
        raise ConfigError(path, [f"expected {what} that can be read ({e.strerror or e})"]) from None


def read_user_toml(path: Path, what: str) -> dict[str, Any]:
    """The parsed TOML of a user file; a syntax error names its line and column.

    Nesting past MAX_TOML_DEPTH (checked before parsing: tomllib would raise RecursionError) and
    integers past MAX_NUMBER_DIGITS (tomllib raises a bare ValueError) are refused at their position.
    """
    text = read_user_text(path, what)
    deep = _too_deep(text)
    if deep is not None:
        raise ConfigError(path, [f"{_where(text, deep)}: expected values nested at most {MAX_TOML_DEPTH} levels deep"])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [toml_problem(e)]) from None
    except ValueError:  # only an integer past Python's digit limit gets here
        found = _LONG_NUMBER.search(text)
        where = _where(text, found.start()) if found else "line 1, column 1"
        raise ConfigError(path, [f"{where}: expected a number of at most {MAX_NUMBER_DIGITS} digits"]) from None


def _too_deep(text: str) -> int | None:
    """Where arrays and inline tables first nest past MAX_TOML_DEPTH, strings and comments skipped."""
    depth = 0
    for token in _TOML_TOKENS.finditer(text):
        if token[0] in "[{":
            depth += 1
            if depth > MAX_TOML_DEPTH:
                return token.start()
        elif token[0] in "]}":
            depth = max(depth - 1, 0)
    return None


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"line {line}, column {offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """`line 3, column 7: expected valid TOML: <reason>`: the position first, as in every other message."""
    found = _TOML_POSITION.search(str(error))
    if not found:
        return f"expected valid TOML: {error}"
    return f"{found['where']}: expected valid TOML: {str(error)[: found.start()].rstrip()}"
