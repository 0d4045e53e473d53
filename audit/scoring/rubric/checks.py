"""Every problem of a rubric file at once, with its key path: structure, sources, settings, dimensions, metrics.

A rubric is edited by people, so checking never stops at the first problem; `rubric_problems`
returns them all, and loading refuses a rubric that has any.
"""


from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

from audit.result.upgrade import RENAMED_METRICS
from audit.scoring.metrics.table import METRIC_NAMES, METRICS, NON_NUMERIC_METRICS
from audit.scoring.rubric.model import (
    DIMENSION_ID,
    DIMENSION_KEYS,
    METRIC_KEYS,
    PRIMARY_LANG,
    REQUIRED_TOP_KEYS,
    SLUG,
    SOURCE_KEYS,
    SOURCE_SUPPORT_EXTRAS,
    TOP_KEYS,
    WEIGHT_TOLERANCE,
    format_bound,
)
from audit.scoring.rubric.rules_checks import (
    caveats_problems,
    cultural_problems,
    lexicons_problems,
    references,
    verdict_problems,
    weighting_problems,
)
from audit.scoring.rubric.shapes import (
    did_you_mean,
    duplicate_ids,
    expect_table,
    ids_of,
    indexed_tables,
    is_number,
    is_text,
    json_kind,
    key_path,
    list_of_tables,
    string_list,
    text_problems,
    unknown_keys,
)


def rubric_problems(data: Mapping[str, Any]) -> list[str]:
    """Every problem of a parsed rubric, each as '<key path>: <what is wrong>'; [] for a good rubric."""
    if not isinstance(data, Mapping):
        return [f"expected a table at the top of the rubric, found {type(data).__name__}"]
    return list(_problems(data))


def _problems(data: Mapping[str, Any]) -> Iterator[str]:
    yield from (f"{k}: missing; this key is required" for k in REQUIRED_TOP_KEYS if k not in data)
    yield from unknown_keys(data, TOP_KEYS, "")
    yield from text_problems(data, "id", "", pattern=SLUG, required=False)
    yield from text_problems(data, "version", "", required=False)
    yield from text_problems(data, "title", "", required=False)
    yield from text_problems(data, "description", "", required=False)
    source_ids = ids_of(data.get("sources"))
    if "sources" in data:
        yield from _sources_problems(data["sources"], ids_of(data.get("dimensions")))
    if "settings" in data:
        yield from _settings_problems(data["settings"])
    for key in ("bands", "grades"):
        if key in data:
            yield from _minimums_problems(data[key], key)
    if "dimensions" in data:
        yield from _dimensions_problems(data["dimensions"], source_ids)
    yield from _vocabulary_problems(data)
    if "verdict" in data:
        yield from verdict_problems(data["verdict"], references(data.get("dimensions")))
    if "caveats" in data:
        yield from caveats_problems(data["caveats"])
    if "weighting" in data:
        yield from weighting_problems(data["weighting"])


def _vocabulary_problems(data: Mapping[str, Any]) -> Iterator[str]:
    if "lexicons" in data:
        yield from lexicons_problems(data["lexicons"])
    if "cultural_assets" in data:
        yield from cultural_problems(data["cultural_assets"])


def _sources_problems(sources: Any, dimension_ids: list[str]) -> Iterator[str]:
    yield from list_of_tables(sources, "sources", "[[sources]] table")
    yield from duplicate_ids(sources, "sources")
    for i, src in indexed_tables(sources):
        path = key_path("sources", i)
        yield from unknown_keys(src, SOURCE_KEYS, path)
        yield from text_problems(src, "id", path)
        yield from text_problems(src, "citation", path)
        yield from _url_problems(src.get("url"), key_path(path, "url"))
        if "supports" in src:
            yield from _supports_problems(src["supports"], key_path(path, "supports"), dimension_ids)


def _url_problems(url: Any, path: str) -> Iterator[str]:
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        yield f"{path}: expected an http(s) address, found {url!r}"


def _supports_problems(supports: Any, path: str, dimension_ids: list[str]) -> Iterator[str]:
    problems = list(string_list(supports, path))
    yield from problems
    if problems:
        return
    allowed = (*dimension_ids, *SOURCE_SUPPORT_EXTRAS)
    for i, item in enumerate(supports):
        if item not in allowed:
            extras = ", ".join(SOURCE_SUPPORT_EXTRAS)
            yield f"{key_path(path, i)}: {item!r} is neither a dimension id nor one of {extras}"


def _settings_problems(settings: Any) -> Iterator[str]:
    problem = expect_table(settings, "settings", "a [settings] table")
    if problem:
        yield problem
        return
    yield from unknown_keys(settings, (*_SETTING_CHECKS, "global_audience"), "settings")
    for key, check in _SETTING_CHECKS.items():
        if key in settings and (message := check(settings[key])):
            yield f"settings.{key}: {message}, found {settings[key]!r}"
    if "global_audience" in settings:
        yield from _global_audience_problems(settings["global_audience"])


