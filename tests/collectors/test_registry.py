"""The registry is the one list of platforms: every format has fixtures and goldens, and everything that
names platforms (the accounts file, the report, `audit formats`) reads it, so a new platform is one
package, one registry line and one fixture folder per format."""

from __future__ import annotations

import json

import pytest

from audit.accounts import account_problems
from audit.api import formats
from audit.collectors.registry import COLLECTORS, DISPLAY_NAMES, PLATFORM_NAMES, PLATFORMS
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
    assert collector.platform in PLATFORM_NAMES
    assert collector in next(p for p in PLATFORMS if p.name == collector.platform).formats


@pytest.mark.parametrize("platform", PLATFORMS, ids=lambda p: p.name)
def test_every_platform_is_a_package_with_a_name_for_people_and_its_formats(platform):
    assert platform.display_name and DISPLAY_NAMES[platform.name] == platform.display_name
    assert platform.formats and all(f.platform == platform.name for f in platform.formats)
    assert all(f.__module__.startswith(f"audit.collectors.{platform.name}.") for f in map(type, platform.formats))


@pytest.mark.parametrize("platform", PLATFORM_NAMES)
def test_the_accounts_file_takes_every_registered_platform(platform):
    entry = {"id": "a", "name": "A", "role": "ministry", "platform": platform, "source": "x.json"}
    assert not [p for p in account_problems(entry) if "platform" in p]


def test_a_platform_not_in_the_registry_is_refused_by_the_accounts_file():
    entry = {"id": "a", "name": "A", "role": "ministry", "platform": "myspace", "source": "x.json"}
    assert any("platform" in p and "myspace" in p for p in account_problems(entry))


def test_audit_formats_lists_the_registry_in_detection_order():
    assert [row["format"] for row in formats()] == [f.name for p in PLATFORMS for f in p.formats]
