"""The rubric: the default rubric, scoring scales, bands, every validation rule, and `audit rubric`."""

from __future__ import annotations

import copy
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from audit.cli.rubric import app
from audit.errors import ConfigError
from audit.scoring.metrics.table import METRIC_NAMES, METRICS, NON_NUMERIC_METRICS
from audit.scoring.rubric.checks import rubric_problems, template_problems
from audit.scoring.rubric.export import rubric_dict, rubric_table
from audit.scoring.rubric.loading import load_rubric, rubric_from_dict
from audit.scoring.rubric.model import LEXICON_KINDS, MetricSpec, Rubric

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = ROOT / "rubrics" / "public-diplomacy.toml"
RUBRIC_FIXTURES = ROOT / "fixtures" / "rubrics"
REQUIRED_LANGUAGES = ("ko", "ja", "zh", "en", "es", "fr", "ar", "ru", "id")


@pytest.fixture(scope="module")
def default() -> Rubric:
    return load_rubric("public-diplomacy")


@pytest.fixture
def raw() -> dict[str, Any]:
    """The default rubric as parsed TOML, to break one thing at a time."""
    return tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def problems_of(data: dict[str, Any]) -> list[str]:
    return rubric_problems(data)


# The default rubric ------------------------------------------------------------------------------


def test_default_rubric_loads_and_passes(default: Rubric, raw: dict[str, Any]) -> None:
    assert rubric_problems(raw) == []
    assert (default.id, default.version) == ("public-diplomacy", "1.0.0")
    assert [d.id for d in default.dimensions] == [
        "language_reach", "frequency", "outreach_vs_diplomacy", "crisis_responsiveness"]
    assert math.isclose(sum(d.weight for d in default.dimensions), 1.0)
    assert default.path == DEFAULT_FILE


def test_default_rubric_by_path_equals_by_id(default: Rubric) -> None:
    assert load_rubric(DEFAULT_FILE) == default
    assert load_rubric(str(DEFAULT_FILE)) == default


def test_default_rubric_scores_with_sentences_and_sources(default: Rubric) -> None:
    source_ids = {s.id for s in default.sources}
    for dim in default.dimensions:
        assert dim.sources and set(dim.sources) <= source_ids and dim.question
        for m in dim.metrics:
            assert m.name in METRIC_NAMES
            if m.scored:
                assert m.finding and m.advice and "{value" in m.finding, m.name
    robertson = default.source("robertson-2017")
    assert "The Most Technologically Advanced Avoider?" in robertson.citation
    assert {"language_reach", "frequency", "outreach_vs_diplomacy", "verdict"} <= set(robertson.supports)


def test_default_rubric_reports_but_never_scores_tables(default: Rubric) -> None:
    for dim in default.dimensions:
        for m in dim.metrics:
            if m.name in NON_NUMERIC_METRICS:
                assert not m.scored


def test_default_lexicons_cover_the_required_languages(default: Rubric) -> None:
    for kind in LEXICON_KINDS:
        table = default.lexicon(kind)
        # home affairs decide only for home languages the world also reads (en, ar, es, fr, ru, zh)
        required = {"en", "ar"} if kind == "domestic" else set(REQUIRED_LANGUAGES)
        assert required <= set(table), kind
        assert all(terms and all(t.strip() == t and t for t in terms) for terms in table.values()), kind
    assert {"지진", "재난", "대피"} <= set(default.lexicon("crisis")["ko"])
    assert {"地震", "災害", "避難"} <= set(default.lexicon("crisis")["ja"])
    assert "사실이 아닙니다" in default.lexicon("rebuttal")["ko"]
    assert "fake news" in default.lexicon("rebuttal")["en"]
    assert "旅券" in default.lexicon("consular")["ja"]


def test_default_lexicons_avoid_known_false_friends(default: Rubric) -> None:
    """Korean terms match as substrings: these would hit 소비자, 비상임이사국 and 안전보장이사회."""
    korean = {t for kind in LEXICON_KINDS for t in default.lexicon(kind).get("ko", ())}
    assert not {"비자", "비상", "안전", "여권"} & korean


