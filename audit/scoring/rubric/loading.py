"""Finding and reading a rubric: a bundled id or a file, checked in full before the model is built."""


from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from audit.errors import ConfigError
from audit.result.rubric import DEFAULT_BANDS
from audit.scoring.rubric.checks import rubric_problems
from audit.scoring.rubric.export import settings_dict
from audit.scoring.rubric.model import (
    DEFAULT_GRADES,
    DEFAULT_RUBRIC_ID,
    LEXICON_KINDS,
    SLUG,
    Caveat,
    Citation,
    Condition,
    Dimension,
    Lexicons,
    MetricSpec,
    Rubric,
    Settings,
    Verdict,
    VerdictRule,
)
from audit.sources.userfile import read_user_toml


def load_rubric(path_or_id: str | Path = DEFAULT_RUBRIC_ID) -> Rubric:
    """Read and check a rubric file, or a bundled rubric by its id ("public-diplomacy").

    Raises ConfigError listing every problem, each with its key path.
    """
    path = rubric_path(path_or_id)
    return rubric_from_dict(read_user_toml(path, "a rubric file (TOML)"), path)


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
    return bool(SLUG.match(text)) and not text.endswith(".toml") and not Path(text).is_file()


def bundled_folders() -> tuple[Path, ...]:
    """Where bundled rubrics live: in the installed wheel, and in a source checkout."""
    package = Path(__file__).resolve().parents[2]
    return (package / "rubrics_data", package.parent / "rubrics")


def bundled_rubric_ids() -> list[str]:
    return sorted({p.stem for folder in bundled_folders() if folder.is_dir() for p in folder.glob("*.toml")})




def rubric_from_dict(data: Mapping[str, Any], where: object = "<rubric>") -> Rubric:
    """Check a parsed rubric and build the model; ConfigError(where, problems) when it has problems."""
    problems = rubric_problems(data)
    if problems:
        raise ConfigError(where, problems)
    return _build(data, where if isinstance(where, Path) else None)


def _build(data: Mapping[str, Any], path: Path | None) -> Rubric:
    verdict = data["verdict"]
    return Rubric(
        id=data["id"], version=data["version"], title=data["title"], description=data.get("description", ""),
        sources=tuple(_source(s) for s in data["sources"]),
        dimensions=tuple(_dimension(d) for d in data["dimensions"]),
        verdict=Verdict(verdict["default"], verdict.get("default_explanation", ""),
                        tuple(_rule(r) for r in verdict.get("rules", [])), tuple(verdict.get("basis", ())),
                        MappingProxyType(dict(verdict.get("shortfalls", {}))),
                        float(verdict.get("shortfall_below", 50.0))),
        settings=_settings(data.get("settings", {})),
        bands=_minimums(data.get("bands"), DEFAULT_BANDS),
        grades=_minimums(data.get("grades"), DEFAULT_GRADES),
        lexicons=Lexicons(**{k: _terms_by_lang(data.get("lexicons", {}).get(k, {})) for k in LEXICON_KINDS}),
        cultural_assets=MappingProxyType(
            {c.upper(): tuple(t["terms"]) for c, t in data.get("cultural_assets", {}).items()}),
        caveats=tuple(Caveat(c["id"], c["text"]) for c in data.get("caveats", {}).get("items", [])),
        path=path,
        role_weights=MappingProxyType({k: float(v) for k, v in data.get("weighting", {}).get("roles", {}).items()}),
    )


def _source(s: Mapping[str, Any]) -> Citation:
    return Citation(s["id"], s["citation"], s.get("url"), tuple(s.get("supports", [])))


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
        Condition(c.get("score"), c.get("metric"), _float_or_none(c.get("min")), _float_or_none(c.get("max")),
                  c.get("unmeasured", "fails"))
        for c in r["conditions"]
    )
    return VerdictRule(r["verdict"], r["explanation"], conditions, r.get("label", ""))


def _settings(s: Mapping[str, Any]) -> Settings:
    v = {**settings_dict(Settings()), **s}
    return Settings(
        response_window_hours=float(v["response_window_hours"]),
        follow_up_window_hours=float(v["follow_up_window_hours"]),
        waking_hours=(int(v["waking_hours"][0]), int(v["waking_hours"][1])),
        audience_language_min_share=float(v["audience_language_min_share"]),
        home_language_min_share=float(v["home_language_min_share"]),
        min_detect_letters=int(v["min_detect_letters"]),
        min_detect_confidence=float(v["min_detect_confidence"]),
        trust_declared_below=float(v["trust_declared_below"]),
        global_audience=MappingProxyType({k: float(x) for k, x in v["global_audience"].items()}),
        bootstrap_resamples=int(v["bootstrap_resamples"]), bootstrap_min_weeks=int(v["bootstrap_min_weeks"]),
        bootstrap_min_events=int(v["bootstrap_min_events"]), bootstrap_exact=bool(v["bootstrap_exact"]),
    )


def _minimums(table: Mapping[str, Any] | None, default: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType({k: float(v) for k, v in table.items()}) if table is not None else default


def _terms_by_lang(table: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({lang: tuple(terms) for lang, terms in table.items()})


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
