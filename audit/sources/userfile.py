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

_TOML_POSITION = re.compile(r"\s*\(at (?P<where>line \d+, column \d+|end of document)\)$")


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
    """The parsed TOML of a user file; a syntax error names its line and column."""
    text = read_user_text(path, what)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [toml_problem(e)]) from None


def toml_problem(error: tomllib.TOMLDecodeError) -> str:
    """`line 3, column 7: expected valid TOML: <reason>`: the position first, as in every other message."""
    found = _TOML_POSITION.search(str(error))
    if not found:
        return f"expected valid TOML: {error}"
    return f"{found['where']}: expected valid TOML: {str(error)[: found.start()].rstrip()}"
