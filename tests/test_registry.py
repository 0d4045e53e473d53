"""Every registered collector must come with fixtures and checked-in golden expectations."""

from __future__ import annotations

import json

import pytest

from audit.collectors.registry import COLLECTORS
from tests.golden import FIXTURES, actual, fixture_of

GOLDENS = sorted(FIXTURES.glob("*/*.expected.json"))


@pytest.mark.parametrize("fmt", sorted(COLLECTORS))
def test_every_collector_has_golden_fixtures(fmt):
    goldens = list((FIXTURES / fmt).glob("*.expected.json"))
    assert goldens, f"collector {fmt!r} has no fixtures/{fmt}/*.expected.json"


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_matches_golden(golden):
    expected = json.loads(golden.read_text(encoding="utf-8"))
    got = actual(fixture_of(golden), golden.parent.name, expected["context"])
    assert got["posts"] == expected["posts"]
    assert got["skipped"] == expected["skipped"]


@pytest.mark.parametrize("fmt", sorted(COLLECTORS))
def test_collectors_describe_themselves(fmt):
    collector = COLLECTORS[fmt]
    assert collector.name == fmt
    assert collector.description
    assert collector.platform in {"x", "facebook", "instagram", "telegram", "mastodon", "bluesky", "youtube", "csv"}