def _positive_hours(value: Any) -> str | None:
    return None if is_number(value) and value > 0 else "expected a number of hours > 0"


def _share(value: Any) -> str | None:
    return None if is_number(value) and 0 <= value <= 1 else "expected a share between 0 and 1"


def _waking_hours(value: Any) -> str | None:
    ok = (isinstance(value, list) and len(value) == 2 and all(_is_hour(v) for v in value)
          and value[0] < value[1])
    return None if ok else "expected [start, end]: two whole hours with 0 <= start < end <= 24"


def _is_hour(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _letters(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "expected a whole number >= 0"


_SETTING_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "response_window_hours": _positive_hours, "follow_up_window_hours": _positive_hours,
    "waking_hours": _waking_hours, "audience_language_min_share": _share, "home_language_min_share": _share,
    "min_detect_letters": _letters, "min_detect_confidence": _share, "trust_declared_below": _share,
    "bootstrap_resamples": _letters, "bootstrap_min_weeks": _letters, "bootstrap_min_events": _letters,
    "bootstrap_exact": _boolean,
}


def _global_audience_problems(audience: Any) -> Iterator[str]:
    path = "settings.global_audience"
    if not isinstance(audience, Mapping) or not audience:
        found = json_kind(audience)
        yield f"{path}: expected a table of language = share, such as {{ en = 0.18 }}, found {found}"
        return
    for lang, share in audience.items():
        if not PRIMARY_LANG.match(lang):
            yield f"{key_path(path, lang)}: expected a primary language code such as 'en' (posts carry those)"
        if not is_number(share) or not 0 < share <= 1:
            yield f"{key_path(path, lang)}: expected a share > 0 and <= 1, found {share!r}"


def _minimums_problems(table: Any, path: str) -> Iterator[str]:
    problem = expect_table(table, path, f"a [{path}] table of name = minimum score")
    if problem or not table:
        yield problem or f"{path}: expected at least one name = minimum score"
        return
    bad = [f"{key_path(path, k)}: expected a score between 0 and 100, found {v!r}"
           for k, v in table.items() if not (is_number(v) and 0 <= v <= 100)]
    yield from bad
    if bad:
        return
    values = list(table.values())
    if any(a <= b for a, b in zip(values, values[1:], strict=False)) or values[-1] != 0:
        found = ", ".join(f"{k} = {format_bound(v)}" for k, v in table.items())
        yield f"{path}: expected minimums in descending order (best first) ending at 0, found {found}"


def _dimensions_problems(dimensions: Any, source_ids: list[str]) -> Iterator[str]:
    yield from list_of_tables(dimensions, "dimensions", "[[dimensions]] table")
    yield from duplicate_ids(dimensions, "dimensions")
    for i, dim in indexed_tables(dimensions):
        yield from _dimension_problems(dim, key_path("dimensions", i), source_ids)
    weights = _valid_weights(dimensions)
    if weights:
        total = sum(weights)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            yield f"dimensions: weights sum to {total:g}, expected 1 (±{WEIGHT_TOLERANCE:g})"


def _dimension_problems(dim: Mapping[str, Any], path: str, source_ids: list[str]) -> Iterator[str]:
    yield from unknown_keys(dim, DIMENSION_KEYS, path)
    yield from text_problems(dim, "id", path)
    if is_text(dim.get("id")) and not DIMENSION_ID.match(dim["id"]):
        found = dim["id"]
        yield f"{path}.id: expected a name such as 'language_reach' (a-z, 0-9, _), found {found!r}"
    if dim.get("id") == "overall":
        yield f"{path}.id: 'overall' is reserved for the overall score"
    yield from text_problems(dim, "title", path)
    yield from text_problems(dim, "question", path, required=False)
    yield from _weight_problems(dim, path)
    if "sources" in dim:
        yield from _dimension_sources(dim["sources"], key_path(path, "sources"), source_ids)
    yield from _metrics_problems(dim.get("metrics"), key_path(path, "metrics"))


def _valid_weights(items: Any) -> list[float]:
    """The weights of a list of tables, or [] when any is missing or invalid (reported elsewhere)."""
    weights: list[Any] = [t.get("weight") for _, t in indexed_tables(items)]
    return [float(w) for w in weights] if all(is_number(w) and w >= 0 for w in weights) else []


def _weight_problems(table: Mapping[str, Any], path: str) -> Iterator[str]:
    if "weight" not in table:
        yield f"{path}.weight: missing; expected a number >= 0"
    elif not (is_number(table["weight"]) and table["weight"] >= 0):
        yield f"{path}.weight: expected a number >= 0, found {table['weight']!r}"


def _dimension_sources(sources: Any, path: str, source_ids: list[str]) -> Iterator[str]:
    problems = list(string_list(sources, path))
    yield from problems
    if problems:
        return
    for i, ref in enumerate(sources):
        if ref not in source_ids:
            yield f"{key_path(path, i)}: no source with id {ref!r}{did_you_mean(ref, source_ids)}"


def _metrics_problems(metrics: Any, path: str) -> Iterator[str]:
    yield from list_of_tables(metrics, path, "[[dimensions.metrics]] table")
    seen: dict[str, int] = {}
    for i, spec in indexed_tables(metrics):
        yield from _metric_problems(spec, key_path(path, i))
        name = spec.get("name")
        if isinstance(name, str) and name in seen:
            yield f"{key_path(path, i)}.name: {name!r} is already used by {key_path(path, seen[name])}"
        elif isinstance(name, str):
            seen[name] = i
    weights = _valid_weights(metrics)
    if weights and not any(w > 0 for w in weights):
        yield f"{path}: expected at least one metric with weight > 0 (weight 0 is reported, not scored)"


def _metric_problems(spec: Mapping[str, Any], path: str) -> Iterator[str]:
    yield from unknown_keys(spec, METRIC_KEYS, path)
    name = spec.get("name")
    known = isinstance(name, str) and name in METRIC_NAMES
    if "name" not in spec:
        yield f"{path}.name: missing; expected a metric of the catalogue"
    elif isinstance(name, str) and name in RENAMED_METRICS:
        yield f"{path}.name: {name!r} is now called {RENAMED_METRICS[name]!r}, as in the JSON contract; rename it"
    elif not known:
        yield f"{path}.name: unknown metric {name!r}{did_you_mean(str(name), METRIC_NAMES)}"
    yield from _weight_problems(spec, path)
    scored = is_number(spec.get("weight")) and spec["weight"] > 0
    if scored and known and name in NON_NUMERIC_METRICS:
        yield f"{path}.weight: {name} is a table or list, not a number: it can only be reported (weight = 0)"
    yield from _scale_problems(spec, path, scored)
    yield from _template_problems(spec, path, scored, str(name) if known else None)


def _scale_problems(spec: Mapping[str, Any], path: str, scored: bool) -> Iterator[str]:
    for key in ("floor", "target"):
        if key in spec and not is_number(spec[key]):
            yield f"{path}.{key}: expected a number, found {spec[key]!r}"
        elif key not in spec and scored:
            yield f"{path}.{key}: missing; a scored metric (weight > 0) needs a floor and a target"
    if scored and is_number(spec.get("floor")) and spec.get("floor") == spec.get("target"):
        yield f"{path}: floor and target are both {spec['floor']!r}; a scored metric needs floor != target"


def _template_problems(spec: Mapping[str, Any], path: str, scored: bool, name: str | None) -> Iterator[str]:
    values = _dummy_values(spec, name)
    for key in ("finding", "advice"):
        where = key_path(path, key)
        if key not in spec:
            if scored:
                yield f"{where}: missing; a scored metric needs a sentence with its numbers"
        elif not is_text(spec[key]):
            yield f"{where}: expected a non-empty string, found {spec[key]!r}"
        elif name is not None:
            yield from (f"{where}: {p}" for p in template_problems(spec[key], values))


class _AnyValue:
    """Stands in for a detail value of unknown type: accepts any format that a number, a text or a
    date would accept, so that a check never rejects a template that can work at run time."""

    _SAMPLES: tuple[object, ...] = (0.5, 1, "x", date(2025, 1, 1))

    def __format__(self, spec: str) -> str:
        for sample in self._SAMPLES:
            try:
                return format(sample, spec)
            except (ValueError, TypeError):
                continue
        raise ValueError(f"format {spec!r} fits no number, text or date")


def _dummy_values(spec: Mapping[str, Any], name: str | None) -> dict[str, object]:
    """The values a template may use: value, floor and target (when the metric has them), account and
    the metric's detail keys."""
    values: dict[str, object] = {"value": 0.5, "account": "x"}
    values.update({k: v for k, v in (("floor", 0), ("target", 1)) if k in spec or spec.get("weight", 0) != 0})
    detail_keys = METRICS[name].detail_keys if name is not None and name in METRICS else frozenset()
    values.update({k: _AnyValue() for k in detail_keys})
    return values


def template_problems(template: str, values: Mapping[str, object]) -> list[str]:
    """Why a finding/advice template would not format with these values ([] when it does)."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as e:
        return [f"invalid template: {e}"]
    roots = [re.split(r"[.\[]", f, maxsplit=1)[0] for f in fields]
    if any(root == "" or root.isdigit() for root in roots):
        return ["positional fields such as {} are not allowed; name a key such as {value}"]
    unknown = sorted({r for r in roots if r not in values})
    if unknown:
        return [f"unknown key {{{u}}} in template; allowed: {', '.join(sorted(values))}" for u in unknown]
    try:
        string.Formatter().vformat(template, (), dict(values))
    except (KeyError, IndexError, AttributeError, ValueError, TypeError) as e:
        return [f"template does not format: {type(e).__name__}: {e}"]
    return []
