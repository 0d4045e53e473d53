"""Can this machine draw every script in the report? If not, say which package to install.

WeasyPrint finds fonts through fontconfig and, when no font has a character, draws an empty box
("tofu") while pdftotext still shows the right text, so a missing font is easy to miss. Before
rendering we look at the scripts present in the report's text and ask fontconfig for a font per
script (`fc-list :lang=ko`); each script without one becomes a warning naming the Debian package.
A missing HarfBuzz subsetter is warned about too: CJK fonts then embed 12-20 times slower.
"""

from __future__ import annotations

import ctypes.util
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Script:
    name: str
    pattern: re.Pattern[str]
    query: str  # the fontconfig pattern a font for this script must match
    package: str


def _script(name: str, ranges: str, query: str, package: str = "fonts-noto-core") -> Script:
    return Script(name, re.compile(f"[{ranges}]"), query, package)


SCRIPTS: tuple[Script, ...] = (
    _script("Korean", "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f", ":lang=ko", "fonts-noto-cjk"),
    _script("Japanese", "\u3040-\u30ff", ":lang=ja", "fonts-noto-cjk"),
    _script("Chinese", "\u3400-\u4dbf\u4e00-\u9fff", ":lang=zh-cn", "fonts-noto-cjk"),
    _script("Arabic", "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc", ":lang=ar"),
    _script("Hebrew", "\u0590-\u05ff", ":lang=he"),
    _script("Cyrillic", "\u0400-\u04ff", ":lang=ru"),
    _script("Greek", "\u0370-\u03ff", ":lang=el"),
    _script("Armenian", "\u0530-\u058f", ":lang=hy"),
    _script("Georgian", "\u10a0-\u10ff", ":lang=ka"),
    _script("Devanagari", "\u0900-\u097f", ":lang=hi"),
    _script("Bengali", "\u0980-\u09ff", ":lang=bn"),
    _script("Tamil", "\u0b80-\u0bff", ":lang=ta"),
    _script("Thai", "\u0e00-\u0e7f", ":lang=th"),
    _script("Lao", "\u0e80-\u0eff", ":lang=lo"),
    _script("Khmer", "\u1780-\u17ff", ":lang=km"),
    _script("Myanmar", "\u1000-\u109f", ":lang=my"),
    _script("Ethiopic", "\u1200-\u137f", ":lang=am"),
    _script("Emoji", "\U0001f300-\U0001faff", ":charset=1f600", "fonts-noto-color-emoji"),
)


def scripts_in(text: str) -> list[Script]:
    """The scripts (beyond Latin) that occur in `text`."""
    return [s for s in SCRIPTS if s.pattern.search(text)]


def font_warnings(text: str) -> list[str]:
    """One warning per script in `text` that no installed font can draw, plus a slow-subsetting one."""
    found = scripts_in(text)
    if found and shutil.which("fc-list") is None:
        return ["cannot check fonts: fc-list (fontconfig) is not installed; text in "
                f"{', '.join(s.name for s in found)} may print as empty boxes"]
    problems = [_missing(s) for s in found if not has_font(s.query)]
    if not harfbuzz_subset_available():
        problems.append("libharfbuzz-subset0 is not installed: fonts are embedded much more slowly "
                        "(install the Debian package libharfbuzz-subset0)")
    return problems


def _missing(script: Script) -> str:
    return (f"no installed font draws {script.name} text, which will print as empty boxes: "
            f"install the Debian package {script.package} (apt-get install {script.package})")


@cache
def has_font(query: str) -> bool:
    """Whether fontconfig lists at least one font matching `query` (cached per process)."""
    try:
        listed = subprocess.run(["fc-list", query, "family"], capture_output=True, text=True, timeout=20,
                                check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(listed.stdout.strip())


@cache
def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None