def test_default_cultural_assets(default: Rubric) -> None:
    kr = default.cultural_terms("kr")
    assert {"BTS", "한류", "Hallyu", "K-pop", "Dynamite"} <= set(kr)
    assert "アニメ" in default.cultural_terms("JP")
    assert default.cultural_terms("FR") == ()


def test_default_verdict_encodes_robertson(default: Rubric) -> None:
    rules = default.verdict.rules
    assert [(r.verdict, r.label) for r in rules] == [
        ("avoider", "technologically advanced avoider"), ("exploiter", ""), ("adapter", "")]
    assert default.verdict.default == "avoider"
    assert all(r.explanation for r in rules) and default.verdict.default_explanation
    assert [c.describe() for c in rules[1].conditions] == [
        "overall >= 70", "outreach_vs_diplomacy >= 75", "outreach_vs_diplomacy.two_way_share >= 0.5",
        "outreach_vs_diplomacy.reply_share >= 0.2", "frequency.posts_per_week >= 7",
        "crisis_responsiveness.median_first_response_hours <= 6 (or not measured)"]
    assert rules[1].conditions[-1].unmeasured == "holds"
    assert set(default.verdict.shortfalls) == set(default.verdict.basis)


def test_default_caveats_keep_the_challenges_in_view(default: Rubric) -> None:
    ids = {c.id for c in default.caveats}
    assert {"bots", "digital-divide", "algorithmic-bias", "cultural-backlash", "insular-platforms"} <= ids
    assert "Kakao" in next(c.text for c in default.caveats if c.id == "insular-platforms")


def test_settings(default: Rubric) -> None:
    s = default.settings
    assert (s.response_window_hours, s.follow_up_window_hours, s.waking_hours) == (72, 72, (8, 22))
    assert s.global_audience["en"] == 0.18 and set(s.global_audience) == {"en", "zh", "es", "fr", "ar", "ru"}


def test_as_dict_round_trips_and_is_json(default: Rubric) -> None:
    data = rubric_dict(default)
    assert rubric_from_dict(json.loads(json.dumps(data, ensure_ascii=False))) == default


def test_lexicons_read_as_a_mapping(default: Rubric) -> None:
    assert list(default.lexicons) == list(LEXICON_KINDS)
    assert default.lexicons.get("crisis") is default.lexicons.crisis
    assert default.lexicons.get("unknown", {}) == {}
    with pytest.raises(ValueError, match="unknown lexicon 'crises'"):
        default.lexicon("crises")


def test_dimension_and_metric_lookup(default: Rubric) -> None:
    assert default.dimension("frequency").metric("posts_per_week").target == 7
    with pytest.raises(KeyError):
        default.dimension("nope")
    with pytest.raises(KeyError):
        default.dimension("frequency").metric("reply_share")


def test_catalogue_names_hold_the_spec() -> None:
    assert len(METRIC_NAMES) == 29
    assert METRICS["depth_parity_length"].detail_keys == {"audience_median_words", "home_median_words",
                                                          "audience_median_chars", "home_median_chars"}
    assert METRICS["regularity_cv"].detail_keys == frozenset()
    assert NON_NUMERIC_METRICS <= METRIC_NAMES


# Scales, bands, grades ---------------------------------------------------------------------------


@pytest.mark.parametrize(("floor", "target", "value", "expected"), [
    (0.2, 0.8, 0.5, 50.0),      # halfway
    (0.2, 0.8, 0.2, 0.0),       # at the floor
    (0.2, 0.8, 0.8, 100.0),     # at the target
    (0.2, 0.8, 0.35, 25.0),
    (0.2, 0.8, 0.0, 0.0),       # below the floor: clamped
    (0.2, 0.8, 1.0, 100.0),     # above the target: clamped
    (72, 6, 39, 50.0),          # lower is better: halfway
    (72, 6, 6, 100.0),
    (72, 6, 72, 0.0),
    (72, 6, 0.5, 100.0),        # faster than the target: clamped
    (72, 6, 200, 0.0),          # slower than the floor: clamped
    (30, 7, 18.5, 50.0),
    (1, 7, 4, 50.0),
])
def test_score_interpolates_and_clamps(floor: float, target: float, value: float, expected: float) -> None:
    spec = MetricSpec("x", weight=1, floor=floor, target=target)
    assert spec.score(value) == pytest.approx(expected)


