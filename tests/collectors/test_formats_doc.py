"""docs/formats.md documents every format the registry reads, under the name `audit formats` prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.collectors.registry import COLLECTORS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text(encoding="utf-8")
SECTIONS = re.findall(r"^## (\w+)$", DOC, flags=re.MULTILINE)


@pytest.mark.parametrize("name", list(COLLECTORS))
def test_every_format_has_a_section_in_registry_order(name):
    assert name in SECTIONS, f"docs/formats.md has no '## {name}' section"


def test_the_sections_follow_detection_order_and_name_no_unknown_format():
    formats = [s for s in SECTIONS if s in COLLECTORS]
    assert formats == list(COLLECTORS)
    assert set(SECTIONS) - set(COLLECTORS) == set()


def test_the_readme_links_the_format_docs():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "(docs/formats.md)" in readme
