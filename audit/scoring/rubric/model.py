"""The rubric: what is measured, how it is scored, and where each criterion comes from.

A rubric is data (`rubrics/*.toml`), so that a ministry can adapt targets, weights, lexicons and
advice without touching code. Metrics are chosen by name from the catalogue in code; the rubric
only sets their weights, floors, targets and sentences. Loading checks the whole file and reports
every problem at once with its key path (``dimensions[1].metrics[0].name: ...``), so a user fixes
the file in one pass. The file format is described in `rubrics/public-diplomacy.toml` itself.
"""

from __future__ import annotations

import difflib
import math
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from audit.accounts import is_country
from audit.errors import ConfigError
from audit.scoring.metrics.names import METRIC_DETAIL_KEYS, METRIC_NAMES, NON_NUMERIC_METRICS

DEFAULT_RUBRIC_ID = "public-diplomacy"
VERDICTS = ("exploiter", "adapter", "avoider")
LEXICON_KINDS = ("crisis", "participation", "rebuttal", "consular")
TEMPLATE_KEYS = frozenset({"value", "floor", "target", "account"})
WEIGHT_TOLERANCE = 0.001

TOP_KEYS = ("id", "version", "title", "description", "sources", "settings", "bands", "grades", "dimensions",
            "lexicons", "cultural_assets", "verdict", "caveats")
REQUIRED_TOP_KEYS = ("id", "version", "title", "sources", "dimensions", "verdict")
SOURCE_KEYS = ("id", "citation", "url", "supports")
DIMENSION_KEYS = ("id", "title", "question", "weight", "sources", "metrics")
METRIC_KEYS = ("name", "weight", "floor", "target", "finding", "advice")
VERDICT_KEYS = ("default", "default_explanation", "rules")
RULE_KEYS = ("verdict", "explanation", "conditions")
CONDITION_KEYS = ("score", "metric", "min", "max")
SOURCE_SUPPORT_EXTRAS = ("verdict", "caveats")

References = tuple[set[str], dict[str, bool]]
"""What verdict conditions may refer to: dimension ids, and '<dimension>.<metric>' -> is it a number."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DIMENSION_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_PRIMARY_LANG = re.compile(r"^[a-z]{2,3}$")

DEFAULT_BANDS: Mapping[str, float] = MappingProxyType(
    {"strong": 75.0, "adequate": 50.0, "weak": 25.0, "poor": 0.0}
)
DEFAULT_GRADES: Mapping[str, float] = MappingProxyType({"A": 85.0, "B": 70.0, "C": 55.0, "D": 40.0, "E": 0.0})
DEFAULT_GLOBAL_AUDIENCE: Mapping[str, float] = MappingProxyType(
    {"en": 0.18, "zh": 0.14, "es": 0.07, "fr": 0.04, "ar": 0.03, "ru": 0.03}
)


# The model -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A citation the report prints next to the criteria it supports."""

    id: str
    citation: str
    url: str | None = None
    supports: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricSpec:
    """One catalogue metric as the rubric uses it: its weight, its scale and its sentences.

    A weight of 0 means "reported, not scored". The scale runs from `floor` (scores 0) to `target`
    (scores 100); a floor above the target means lower values are better (hours, days of silence).
    """

    name: str
    weight: float
    floor: float | None = None
    target: float | None = None
    finding: str | None = None
    advice: str | None = None

    @property
    def scored(self) -> bool:
        return self.weight > 0

    @property
    def direction(self) -> str:
        """'higher' or 'lower' (is better), or 'reported' for a metric that is not scored."""
        if not self.scored or self.floor is None or self.target is None:
            return "reported"
        return "higher" if self.target > self.floor else "lower"

    def score(self, value: float) -> float:
        """0..100 by linear interpolation between floor (0) and target (100), clamped at both ends."""
        if self.floor is None or self.target is None or self.floor == self.target:
            raise ValueError(f"metric {self.name!r} has no scale (floor and target) to score on")
        if math.isnan(value):
            raise ValueError(f"metric {self.name!r}: cannot score NaN; report it as not measured")
        fraction = (value - self.floor) / (self.target - self.floor)
        return 100.0 * min(1.0, max(0.0, fraction))


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    weight: float
    metrics: tuple[MetricSpec, ...]
    question: str = ""
    sources: tuple[str, ...] = ()

    def metric(self, name: str) -> MetricSpec:
        for spec in self.metrics:
            if spec.name == name:
                return spec
        raise KeyError(f"dimension {self.id!r} has no metric {name!r}")


@dataclass(frozen=True)
class Settings:
    """Parameters the pipeline needs besides the metrics' own scales."""

    response_window_hours: float = 72.0
    follow_up_window_hours: float = 72.0
    waking_hours: tuple[int, int] = (8, 22)
    audience_language_min_share: float = 0.10
    home_language_min_share: float = 0.10
    min_detect_letters: int = 3
    min_detect_confidence: float = 0.5
    global_audience: Mapping[str, float] = field(default_factory=lambda: DEFAULT_GLOBAL_AUDIENCE)