def test_score_needs_a_scale_and_a_number() -> None:
    with pytest.raises(ValueError, match="no scale"):
        MetricSpec("language_shares", weight=0).score(0.5)
    with pytest.raises(ValueError, match="NaN"):
        MetricSpec("x", weight=1, floor=0, target=1).score(float("nan"))


def test_direction() -> None:
    assert MetricSpec("x", 1, floor=0, target=1).direction == "higher"
    assert MetricSpec("x", 1, floor=72, target=6).direction == "lower"
    assert MetricSpec("x", 0, floor=0, target=1).direction == "reported"


@pytest.mark.parametrize(("score", "band"), [
    (100, "strong"), (75, "strong"), (74.99, "adequate"), (50, "adequate"), (49.9, "weak"), (25, "weak"),
    (24.9, "poor"), (0, "poor"), (-3, "poor")])
def test_band_for(default: Rubric, score: float, band: str) -> None:
    assert default.band_for(score) == band


@pytest.mark.parametrize(("score", "grade"), [
    (100, "A"), (85, "A"), (84.99, "B"), (70, "B"), (69.9, "C"), (55, "C"), (54.9, "D"), (40, "D"),
    (39.9, "E"), (0, "E")])
def test_grade_for(default: Rubric, score: float, grade: str) -> None:
    assert default.grade_for(score) == grade


def test_rubric_table(default: Rubric) -> None:
    rows = rubric_table(default)
    assert len(rows) == default.metric_count == 29
    assert set(rows[0]) == {"dimension", "metric", "label", "unit", "weight", "floor", "target", "direction",
                            "overall_weight", "definition"}
    assert all(r["definition"] == METRICS[r["metric"]].definition for r in rows)
    assert sum(r["overall_weight"] for r in rows) == pytest.approx(1.0)
    gap = next(r for r in rows if r["metric"] == "longest_gap_days")
    assert (gap["dimension"], gap["floor"], gap["target"], gap["direction"]) == ("frequency", 30, 7, "lower")


# Problems ----------------------------------------------------------------------------------------


