"""Results written by earlier versions, upgraded on read to the current schema.

A ministry keeps last year's result files and a history database full of them; a new version of the
tool must still compare against them (`--previous`, trends). So every reader upgrades a result before
it looks at it, and the upgrade is a pure function of the JSON: no rubric, no posts.

Schema changes, one line each (also in CHANGELOG.md and README.md):

* 1 -> 2: the per-event list of `crisis_responsiveness` is the metric `events`, as DESIGN.md's JSON
  contract names it (it was `crisis_events`), in `metrics` and in the rubric the result carries.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

SCHEMA_VERSION = 2
"""The schema this version writes."""

READABLE_SCHEMAS = (1, 2)
"""The schemas this version reads (older ones are upgraded on read)."""

RENAMED_METRICS: Mapping[str, str] = {"crisis_events": "events"}
"""Metrics renamed by schema 2: old name -> name in the contract."""

_METRIC_KEYED = ("metrics", "metric_scores", "not_measured")
"""The parts of a dimension's result keyed by metric name."""


def upgrade_result(data: Any) -> Any:
    """The result in the current schema; anything else (a newer schema, a broken file) is returned as it
    is, for `check_result` to say what is wrong with it. The caller's object is never changed."""
    if not isinstance(data, Mapping) or data.get("schema_version") != 1:
        return data
    upgraded = copy.deepcopy(dict(data))
    for dimension in _dimensions(upgraded):
        for key in _METRIC_KEYED:
            if isinstance(dimension.get(key), dict):
                dimension[key] = _renamed_keys(dimension[key])
    for spec in _rubric_metrics(upgraded):
        if spec.get("name") in RENAMED_METRICS:
            spec["name"] = RENAMED_METRICS[spec["name"]]
    upgraded["schema_version"] = 2
    return upgraded


def _renamed_keys(table: dict[str, Any]) -> dict[str, Any]:
    """The same table, in the same order, with renamed metrics under their new names."""
    return {RENAMED_METRICS.get(name, name): value for name, value in table.items()}


def _dimensions(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every dimension of every account, skipping what is not shaped like one (check_result reports it)."""
    for account in _dicts(result.get("accounts")):
        dimensions = account.get("dimensions")
        if isinstance(dimensions, dict):
            yield from _dicts(list(dimensions.values()))


def _rubric_metrics(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The metric tables of the rubric definition the result carries, if it carries one."""
    rubric = result.get("rubric")
    definition = rubric.get("definition") if isinstance(rubric, dict) else None
    if isinstance(definition, dict):
        for dimension in _dicts(definition.get("dimensions")):
            yield from _dicts(dimension.get("metrics"))


def _dicts(items: Any) -> Iterator[dict[str, Any]]:
    if isinstance(items, list):
        yield from (item for item in items if isinstance(item, dict))