@dataclass(frozen=True)
class Condition:
    """One test of a verdict rule: a score ('overall' or a dimension id) or a metric, within bounds."""

    score: str | None = None
    metric: str | None = None
    min: float | None = None
    max: float | None = None

    @property
    def subject(self) -> str:
        return self.score if self.score is not None else f"{self.metric}"

    def describe(self) -> str:
        """Readable form for reports: 'overall >= 70', '0.1 <= frequency.posts_per_week <= 3'."""
        low = f"{_num(self.min)} <= " if self.min is not None and self.max is not None else ""
        if self.max is not None:
            return f"{low}{self.subject} <= {_num(self.max)}"
        return f"{self.subject} >= {_num(self.min)}"


@dataclass(frozen=True)
class VerdictRule:
    verdict: str
    explanation: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Verdict:
    """Robertson's typology as rules: the first rule whose conditions all hold gives the verdict."""

    default: str
    default_explanation: str = ""
    rules: tuple[VerdictRule, ...] = ()


@dataclass(frozen=True)
class Lexicons(Mapping[str, Mapping[str, tuple[str, ...]]]):
    """Term lists per kind and language; also a read-only mapping kind -> language -> terms."""

    crisis: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    participation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rebuttal: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    consular: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> Mapping[str, tuple[str, ...]]:
        if kind not in LEXICON_KINDS:
            raise KeyError(kind)
        table: Mapping[str, tuple[str, ...]] = getattr(self, kind)
        return table

    def __iter__(self) -> Iterator[str]:
        return iter(LEXICON_KINDS)

    def __len__(self) -> int:
        return len(LEXICON_KINDS)


@dataclass(frozen=True)
class Caveat:
    id: str
    text: str


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title: str
    sources: tuple[Source, ...]
    dimensions: tuple[Dimension, ...]
    verdict: Verdict
    description: str = ""
    settings: Settings = field(default_factory=Settings)
    bands: Mapping[str, float] = field(default_factory=lambda: DEFAULT_BANDS)
    grades: Mapping[str, float] = field(default_factory=lambda: DEFAULT_GRADES)
    lexicons: Lexicons = field(default_factory=Lexicons)
    cultural_assets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    caveats: tuple[Caveat, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def dimension(self, dimension_id: str) -> Dimension:
        for dim in self.dimensions:
            if dim.id == dimension_id:
                return dim
        raise KeyError(f"rubric {self.id!r} has no dimension {dimension_id!r}")

    def source(self, source_id: str) -> Source:
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(f"rubric {self.id!r} has no source {source_id!r}")

    def band_for(self, score: float) -> str:
        """The name of the best band whose minimum the score reaches."""
        return _first_reached(self.bands, score)

    def grade_for(self, score: float) -> str:
        """The best letter grade whose minimum the score reaches."""
        return _first_reached(self.grades, score)

    def lexicon(self, kind: str) -> dict[str, tuple[str, ...]]:
        """Terms of one kind (crisis, participation, rebuttal, consular) by language."""
        if kind not in LEXICON_KINDS:
            raise ValueError(f"unknown lexicon {kind!r}; expected one of {', '.join(LEXICON_KINDS)}")
        return dict(self.lexicons[kind])

    def cultural_terms(self, country: str) -> tuple[str, ...]:
        """The cultural-asset terms of a home country (empty when the rubric lists none)."""
        return self.cultural_assets.get(country.upper(), ())

    @property
    def metric_count(self) -> int:
        return sum(len(d.metrics) for d in self.dimensions)

    def as_dict(self) -> dict[str, Any]:
        """JSON-able and TOML-shaped: `rubric_from_dict(r.as_dict())` gives back an equal rubric."""
        return _rubric_dict(self)


def _first_reached(minimums: Mapping[str, float], score: float) -> str:
    for name, minimum in minimums.items():
        if score >= minimum:
            return name
    return list(minimums)[-1]


def _num(value: float | None) -> str:
    return f"{value:g}" if value is not None else "?"


# Loading ---------------------------------------------------------------------------------------


def load_rubric(path_or_id: str | Path = DEFAULT_RUBRIC_ID) -> Rubric:
    """Read and check a rubric file, or a bundled rubric by its id ("public-diplomacy").

    Raises ConfigError listing every problem, each with its key path.
    """
    path = rubric_path(path_or_id)
    return rubric_from_dict(_read_toml(path), path)


def rubric_path(path_or_id: str | Path) -> Path:
    """A file path as given, or the bundled file of a bare id (installed wheel first, then the repo)."""
    if isinstance(path_or_id, Path) or not _looks_like_id(path_or_id):
        return Path(path_or_id)
    for folder in bundled_folders():
        candidate = folder / f"{path_or_id}.toml"
        if candidate.is_file():
            return candidate
    known = ", ".join(bundled_rubric_ids()) or "none"
    problem = f"no bundled rubric with this id (bundled: {known}); or give a rubric file"
    raise ConfigError(path_or_id, [problem])


def _looks_like_id(text: str) -> bool:
    return bool(_SLUG.match(text)) and not text.endswith(".toml") and not Path(text).is_file()


def bundled_folders() -> tuple[Path, ...]:
    """Where bundled rubrics live: in the installed wheel, and in a source checkout."""
    package = Path(__file__).resolve().parents[2]
    return (package / "rubrics_data", package.parent / "rubrics")


def bundled_rubric_ids() -> list[str]:
    return sorted({p.stem for folder in bundled_folders() if folder.is_dir() for p in folder.glob("*.toml")})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, ["no such file"]) from None
    except IsADirectoryError:
        raise ConfigError(path, ["expected a rubric file (TOML), found a folder"]) from None
    except UnicodeDecodeError as e:
        raise ConfigError(path, [f"expected UTF-8 text: {e}"]) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(path, [f"expected valid TOML: {e}"]) from None


