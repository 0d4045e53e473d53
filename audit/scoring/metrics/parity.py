"""Robertson's own comparison, at ministry level: the foreign-language accounts against the home one.

Robertson (2017) found the Korean ministry's accounts all in Korean and "the English equivalents ...
severely limited in content depth and frequency". Per account, the language-reach dimension compares an
account's audience-language posts with its own home-language posts; this compares accounts, as he did:

* the ministry-level accounts are those without a host country (the ministry, its leader, its
  spokesperson); each one's main language is the language of most of its authored posts;
* the home-language account is the ministry-level account written mainly in a home language (the
  busiest, if there are several); every other ministry-level account is a foreign-language account;
* cadence ratio = the foreign account's posts per week / the home account's (messages per week of the
  days with data, as `posts_per_week`); depth ratio = its median length in words / the home account's
  (`depth.words_of`, fair across scripts);
* a ratio below SEVERE (one half) is "severely limited", in Robertson's words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from babel import Locale

from audit.scoring.metrics.cadence import posts_per_week
from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.language import language_counts
from audit.scoring.metrics.measures import AccountData
from audit.scoring.metrics.points import found, query

SEVERE = 0.5
DEFINITION = (
    "Each ministry-level account written mainly in a foreign language, against the ministry-level account "
    "written mainly in a home language: its posts per week and its median post length in words, as ratios "
    f"of the home account's; below {SEVERE:g} is severely limited (Robertson 2017: the English equivalents "
    "were \"severely limited in content depth and frequency\")."
)


query("median_words", {"median": pl.col(WORDS).median()})


def language_profile(data: AccountData) -> dict[str, Any]:
    """What the ministry comparison needs of one account: its main language and whether it is a home
    language, its posts per week and its median post length in words."""
    ranked = [(lang, n) for lang, n in language_counts(data) if lang is not None and lang != "und"]
    if not ranked:
        return {"main_language": None, "main_share": None, "home": False, "posts_per_week": None,
                "median_words": None}
    main, count = ranked[0]
    return {"main_language": main, "main_share": round(count / data.n, 4),
            "home": main in data.audience.home_languages, "posts_per_week": posts_per_week(data).value,
            "median_words": float(found(data, "median_words")["median"] or 0.0)}


def ministry_parity(accounts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Each foreign-language ministry-level account's cadence and depth against the home-language one's."""
    ministry = [a for a in accounts if a.get("host_country") is None and _profile(a).get("main_language")]
    home = [a for a in ministry if _profile(a)["home"]]
    foreign = [a for a in ministry if not _profile(a)["home"]]
    base = max(home, key=lambda a: _profile(a).get("posts_per_week") or 0.0) if home else None
    reason = (None if base and foreign else
              "no ministry-level account is written mainly in a home language" if not base else
              "no ministry-level account is written mainly in a foreign language")
    return {"definition": DEFINITION, "threshold": SEVERE, "home_account": base["id"] if base else None,
            "home_language": _profile(base)["main_language"] if base else None,
            "accounts": [_compare(a, base) for a in foreign] if base else [], "not_measured": reason}


def _profile(account: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (account or {}).get("language_profile") or {}


def _ratio(value: Any, base: Any) -> float | None:
    numbers = isinstance(value, (int, float)) and isinstance(base, (int, float))
    return round(value / base, 4) if numbers and base else None


def _compare(account: Mapping[str, Any], base: Mapping[str, Any]) -> dict[str, Any]:
    mine, theirs = _profile(account), _profile(base)
    cadence = _ratio(mine.get("posts_per_week"), theirs.get("posts_per_week"))
    depth = _ratio(mine.get("median_words"), theirs.get("median_words"))
    limited = [what for what, ratio in (("content depth", depth), ("frequency", cadence))
               if ratio is not None and ratio < SEVERE]
    return {"id": account["id"], "language": mine["main_language"], "cadence_ratio": cadence, "depth_ratio": depth,
            "severely_limited": limited, "finding": _sentence(account, base, cadence, depth, limited)}


def _sentence(account: Mapping[str, Any], base: Mapping[str, Any], cadence: float | None, depth: float | None,
              limited: list[str]) -> str:
    """Robertson's sentence when the account falls short, a plain one when it keeps pace."""
    lang, home = _name(_profile(account)["main_language"]), _name(_profile(base)["main_language"])
    who = f"The {lang} account ({account.get('name') or account['id']})"
    numbers = (f"{_times(cadence)} the {home} account's posts a week and {_times(depth)} its median length in "
               f"words ({base.get('name') or base['id']})")
    if limited:
        return f"{who} is severely limited in {' and '.join(limited)}: {numbers}."
    return f"{who} keeps pace with the {home} account: {numbers}."


def _times(ratio: float | None) -> str:
    return f"{ratio:.2f}×" if ratio is not None else "n/a ×"


def _name(code: str) -> str:
    return str(Locale("en").languages.get(code, code))