MANY_PROBLEMS = [
    "title: missing; this key is required",
    "titel: unknown key (did you mean 'title'?)",
    "id: expected lower-case letters, digits, '-', '_' or '.', found 'Broken Rubric'",
    "version: expected a non-empty string, found ''",
    "sources[1].id: 'src' is already used by sources[0]",
    "sources[0].url: expected an http(s) address, found 'ftp://example.org/paper'",
    "sources[0].supports[1]: 'nowhere' is neither a dimension id nor one of verdict, caveats",
    "sources[1].citation: expected a non-empty string, found ''",
    "settings.colour: unknown key",
    "settings.response_window_hours: expected a number of hours > 0, found 0",
    "settings.waking_hours: expected [start, end]: two whole hours with 0 <= start < end <= 24, "
    "found [22, 8]",
    "settings.audience_language_min_share: expected a share between 0 and 1, found 1.5",
    "settings.global_audience.English: expected a primary language code such as 'en' (posts carry those)",
    "settings.global_audience.English: expected a share > 0 and <= 1, found 2",
    "bands: expected minimums in descending order (best first) ending at 0, "
    "found strong = 50, adequate = 75, poor = 10",
    "grades.A: expected a score between 0 and 100, found 'high'",
    "dimensions[1].id: 'reach' is already used by dimensions[0]",
    "dimensions[0].sources[1]: no source with id 'nope'",
    "dimensions[0].metrics[0].name: unknown metric 'audience_language_shares' "
    "(did you mean 'audience_language_share'?)",
    "dimensions[0].metrics[1]: floor and target are both 3; a scored metric needs floor != target",
    "dimensions[0].metrics[1].finding: unknown key {weeks} in template; "
    "allowed: account, days, floor, messages, posts, target, value",
    "dimensions[0].metrics[1].advice: positional fields such as {} are not allowed; "
    "name a key such as {value}",
    "dimensions[0].metrics[2].wieght: unknown key (did you mean 'weight'?)",
    "dimensions[0].metrics[2].weight: expected a number >= 0, found -1",
    "dimensions[0].metrics[2].name: 'posts_per_week' is already used by dimensions[0].metrics[1]",
    "dimensions[0].metrics[3].weight: language_shares is a table or list, not a number: "
    "it can only be reported (weight = 0)",
    "dimensions[0].metrics[3].finding: invalid template: expected '}' before end of string",
    "dimensions[0].metrics[3].advice: template does not format: "
    "ValueError: Invalid format specifier '%Y' for object of type 'float'",
    "dimensions[1].metrics: expected at least one [[dimensions.metrics]] table, found an empty list",
    "dimensions[2].id: 'overall' is reserved for the overall score",
    "dimensions[2].weight: expected a number >= 0, found '0.2'",
    "dimensions[2].metrics: expected at least one metric with weight > 0 (weight 0 is reported, not scored)",
    "lexicons.crises: unknown key (did you mean 'crisis'?)",
    "lexicons.crisis.ko[1]: expected a non-empty string, found ''",
    "lexicons.crisis.english: expected a language code such as 'ko' or 'zh-Hant' as the key",
    "cultural_assets.XX: expected an ISO 3166-1 alpha-2 country code such as 'KR' as the key",
    "cultural_assets.KR.words: unknown key",
    "cultural_assets.KR.terms: missing; expected a list of terms",
    "verdict.default: expected one of exploiter, adapter, avoider, found 'ignorer'",
    "verdict.rules[0].explanation: missing; expected a non-empty string",
    "verdict.rules[0].conditions[0]: expected exactly one of score or metric",
    "verdict.rules[0].conditions[1].score: expected 'overall' or a dimension id (overall, reach), "
    "found 'frequency'",
    "verdict.rules[0].conditions[2].metric: reach.language_shares is a table or list, not a number, "
    "and cannot be compared",
    "verdict.rules[0].conditions[3].metric: expected '<dimension>.<metric>', a metric of this rubric, "
    "found 'reach.nope'",
    "verdict.rules[0].conditions[4]: min (80) is above max (60); no value can match",
    "verdict.rules[0].conditions[5]: expected min and/or max",
    "verdict.rules[0].conditions[6]: scores run from 0 to 100; "
    "a bound outside that range never or always holds",
    "caveats.items[1].id: 'a' is already used by caveats.items[0]",
    "caveats.items[0].text: expected a non-empty string, found ''",
    "caveats.items[1].note: unknown key",
]


def test_broken_rubric_lists_every_problem_with_its_key_path() -> None:
    path = RUBRIC_FIXTURES / "many-problems.toml"
    with pytest.raises(ConfigError) as caught:
        load_rubric(path)
    assert caught.value.problems == MANY_PROBLEMS
    assert str(caught.value).splitlines()[0] == f"{path}: title: missing; this key is required"


def test_unknown_keys_at_every_level(raw: dict[str, Any]) -> None:
    raw["titel"] = "x"
    raw["settings"]["waking_hour"] = [8, 22]
    raw["sources"][0]["cite"] = "x"
    raw["dimensions"][0]["wieght"] = 0.3
    raw["dimensions"][1]["metrics"][0]["flor"] = 1
    raw["lexicons"]["rebutal"] = {"en": ["false"]}
    raw["verdict"]["rules"][0]["explaination"] = "x"
    raw["verdict"]["rules"][1]["conditions"][0]["mni"] = 1
    raw["caveats"]["item"] = []
    assert problems_of(raw) == [
        "titel: unknown key (did you mean 'title'?)",
        "sources[0].cite: unknown key",
        "settings.waking_hour: unknown key (did you mean 'waking_hours'?)",
        "dimensions[0].wieght: unknown key (did you mean 'weight'?)",
        "dimensions[1].metrics[0].flor: unknown key (did you mean 'floor'?)",
        "lexicons.rebutal: unknown key (did you mean 'rebuttal'?)",
        "verdict.rules[0].explaination: unknown key (did you mean 'explanation'?)",
        "verdict.rules[1].conditions[0].mni: unknown key (did you mean 'min'?)",
        "caveats.item: unknown key (did you mean 'items'?)",
    ]