def rubric_from_dict(data: Mapping[str, Any], where: object = "<rubric>") -> Rubric:
    """Check a parsed rubric and build the model; ConfigError(where, problems) when it has problems."""
    problems = rubric_problems(data)
    if problems:
        raise ConfigError(where, problems)
    return _build(data, where if isinstance(where, Path) else None)


# Building (data already checked) ---------------------------------------------------------------


def _build(data: Mapping[str, Any], path: Path | None) -> Rubric:
    verdict = data["verdict"]
    return Rubric(
        id=data["id"], version=data["version"], title=data["title"], description=data.get("description", ""),
        sources=tuple(_source(s) for s in data["sources"]),
        dimensions=tuple(_dimension(d) for d in data["dimensions"]),
        verdict=Verdict(verdict["default"], verdict.get("default_explanation", ""),
                        tuple(_rule(r) for r in verdict.get("rules", []))),
        settings=_settings(data.get("settings", {})),
        bands=_minimums(data.get("bands"), DEFAULT_BANDS),
        grades=_minimums(data.get("grades"), DEFAULT_GRADES),
        lexicons=Lexicons(**{k: _terms_by_lang(data.get("lexicons", {}).get(k, {})) for k in LEXICON_KINDS}),
        cultural_assets=MappingProxyType(
            {c.upper(): tuple(t["terms"]) for c, t in data.get("cultural_assets", {}).items()}),
        caveats=tuple(Caveat(c["id"], c["text"]) for c in data.get("caveats", {}).get("items", [])),
        path=path,
    )


def _source(s: Mapping[str, Any]) -> Source:
    return Source(s["id"], s["citation"], s.get("url"), tuple(s.get("supports", [])))


def _dimension(d: Mapping[str, Any]) -> Dimension:
    return Dimension(id=d["id"], title=d["title"], weight=float(d["weight"]),
                     metrics=tuple(_metric(m) for m in d["metrics"]), question=d.get("question", ""),
                     sources=tuple(d.get("sources", [])))


def _metric(m: Mapping[str, Any]) -> MetricSpec:
    return MetricSpec(
        name=m["name"], weight=float(m["weight"]), floor=_float_or_none(m.get("floor")),
        target=_float_or_none(m.get("target")), finding=m.get("finding"), advice=m.get("advice"),
    )


def _rule(r: Mapping[str, Any]) -> VerdictRule:
    conditions = tuple(
        Condition(c.get("score"), c.get("metric"), _float_or_none(c.get("min")), _float_or_none(c.get("max")))
        for c in r["conditions"]
    )
    return VerdictRule(r["verdict"], r["explanation"], conditions)


def _settings(s: Mapping[str, Any]) -> Settings:
    v = {**_settings_dict(Settings()), **s}
    return Settings(
        response_window_hours=float(v["response_window_hours"]),
        follow_up_window_hours=float(v["follow_up_window_hours"]),
        waking_hours=(int(v["waking_hours"][0]), int(v["waking_hours"][1])),
        audience_language_min_share=float(v["audience_language_min_share"]),
        home_language_min_share=float(v["home_language_min_share"]),
        min_detect_letters=int(v["min_detect_letters"]),
        min_detect_confidence=float(v["min_detect_confidence"]),
        global_audience=MappingProxyType({k: float(x) for k, x in v["global_audience"].items()}),
    )


