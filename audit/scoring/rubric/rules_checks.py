"""Checks of a rubric's vocabulary and judgement: lexicons, cultural assets, caveats and verdict rules."""


from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from audit.accounts import ROLES, is_country
from audit.scoring.metrics.table import NON_NUMERIC_METRICS
from audit.scoring.rubric.model import (
    CONDITION_KEYS,
    LANG_TAG,
    LEXICON_KINDS,
    RULE_KEYS,
    UNMEASURED,
    VERDICT_KEYS,
    VERDICTS,
    References,
    format_bound,
)
from audit.scoring.rubric.shapes import (
    did_you_mean,
    duplicate_ids,
    expect_table,
    indexed_tables,
    is_number,
    json_kind,
    key_path,
    list_of_tables,
    string_list,
    text_problems,
    unknown_keys,
)


def lexicons_problems(lexicons: Any) -> Iterator[str]:
    problem = expect_table(lexicons, "lexicons", "a [lexicons] table")
    if problem:
        yield problem
        return
    yield from unknown_keys(lexicons, LEXICON_KINDS, "lexicons")
    for kind in LEXICON_KINDS:
        if kind in lexicons:
            yield from _terms_table_problems(lexicons[kind], key_path("lexicons", kind))


def _terms_table_problems(table: Any, path: str) -> Iterator[str]:
    problem = expect_table(table, path, "a table of language = [terms]")
    if problem:
        yield problem
        return
    for lang, terms in table.items():
        if not LANG_TAG.match(lang):
            yield f"{key_path(path, lang)}: expected a language code such as 'ko' or 'zh-Hant' as the key"
        yield from string_list(terms, key_path(path, lang))


def cultural_problems(assets: Any) -> Iterator[str]:
    problem = expect_table(assets, "cultural_assets", "a table of [cultural_assets.<country>] tables")
    if problem:
        yield problem
        return
    for country, entry in assets.items():
        path = key_path("cultural_assets", country)
        if not is_country(country):
            yield f"{path}: expected an ISO 3166-1 alpha-2 country code such as 'KR' as the key"
        if (problem := expect_table(entry, path, "a table with terms = [...]")) is not None:
            yield problem
            continue
        yield from unknown_keys(entry, ("terms",), path)
        if "terms" not in entry:
            yield f"{path}.terms: missing; expected a list of terms"
        else:
            yield from string_list(entry["terms"], key_path(path, "terms"))


def caveats_problems(caveats: Any) -> Iterator[str]:
    problem = expect_table(caveats, "caveats", "a [caveats] table with items = [...]")
    if problem:
        yield problem
        return
    yield from unknown_keys(caveats, ("items",), "caveats")
    items = caveats.get("items", [])
    if not isinstance(items, list):
        yield f"caveats.items: expected a list of {{ id, text }} tables, found {json_kind(items)}"
        return
    yield from (f"caveats.items[{i}]: expected a table, found {json_kind(c)}" for i, c in enumerate(items)
                if not isinstance(c, Mapping))
    yield from duplicate_ids(items, "caveats.items")
    for i, item in indexed_tables(items):
        path = key_path("caveats.items", i)
        yield from unknown_keys(item, ("id", "text"), path)
        yield from text_problems(item, "id", path)
        yield from text_problems(item, "text", path)


def references(dimensions: Any) -> References:
    """What conditions may refer to: dimension ids, and '<dimension>.<metric>' -> is it a number."""
    dims = {d["id"] for _, d in indexed_tables(dimensions) if isinstance(d.get("id"), str)}
    metrics = {
        f"{d['id']}.{m['name']}": m["name"] not in NON_NUMERIC_METRICS
        for _, d in indexed_tables(dimensions) if isinstance(d.get("id"), str)
        for _, m in indexed_tables(d.get("metrics")) if isinstance(m.get("name"), str)
    }
    return dims, metrics


def verdict_problems(verdict: Any, refs: References) -> Iterator[str]:
    problem = expect_table(verdict, "verdict", "a [verdict] table")
    if problem:
        yield problem
        return
    yield from unknown_keys(verdict, VERDICT_KEYS, "verdict")
    yield from _verdict_name(verdict, "default", "verdict")
    yield from text_problems(verdict, "default_explanation", "verdict", required=False)
    yield from _shortfall_problems(verdict, refs)
    basis = verdict.get("basis", [])
    if not isinstance(basis, list) or not all(isinstance(b, str) for b in basis):
        yield f"verdict.basis: expected a list of dimension ids, found {json_kind(basis)}"
    else:
        yield from (f"verdict.basis: {b!r} is not a dimension id" for b in basis if b not in refs[0])
    rules = verdict.get("rules", [])
    if not isinstance(rules, list):
        yield f"verdict.rules: expected a list of [[verdict.rules]] tables, found {json_kind(rules)}"
        return
    yield from (f"verdict.rules[{i}]: expected a table, found {json_kind(r)}" for i, r in enumerate(rules)
                if not isinstance(r, Mapping))
    for i, rule in indexed_tables(rules):
        yield from _rule_problems(rule, key_path("verdict.rules", i), refs)