def test_bad_toml_names_line_and_column() -> None:
    with pytest.raises(ConfigError) as caught:
        load_rubric(RUBRIC_FIXTURES / "bad-syntax.toml")
    [problem] = caught.value.problems
    assert problem.startswith("line 3, column 33: expected valid TOML: ")


def test_missing_file_folder_and_unknown_id(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_rubric(tmp_path / "nope.toml")
    with pytest.raises(ConfigError, match="found a folder"):
        load_rubric(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_rubric("public-diplomacyy")
    assert caught.value.problems == [
        "no bundled rubric with this id (bundled: public-diplomacy); or give a rubric file"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Diplomatie numérique"'.encode("latin-1"))
    with pytest.raises(ConfigError, match="expected UTF-8 text"):
        load_rubric(path)


def test_unknown_metric_name(raw: dict[str, Any]) -> None:
    raw["dimensions"][1]["metrics"][0]["name"] = "posts_a_week"
    raw["dimensions"][1]["metrics"][1]["name"] = "sentiment"
    assert problems_of(raw) == [
        "dimensions[1].metrics[0].name: unknown metric 'posts_a_week' (did you mean 'posts_per_week'?)",
        "dimensions[1].metrics[1].name: unknown metric 'sentiment'",
        # the verdict rules still name the metric that is gone
        "verdict.rules[0].conditions[0].metric: expected '<dimension>.<metric>', a metric of this rubric, "
        "found 'frequency.posts_per_week' (did you mean 'frequency.posts_a_week'?)",
        "verdict.rules[1].conditions[4].metric: expected '<dimension>.<metric>', a metric of this rubric, "
        "found 'frequency.posts_per_week' (did you mean 'frequency.posts_a_week'?)",
        "verdict.rules[2].conditions[1].metric: expected '<dimension>.<metric>', a metric of this rubric, "
        "found 'frequency.posts_per_week' (did you mean 'frequency.posts_a_week'?)",
    ]


def test_dimension_weights_must_sum_to_one(raw: dict[str, Any]) -> None:
    raw["dimensions"][0]["weight"] = 0.40
    assert problems_of(raw) == ["dimensions: weights sum to 1.1, expected 1 (±0.001)"]
    raw["dimensions"][0]["weight"] = 0.3005
    assert problems_of(raw) == []


def test_metric_weights_need_one_scored_metric(raw: dict[str, Any]) -> None:
    for m in raw["dimensions"][1]["metrics"]:
        m["weight"] = 0
    assert problems_of(raw) == [
        "dimensions[1].metrics: expected at least one metric with weight > 0 "
        "(weight 0 is reported, not scored)"]


def test_scored_metric_needs_scale_and_sentences(raw: dict[str, Any]) -> None:
    metric = raw["dimensions"][1]["metrics"][0]
    for key in ("floor", "target", "finding", "advice"):
        del metric[key]
    assert problems_of(raw) == [
        "dimensions[1].metrics[0].floor: missing; a scored metric (weight > 0) needs a floor and a target",
        "dimensions[1].metrics[0].target: missing; a scored metric (weight > 0) needs a floor and a target",
        "dimensions[1].metrics[0].finding: missing; a scored metric needs a sentence with its numbers",
        "dimensions[1].metrics[0].advice: missing; a scored metric needs a sentence with its numbers",
    ]


def test_template_with_unknown_key(raw: dict[str, Any]) -> None:
    advice = "Post {target} times a week, not {value} ({weeks} weeks, {x})."
    raw["dimensions"][1]["metrics"][0]["advice"] = advice
    allowed = "allowed: account, days, floor, messages, posts, target, value"
    assert problems_of(raw) == [
        f"dimensions[1].metrics[0].advice: unknown key {{weeks}} in template; {allowed}",
        f"dimensions[1].metrics[0].advice: unknown key {{x}} in template; {allowed}",
    ]


def test_template_of_a_reported_metric_without_scale_cannot_use_target(raw: dict[str, Any]) -> None:
    raw["dimensions"][0]["metrics"][4]["finding"] = "{value:.0f} languages, target {target}."
    assert problems_of(raw) == [
        "dimensions[0].metrics[4].finding: unknown key {target} in template; "
        "allowed: account, languages, value"]


@pytest.mark.parametrize(("template", "problems"), [
    ("{value:.0%} in {audience_languages}", []),
    ("{gap_start} to {gap_end:%Y-%m-%d}", []),           # a date or a text: both must be accepted
    ("{waking_start:02d}:00", []),
    ("{value!r} {account:>10}", []),
    ("{{literal braces}} {value}", []),
    ("{value.real}", []),
    ("{nope}", ["unknown key {nope} in template; "
                "allowed: account, audience_languages, floor, target, value"]),
    ("{0}", ["positional fields such as {} are not allowed; name a key such as {value}"]),
    ("{value", ["invalid template: expected '}' before end of string"]),
    ("value}", ["invalid template: Single '}' encountered in format string"]),
    ("{value:d}", ["template does not format: "
                   "ValueError: Unknown format code 'd' for object of type 'float'"]),
    ("{audience_languages:%}{value:q}", ["template does not format: ValueError: Unknown format code 'q' for "
                                         "object of type 'float'"]),
])
def test_template_problems(template: str, problems: list[str]) -> None:
    from audit.scoring.rubric.checks import _dummy_values

    spec = {"name": "audience_language_share", "weight": 1, "floor": 0, "target": 1}
    if "gap" in template or "waking" in template:
        spec["name"] = "longest_gap_days" if "gap" in template else "waking_hours_share"
    assert template_problems(template, _dummy_values(spec, spec["name"])) == problems  # type: ignore[arg-type]


def test_verdict_problems(raw: dict[str, Any]) -> None:
    raw["verdict"]["rules"][0]["verdict"] = "exploitant"
    raw["verdict"]["rules"][1]["conditions"] = []
    raw["verdict"]["default"] = "Avoider"
    assert problems_of(raw) == [
        "verdict.default: expected one of exploiter, adapter, avoider, found 'Avoider'",
        "verdict.rules[0].verdict: expected one of exploiter, adapter, avoider, found 'exploitant'",
        "verdict.rules[1].conditions: expected at least one condition such as "
        "{ score = \"overall\", min = 50 }, found an empty list",
    ]


def test_required_keys_and_wrong_types(raw: dict[str, Any]) -> None:
    for key in ("id", "version", "verdict"):
        del raw[key]
    raw["sources"] = []
    raw["dimensions"] = {"language_reach": {}}
    raw["lexicons"] = ["crisis"]
    assert problems_of(raw) == [
        "id: missing; this key is required",
        "version: missing; this key is required",
        "verdict: missing; this key is required",
        "sources: expected at least one [[sources]] table, found an empty list",
        "dimensions: expected at least one [[dimensions]] table, found a table",
        "lexicons: expected a [lexicons] table, found a list",
    ]
    assert rubric_problems([1, 2]) == ["expected a table at the top of the rubric, found list"]  # type: ignore[arg-type]


def test_non_finite_and_boolean_numbers(raw: dict[str, Any]) -> None:
    raw["dimensions"][1]["metrics"][0]["floor"] = float("nan")
    raw["dimensions"][1]["metrics"][0]["target"] = True
    raw["settings"]["response_window_hours"] = float("inf")
    assert problems_of(raw) == [
        "settings.response_window_hours: expected a number of hours > 0, found inf",
        "dimensions[1].metrics[0].floor: expected a number, found nan",
        "dimensions[1].metrics[0].target: expected a number, found True",
    ]


# Any input gives problems or a rubric, never a crash -----------------------------------------------

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)
_DEFAULT_DATA = tomllib.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found += _paths(child, (*prefix, key))
    return found


_PATHS = _paths(_DEFAULT_DATA)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(_PATHS), value=_VALUES, delete=st.booleans())
def test_any_broken_value_gives_problems_not_a_crash(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    data = copy.deepcopy(_DEFAULT_DATA)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    try:
        rubric_from_dict(data)
    except ConfigError as e:
        assert e.problems and all(isinstance(p, str) for p in e.problems)


# `audit rubric check|show` ----------------------------------------------------------------------

runner = CliRunner()


def test_cli_check_ok() -> None:
    result = runner.invoke(app, ["check", str(DEFAULT_FILE)])
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: public-diplomacy 1.0.0: 4 dimensions, 29 metrics\n"
    minimal = runner.invoke(app, ["check", str(RUBRIC_FIXTURES / "minimal.toml")])
    assert minimal.stdout == "OK: minimal 0.1.0: 1 dimensions, 2 metrics\n"


def test_cli_check_lists_every_problem() -> None:
    path = RUBRIC_FIXTURES / "many-problems.toml"
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"Error: {path}: {p}" for p in MANY_PROBLEMS]


def test_cli_check_bad_toml_and_missing_file(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["check", str(RUBRIC_FIXTURES / "bad-syntax.toml")])
    assert bad.exit_code == 1 and "expected valid TOML" in bad.stderr and "line 3" in bad.stderr
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: {tmp_path / 'nope.toml'}: no such file; expected a rubric file (TOML)\n"


def test_cli_show_default_table() -> None:
    result = runner.invoke(app, ["show"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "public-diplomacy 1.0.0: Public diplomacy on social media"
    assert "language_reach (30%): Language reach" in lines
    row = next(line for line in lines if "longest_gap_days" in line).split()
    assert row == ["frequency", "longest_gap_days", "0.2", "30", "7", "lower", "is", "better", "4.0%"]
    exploiter = ("  exploiter: overall >= 70 and outreach_vs_diplomacy >= 75 and "
                 "outreach_vs_diplomacy.two_way_share >= 0.5 and outreach_vs_diplomacy.reply_share >= 0.2 and "
                 "frequency.posts_per_week >= 7 and crisis_responsiveness.median_first_response_hours <= 6 "
                 "(or not measured)")
    assert exploiter in lines
    assert lines[-1] == "  otherwise: avoider"


def test_cli_show_json_and_file() -> None:
    result = runner.invoke(app, ["show", str(RUBRIC_FIXTURES / "minimal.toml"), "--json"])
    assert result.exit_code == 0, result.output
    words = {name: {"label": METRICS[name].label, "unit": METRICS[name].unit,
                    "definition": METRICS[name].definition} for name in ("posts_per_week", "longest_gap_days")}
    assert json.loads(result.stdout) == [
        {"dimension": "frequency", "metric": "posts_per_week", "weight": 1.0, "floor": 1.0, "target": 5.0,
         "direction": "higher", "overall_weight": 1.0, **words["posts_per_week"]},
        {"dimension": "frequency", "metric": "longest_gap_days", "weight": 0.0, "floor": None, "target": None,
         "direction": "reported", "overall_weight": 0.0, **words["longest_gap_days"]},
    ]


def test_cli_show_unknown_rubric() -> None:
    result = runner.invoke(app, ["show", "nope"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nope: no bundled rubric with this id")


def test_every_default_term_matches_a_sentence_that_uses_it(default: Rubric) -> None:
    """A term that cannot match (a stray space, punctuation the pattern cannot see) is dead weight."""
    import polars as pl

    from audit.enrich.keywords import match_keywords

    terms = {t for kind in LEXICON_KINDS for ts in default.lexicon(kind).values() for t in ts}
    terms |= {t for country in ("KR", "JP") for t in default.cultural_terms(country)}
    dead = [t for t in sorted(terms)
            if not pl.select(match_keywords(pl.lit(f"Today: {t} (see below)."), [t])).item()]
    assert dead == []