def _minimums(table: Mapping[str, Any] | None, default: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType({k: float(v) for k, v in table.items()}) if table is not None else default


def _terms_by_lang(table: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({lang: tuple(terms) for lang, terms in table.items()})


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


# Checking: every problem, with its key path -------------------------------------------------------


def rubric_problems(data: Mapping[str, Any]) -> list[str]:
    """Every problem of a parsed rubric, each as '<key path>: <what is wrong>'; [] for a good rubric."""
    if not isinstance(data, Mapping):
        return [f"expected a table at the top of the rubric, found {type(data).__name__}"]
    return list(_problems(data))


def _problems(data: Mapping[str, Any]) -> Iterator[str]:
    yield from (f"{k}: missing; this key is required" for k in REQUIRED_TOP_KEYS if k not in data)
    yield from _unknown_keys(data, TOP_KEYS, "")
    yield from _text_problems(data, "id", "", pattern=_SLUG, required=False)
    yield from _text_problems(data, "version", "", required=False)
    yield from _text_problems(data, "title", "", required=False)
    yield from _text_problems(data, "description", "", required=False)
    source_ids = _ids_of(data.get("sources"))
    if "sources" in data:
        yield from _sources_problems(data["sources"], _ids_of(data.get("dimensions")))
    if "settings" in data:
        yield from _settings_problems(data["settings"])
    for key in ("bands", "grades"):
        if key in data:
            yield from _minimums_problems(data[key], key)
    if "dimensions" in data:
        yield from _dimensions_problems(data["dimensions"], source_ids)
    yield from _vocabulary_problems(data)
    if "verdict" in data:
        yield from _verdict_problems(data["verdict"], _references(data.get("dimensions")))
    if "caveats" in data:
        yield from _caveats_problems(data["caveats"])


def _vocabulary_problems(data: Mapping[str, Any]) -> Iterator[str]:
    if "lexicons" in data:
        yield from _lexicons_problems(data["lexicons"])
    if "cultural_assets" in data:
        yield from _cultural_problems(data["cultural_assets"])


# Generic checks --------------------------------------------------------------------------------


def _at(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _unknown_keys(table: Mapping[str, Any], allowed: Iterable[str], path: str) -> Iterator[str]:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            yield f"{_at(path, key)}: unknown key{_did_you_mean(str(key), allowed)}"


def _did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _text_problems(table: Mapping[str, Any], key: str, path: str, *, required: bool = True,
                   pattern: re.Pattern[str] | None = None) -> Iterator[str]:
    where = _at(path, key)
    if key not in table:
        if required:
            yield f"{where}: missing; expected a non-empty string"
        return
    value = table[key]
    if not _is_text(value):
        yield f"{where}: expected a non-empty string, found {value!r}"
    elif pattern is not None and not pattern.match(value):
        yield f"{where}: expected lower-case letters, digits, '-', '_' or '.', found {value!r}"


def _table(value: Any, path: str, what: str) -> str | None:
    return None if isinstance(value, Mapping) else f"{path}: expected {what}, found {_kind(value)}"


def _list_of_tables(value: Any, path: str, what: str) -> Iterator[str]:
    """Problems of a list that must hold at least one table (an array of tables in TOML)."""
    if not isinstance(value, list) or not value:
        yield f"{path}: expected at least one {what}, found {_kind(value)}"
        return
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            yield f"{_at(path, i)}: expected a table, found {_kind(item)}"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    return repr(value)


def _tables(value: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """The tables of a list with their indexes (non-tables are reported elsewhere)."""
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, Mapping)]


def _ids_of(value: Any) -> list[str]:
    return [t["id"] for _, t in _tables(value) if isinstance(t.get("id"), str)]


def _duplicate_ids(value: Any, path: str) -> Iterator[str]:
    first: dict[str, int] = {}
    for i, item in _tables(value):
        ident = item.get("id")
        if isinstance(ident, str) and ident in first:
            yield f"{_at(path, i)}.id: {ident!r} is already used by {_at(path, first[ident])}"
        elif isinstance(ident, str):
            first[ident] = i


def _string_list(value: Any, path: str) -> Iterator[str]:
    if not isinstance(value, list):
        yield f"{path}: expected a list of strings, found {_kind(value)}"
        return
    for i, item in enumerate(value):
        if not _is_text(item):
            yield f"{_at(path, i)}: expected a non-empty string, found {item!r}"


# Sources -----------------------------------------------------------------------------------------


def _sources_problems(sources: Any, dimension_ids: list[str]) -> Iterator[str]:
    yield from _list_of_tables(sources, "sources", "[[sources]] table")
    yield from _duplicate_ids(sources, "sources")
    for i, src in _tables(sources):
        path = _at("sources", i)
        yield from _unknown_keys(src, SOURCE_KEYS, path)
        yield from _text_problems(src, "id", path)
        yield from _text_problems(src, "citation", path)
        yield from _url_problems(src.get("url"), _at(path, "url"))
        if "supports" in src:
            yield from _supports_problems(src["supports"], _at(path, "supports"), dimension_ids)


def _url_problems(url: Any, path: str) -> Iterator[str]:
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        yield f"{path}: expected an http(s) address, found {url!r}"


def _supports_problems(supports: Any, path: str, dimension_ids: list[str]) -> Iterator[str]:
    problems = list(_string_list(supports, path))
    yield from problems
    if problems:
        return
    allowed = (*dimension_ids, *SOURCE_SUPPORT_EXTRAS)
    for i, item in enumerate(supports):
        if item not in allowed:
            extras = ", ".join(SOURCE_SUPPORT_EXTRAS)
            yield f"{_at(path, i)}: {item!r} is neither a dimension id nor one of {extras}"


# Settings ----------------------------------------------------------------------------------------


def _settings_problems(settings: Any) -> Iterator[str]:
    problem = _table(settings, "settings", "a [settings] table")
    if problem:
        yield problem
        return
    yield from _unknown_keys(settings, (*_SETTING_CHECKS, "global_audience"), "settings")
    for key, check in _SETTING_CHECKS.items():
        if key in settings and (message := check(settings[key])):
            yield f"settings.{key}: {message}, found {settings[key]!r}"
    if "global_audience" in settings:
        yield from _global_audience_problems(settings["global_audience"])


def _positive_hours(value: Any) -> str | None:
    return None if _is_number(value) and value > 0 else "expected a number of hours > 0"


def _share(value: Any) -> str | None:
    return None if _is_number(value) and 0 <= value <= 1 else "expected a share between 0 and 1"


def _waking_hours(value: Any) -> str | None:
    ok = (isinstance(value, list) and len(value) == 2 and all(_is_hour(v) for v in value)
          and value[0] < value[1])
    return None if ok else "expected [start, end]: two whole hours with 0 <= start < end <= 24"


def _is_hour(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24


def _letters(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return None if ok else "expected a whole number >= 0"


_SETTING_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "response_window_hours": _positive_hours, "follow_up_window_hours": _positive_hours,
    "waking_hours": _waking_hours, "audience_language_min_share": _share, "home_language_min_share": _share,
    "min_detect_letters": _letters, "min_detect_confidence": _share,
}


def _global_audience_problems(audience: Any) -> Iterator[str]:
    path = "settings.global_audience"
    if not isinstance(audience, Mapping) or not audience:
        found = _kind(audience)
        yield f"{path}: expected a table of language = share, such as {{ en = 0.18 }}, found {found}"
        return
    for lang, share in audience.items():
        if not _PRIMARY_LANG.match(lang):
            yield f"{_at(path, lang)}: expected a primary language code such as 'en' (posts carry those)"
        if not _is_number(share) or not 0 < share <= 1:
            yield f"{_at(path, lang)}: expected a share > 0 and <= 1, found {share!r}"


# Bands and grades --------------------------------------------------------------------------------


def _minimums_problems(table: Any, path: str) -> Iterator[str]:
    problem = _table(table, path, f"a [{path}] table of name = minimum score")
    if problem or not table:
        yield problem or f"{path}: expected at least one name = minimum score"
        return
    bad = [f"{_at(path, k)}: expected a score between 0 and 100, found {v!r}"
           for k, v in table.items() if not (_is_number(v) and 0 <= v <= 100)]
    yield from bad
    if bad:
        return
    values = list(table.values())
    if any(a <= b for a, b in zip(values, values[1:], strict=False)) or values[-1] != 0:
        found = ", ".join(f"{k} = {_num(v)}" for k, v in table.items())
        yield f"{path}: expected minimums in descending order (best first) ending at 0, found {found}"


# Dimensions and metrics --------------------------------------------------------------------------


def _dimensions_problems(dimensions: Any, source_ids: list[str]) -> Iterator[str]:
    yield from _list_of_tables(dimensions, "dimensions", "[[dimensions]] table")
    yield from _duplicate_ids(dimensions, "dimensions")
    for i, dim in _tables(dimensions):
        yield from _dimension_problems(dim, _at("dimensions", i), source_ids)
    weights = _valid_weights(dimensions)
    if weights:
        total = sum(weights)
        if abs(total - 1) > WEIGHT_TOLERANCE:
            yield f"dimensions: weights sum to {total:g}, expected 1 (±{WEIGHT_TOLERANCE:g})"


def _dimension_problems(dim: Mapping[str, Any], path: str, source_ids: list[str]) -> Iterator[str]:
    yield from _unknown_keys(dim, DIMENSION_KEYS, path)
    yield from _text_problems(dim, "id", path)
    if _is_text(dim.get("id")) and not _DIMENSION_ID.match(dim["id"]):
        found = dim["id"]
        yield f"{path}.id: expected a name such as 'language_reach' (a-z, 0-9, _), found {found!r}"
    if dim.get("id") == "overall":
        yield f"{path}.id: 'overall' is reserved for the overall score"
    yield from _text_problems(dim, "title", path)
    yield from _text_problems(dim, "question", path, required=False)
    yield from _weight_problems(dim, path)
    if "sources" in dim:
        yield from _dimension_sources(dim["sources"], _at(path, "sources"), source_ids)
    yield from _metrics_problems(dim.get("metrics"), _at(path, "metrics"))


def _valid_weights(items: Any) -> list[float]:
    """The weights of a list of tables, or [] when any is missing or invalid (reported elsewhere)."""
    weights: list[Any] = [t.get("weight") for _, t in _tables(items)]
    return [float(w) for w in weights] if all(_is_number(w) and w >= 0 for w in weights) else []


def _weight_problems(table: Mapping[str, Any], path: str) -> Iterator[str]:
    if "weight" not in table:
        yield f"{path}.weight: missing; expected a number >= 0"
    elif not (_is_number(table["weight"]) and table["weight"] >= 0):
        yield f"{path}.weight: expected a number >= 0, found {table['weight']!r}"


def _dimension_sources(sources: Any, path: str, source_ids: list[str]) -> Iterator[str]:
    problems = list(_string_list(sources, path))
    yield from problems
    if problems:
        return
    for i, ref in enumerate(sources):
        if ref not in source_ids:
            yield f"{_at(path, i)}: no source with id {ref!r}{_did_you_mean(ref, source_ids)}"


def _metrics_problems(metrics: Any, path: str) -> Iterator[str]:
    yield from _list_of_tables(metrics, path, "[[dimensions.metrics]] table")
    seen: dict[str, int] = {}
    for i, spec in _tables(metrics):
        yield from _metric_problems(spec, _at(path, i))
        name = spec.get("name")
        if isinstance(name, str) and name in seen:
            yield f"{_at(path, i)}.name: {name!r} is already used by {_at(path, seen[name])}"
        elif isinstance(name, str):
            seen[name] = i
    weights = _valid_weights(metrics)
    if weights and not any(w > 0 for w in weights):
        yield f"{path}: expected at least one metric with weight > 0 (weight 0 is reported, not scored)"


def _metric_problems(spec: Mapping[str, Any], path: str) -> Iterator[str]:
    yield from _unknown_keys(spec, METRIC_KEYS, path)
    name = spec.get("name")
    known = isinstance(name, str) and name in METRIC_NAMES
    if "name" not in spec:
        yield f"{path}.name: missing; expected a metric of the catalogue"
    elif not known:
        yield f"{path}.name: unknown metric {name!r}{_did_you_mean(str(name), METRIC_NAMES)}"
    yield from _weight_problems(spec, path)
    scored = _is_number(spec.get("weight")) and spec["weight"] > 0
    if scored and known and name in NON_NUMERIC_METRICS:
        yield f"{path}.weight: {name} is a table or list, not a number: it can only be reported (weight = 0)"
    yield from _scale_problems(spec, path, scored)
    yield from _template_problems(spec, path, scored, str(name) if known else None)


def _scale_problems(spec: Mapping[str, Any], path: str, scored: bool) -> Iterator[str]:
    for key in ("floor", "target"):
        if key in spec and not _is_number(spec[key]):
            yield f"{path}.{key}: expected a number, found {spec[key]!r}"
        elif key not in spec and scored:
            yield f"{path}.{key}: missing; a scored metric (weight > 0) needs a floor and a target"
    if scored and _is_number(spec.get("floor")) and spec.get("floor") == spec.get("target"):
        yield f"{path}: floor and target are both {spec['floor']!r}; a scored metric needs floor != target"


def _template_problems(spec: Mapping[str, Any], path: str, scored: bool, name: str | None) -> Iterator[str]:
    values = _dummy_values(spec, name)
    for key in ("finding", "advice"):
        where = _at(path, key)
        if key not in spec:
            if scored:
                yield f"{where}: missing; a scored metric needs a sentence with its numbers"
        elif not _is_text(spec[key]):
            yield f"{where}: expected a non-empty string, found {spec[key]!r}"
        elif name is not None:
            yield from (f"{where}: {p}" for p in template_problems(spec[key], values))


# Templates ---------------------------------------------------------------------------------------


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
    values.update({k: _AnyValue() for k in METRIC_DETAIL_KEYS.get(name or "", frozenset())})
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


# Lexicons, cultural assets, caveats ----------------------------------------------------------------


def _lexicons_problems(lexicons: Any) -> Iterator[str]:
    problem = _table(lexicons, "lexicons", "a [lexicons] table")
    if problem:
        yield problem
        return
    yield from _unknown_keys(lexicons, LEXICON_KINDS, "lexicons")
    for kind in LEXICON_KINDS:
        if kind in lexicons:
            yield from _terms_table_problems(lexicons[kind], _at("lexicons", kind))


def _terms_table_problems(table: Any, path: str) -> Iterator[str]:
    problem = _table(table, path, "a table of language = [terms]")
    if problem:
        yield problem
        return
    for lang, terms in table.items():
        if not _LANG.match(lang):
            yield f"{_at(path, lang)}: expected a language code such as 'ko' or 'zh-Hant' as the key"
        yield from _string_list(terms, _at(path, lang))


def _cultural_problems(assets: Any) -> Iterator[str]:
    problem = _table(assets, "cultural_assets", "a table of [cultural_assets.<country>] tables")
    if problem:
        yield problem
        return
    for country, entry in assets.items():
        path = _at("cultural_assets", country)
        if not is_country(country):
            yield f"{path}: expected an ISO 3166-1 alpha-2 country code such as 'KR' as the key"
        if (problem := _table(entry, path, "a table with terms = [...]")) is not None:
            yield problem
            continue
        yield from _unknown_keys(entry, ("terms",), path)
        if "terms" not in entry:
            yield f"{path}.terms: missing; expected a list of terms"
        else:
            yield from _string_list(entry["terms"], _at(path, "terms"))


def _caveats_problems(caveats: Any) -> Iterator[str]:
    problem = _table(caveats, "caveats", "a [caveats] table with items = [...]")
    if problem:
        yield problem
        return
    yield from _unknown_keys(caveats, ("items",), "caveats")
    items = caveats.get("items", [])
    if not isinstance(items, list):
        yield f"caveats.items: expected a list of {{ id, text }} tables, found {_kind(items)}"
        return
    yield from (f"caveats.items[{i}]: expected a table, found {_kind(c)}" for i, c in enumerate(items)
                if not isinstance(c, Mapping))
    yield from _duplicate_ids(items, "caveats.items")
    for i, item in _tables(items):
        path = _at("caveats.items", i)
        yield from _unknown_keys(item, ("id", "text"), path)
        yield from _text_problems(item, "id", path)
        yield from _text_problems(item, "text", path)


# Verdict rules -----------------------------------------------------------------------------------


def _references(dimensions: Any) -> References:
    """What conditions may refer to: dimension ids, and '<dimension>.<metric>' -> is it a number."""
    dims = {d["id"] for _, d in _tables(dimensions) if isinstance(d.get("id"), str)}
    metrics = {
        f"{d['id']}.{m['name']}": m["name"] not in NON_NUMERIC_METRICS
        for _, d in _tables(dimensions) if isinstance(d.get("id"), str)
        for _, m in _tables(d.get("metrics")) if isinstance(m.get("name"), str)
    }
    return dims, metrics


def _verdict_problems(verdict: Any, refs: References) -> Iterator[str]:
    problem = _table(verdict, "verdict", "a [verdict] table")
    if problem:
        yield problem
        return
    yield from _unknown_keys(verdict, VERDICT_KEYS, "verdict")
    yield from _verdict_name(verdict, "default", "verdict")
    yield from _text_problems(verdict, "default_explanation", "verdict", required=False)
    rules = verdict.get("rules", [])
    if not isinstance(rules, list):
        yield f"verdict.rules: expected a list of [[verdict.rules]] tables, found {_kind(rules)}"
        return
    yield from (f"verdict.rules[{i}]: expected a table, found {_kind(r)}" for i, r in enumerate(rules)
                if not isinstance(r, Mapping))
    for i, rule in _tables(rules):
        yield from _rule_problems(rule, _at("verdict.rules", i), refs)


def _verdict_name(table: Mapping[str, Any], key: str, path: str) -> Iterator[str]:
    if key not in table:
        yield f"{_at(path, key)}: missing; expected one of {', '.join(VERDICTS)}"
    elif table[key] not in VERDICTS:
        yield f"{_at(path, key)}: expected one of {', '.join(VERDICTS)}, found {table[key]!r}"


def _rule_problems(rule: Mapping[str, Any], path: str, refs: References) -> Iterator[str]:
    yield from _unknown_keys(rule, RULE_KEYS, path)
    yield from _verdict_name(rule, "verdict", path)
    yield from _text_problems(rule, "explanation", path)
    conditions = rule.get("conditions")
    example = 'condition such as { score = "overall", min = 50 }'
    yield from _list_of_tables(conditions, _at(path, "conditions"), example)
    for i, cond in _tables(conditions):
        yield from _condition_problems(cond, _at(_at(path, "conditions"), i), refs)


def _condition_problems(cond: Mapping[str, Any], path: str, refs: References) -> Iterator[str]:
    yield from _unknown_keys(cond, CONDITION_KEYS, path)
    if ("score" in cond) == ("metric" in cond):
        yield f"{path}: expected exactly one of score or metric"
    elif "score" in cond:
        yield from _score_ref(cond["score"], _at(path, "score"), refs[0])
    else:
        yield from _metric_ref(cond["metric"], _at(path, "metric"), refs[1])
    yield from _bounds_problems(cond, path)


def _score_ref(score: Any, path: str, dimension_ids: set[str]) -> Iterator[str]:
    if not (isinstance(score, str) and (score == "overall" or score in dimension_ids)):
        choices = ", ".join(["overall", *sorted(dimension_ids - {"overall"})])
        yield f"{path}: expected 'overall' or a dimension id ({choices}), found {score!r}"


def _metric_ref(metric: Any, path: str, metrics: dict[str, bool]) -> Iterator[str]:
    if not isinstance(metric, str) or metric not in metrics:
        hint = _did_you_mean(str(metric), metrics, cutoff=0.8)  # high: references share their dimension part
        yield f"{path}: expected '<dimension>.<metric>', a metric of this rubric, found {metric!r}{hint}"
    elif not metrics[metric]:
        yield f"{path}: {metric} is a table or list, not a number, and cannot be compared"


def _bounds_problems(cond: Mapping[str, Any], path: str) -> Iterator[str]:
    if "min" not in cond and "max" not in cond:
        yield f"{path}: expected min and/or max"
    bad = [k for k in ("min", "max") if k in cond and not _is_number(cond[k])]
    yield from (f"{_at(path, k)}: expected a number, found {cond[k]!r}" for k in bad)
    if not bad and "min" in cond and "max" in cond and cond["min"] > cond["max"]:
        yield f"{path}: min ({_num(cond['min'])}) is above max ({_num(cond['max'])}); no value can match"
    if not bad and "score" in cond and any(not 0 <= cond[k] <= 100 for k in ("min", "max") if k in cond):
        yield f"{path}: scores run from 0 to 100; a bound outside that range never or always holds"


# Export ------------------------------------------------------------------------------------------


def _rubric_dict(r: Rubric) -> dict[str, Any]:
    return _drop_none({
        "id": r.id, "version": r.version, "title": r.title, "description": r.description,
        "sources": [_source_dict(s) for s in r.sources],
        "settings": _settings_dict(r.settings), "bands": dict(r.bands), "grades": dict(r.grades),
        "dimensions": [_dimension_dict(d) for d in r.dimensions],
        "lexicons": {kind: {lang: list(t) for lang, t in r.lexicons[kind].items()} for kind in LEXICON_KINDS},
        "cultural_assets": {c: {"terms": list(t)} for c, t in r.cultural_assets.items()},
        "verdict": {"default": r.verdict.default, "default_explanation": r.verdict.default_explanation,
                    "rules": [_rule_dict(rule) for rule in r.verdict.rules]},
        "caveats": {"items": [{"id": c.id, "text": c.text} for c in r.caveats]},
    })


def _source_dict(s: Source) -> dict[str, Any]:
    return _drop_none({"id": s.id, "citation": s.citation, "url": s.url, "supports": list(s.supports)})


def _settings_dict(s: Settings) -> dict[str, Any]:
    return {
        "response_window_hours": s.response_window_hours, "follow_up_window_hours": s.follow_up_window_hours,
        "waking_hours": list(s.waking_hours), "audience_language_min_share": s.audience_language_min_share,
        "home_language_min_share": s.home_language_min_share, "min_detect_letters": s.min_detect_letters,
        "min_detect_confidence": s.min_detect_confidence, "global_audience": dict(s.global_audience),
    }


def _dimension_dict(d: Dimension) -> dict[str, Any]:
    metrics = [_drop_none({"name": m.name, "weight": m.weight, "floor": m.floor, "target": m.target,
                           "finding": m.finding, "advice": m.advice}) for m in d.metrics]
    return {"id": d.id, "title": d.title, "question": d.question, "weight": d.weight,
            "sources": list(d.sources), "metrics": metrics}


def _rule_dict(rule: VerdictRule) -> dict[str, Any]:
    conditions = [_drop_none({"score": c.score, "metric": c.metric, "min": c.min, "max": c.max})
                  for c in rule.conditions]
    return {"verdict": rule.verdict, "explanation": rule.explanation, "conditions": conditions}


def _drop_none(table: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in table.items() if v is not None}


# The table `audit rubric show` prints ------------------------------------------------------------


def rubric_table(rubric: Rubric) -> list[dict[str, Any]]:
    """One row per metric: dimension, metric, weight, floor, target, direction, and its share of the
    overall score when every metric is measured (dimension weight x the metric's part of it)."""
    rows = []
    for dim in rubric.dimensions:
        scored_total = sum(m.weight for m in dim.metrics if m.scored)
        for m in dim.metrics:
            share = dim.weight * m.weight / scored_total if scored_total else 0.0
            rows.append({"dimension": dim.id, "metric": m.name, "weight": m.weight, "floor": m.floor,
                         "target": m.target, "direction": m.direction, "overall_weight": round(share, 4)})
    return rows