def _shortfall_problems(verdict: Mapping[str, Any], refs: References) -> Iterator[str]:
    shortfalls = verdict.get("shortfalls", {})
    if not isinstance(shortfalls, Mapping) or not all(isinstance(v, str) for v in shortfalls.values()):
        yield ("verdict.shortfalls: expected a table of dimension id = words, such as "
               "{ frequency = \"too little regularity\" }")
    else:
        yield from (f"verdict.shortfalls.{k}: {k!r} is not a dimension id" for k in shortfalls if k not in refs[0])
    below = verdict.get("shortfall_below", 50)
    if not (is_number(below) and 0 <= below <= 100):
        yield f"verdict.shortfall_below: expected a score from 0 to 100, found {below!r}"


def _verdict_name(table: Mapping[str, Any], key: str, path: str) -> Iterator[str]:
    if key not in table:
        yield f"{key_path(path, key)}: missing; expected one of {', '.join(VERDICTS)}"
    elif table[key] not in VERDICTS:
        yield f"{key_path(path, key)}: expected one of {', '.join(VERDICTS)}, found {table[key]!r}"


def _rule_problems(rule: Mapping[str, Any], path: str, refs: References) -> Iterator[str]:
    yield from unknown_keys(rule, RULE_KEYS, path)
    yield from _verdict_name(rule, "verdict", path)
    yield from text_problems(rule, "explanation", path)
    yield from text_problems(rule, "label", path, required=False)
    conditions = rule.get("conditions")
    example = 'condition such as { score = "overall", min = 50 }'
    yield from list_of_tables(conditions, key_path(path, "conditions"), example)
    for i, cond in indexed_tables(conditions):
        yield from _condition_problems(cond, key_path(key_path(path, "conditions"), i), refs)


def _condition_problems(cond: Mapping[str, Any], path: str, refs: References) -> Iterator[str]:
    yield from unknown_keys(cond, CONDITION_KEYS, path)
    if ("score" in cond) == ("metric" in cond):
        yield f"{path}: expected exactly one of score or metric"
    elif "score" in cond:
        yield from _score_ref(cond["score"], key_path(path, "score"), refs[0])
    else:
        yield from _metric_ref(cond["metric"], key_path(path, "metric"), refs[1])
    yield from _bounds_problems(cond, path)
    if cond.get("unmeasured", "fails") not in UNMEASURED:
        yield f"{key_path(path, 'unmeasured')}: expected one of {', '.join(UNMEASURED)}, found {cond['unmeasured']!r}"


def _score_ref(score: Any, path: str, dimension_ids: set[str]) -> Iterator[str]:
    if not (isinstance(score, str) and (score == "overall" or score in dimension_ids)):
        choices = ", ".join(["overall", *sorted(dimension_ids - {"overall"})])
        yield f"{path}: expected 'overall' or a dimension id ({choices}), found {score!r}"


def _metric_ref(metric: Any, path: str, metrics: dict[str, bool]) -> Iterator[str]:
    if not isinstance(metric, str) or metric not in metrics:
        hint = did_you_mean(str(metric), metrics, cutoff=0.8)  # high: references share their dimension part
        yield f"{path}: expected '<dimension>.<metric>', a metric of this rubric, found {metric!r}{hint}"
    elif not metrics[metric]:
        yield f"{path}: {metric} is a table or list, not a number, and cannot be compared"


def _bounds_problems(cond: Mapping[str, Any], path: str) -> Iterator[str]:
    if "min" not in cond and "max" not in cond:
        yield f"{path}: expected min and/or max"
    bad = [k for k in ("min", "max") if k in cond and not is_number(cond[k])]
    yield from (f"{key_path(path, k)}: expected a number, found {cond[k]!r}" for k in bad)
    if not bad and "min" in cond and "max" in cond and cond["min"] > cond["max"]:
        low, high = format_bound(cond["min"]), format_bound(cond["max"])
        yield f"{path}: min ({low}) is above max ({high}); no value can match"
    if not bad and "score" in cond and any(not 0 <= cond[k] <= 100 for k in ("min", "max") if k in cond):
        yield f"{path}: scores run from 0 to 100; a bound outside that range never or always holds"


def weighting_problems(weighting: Any) -> Iterator[str]:
    """`[weighting] roles = { ministry = 2, embassy = 1, ... }`: a weight >= 0 per account role."""
    problem = expect_table(weighting, "weighting", "a [weighting] table")
    if problem:
        yield problem
        return
    yield from unknown_keys(weighting, ("roles",), "weighting")
    roles = weighting.get("roles", {})
    if not isinstance(roles, Mapping):
        yield f"weighting.roles: expected a table of role = weight, found {json_kind(roles)}"
        return
    for role, weight in roles.items():
        if role not in ROLES:
            yield f"weighting.roles.{role}: expected one of {', '.join(ROLES)}"
        elif not (is_number(weight) and weight >= 0):
            yield f"weighting.roles.{role}: expected a weight >= 0, found {weight!r}"
