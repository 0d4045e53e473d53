"""Language reach: whether posts are in the languages of the public the account exists for (Robertson 2017)."""


from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import polars as pl

from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.measures import AccountData, Measure, first_texts, language_list, not_measured
from audit.scoring.metrics.points import counted, found, query, ranked, share, share_aggregates

_AUDIENCE, _HOME = pl.col("audience_language"), pl.col("home_language")
_FOREIGN_SIDE, _HOME_SIDE = _AUDIENCE & ~_HOME, _HOME & ~_AUDIENCE
"""The two sides parity compares: posts in an audience language that is not a home language, and posts
in a home language the audience does not read."""
_CHARS = pl.col("text").str.len_chars()

query("languages", {"counts": counted("lang")})
query("audience_language_share", share_aggregates(_AUDIENCE, ~_AUDIENCE))
query("home_language_share", share_aggregates(_HOME_SIDE))
query("sides", {"foreign": _FOREIGN_SIDE.sum(), "home": _HOME_SIDE.sum()})
query("media", {"foreign": (pl.col("media_count") > 0).filter(_FOREIGN_SIDE).mean(),
                "home": (pl.col("media_count") > 0).filter(_HOME_SIDE).mean()})
query("lengths", {"foreign": pl.col(WORDS).filter(_FOREIGN_SIDE).median(),
                  "home": pl.col(WORDS).filter(_HOME_SIDE).median(),
                  "foreign_chars": _CHARS.filter(_FOREIGN_SIDE).median(),
                  "home_chars": _CHARS.filter(_HOME_SIDE).median(), "ids": first_texts(_FOREIGN_SIDE)})


def language_counts(data: AccountData) -> list[tuple[Any, int]]:
    """Each detected language with its number of authored posts, most first (then by code)."""
    return ranked(found(data, "languages")["counts"], "lang", by_count=True)


def language_shares(data: AccountData) -> Measure:
    """Detected language of each authored post -> fraction of those posts (`und` a key of its own)."""
    if data.n == 0:
        return not_measured("no authored posts in the period")
    return Measure({lang: n / data.n for lang, n in language_counts(data)})


def audience_language_share(data: AccountData) -> Measure:
    m = share(data, "audience_language_share")
    m.details["audience_languages"] = language_list(list(data.audience.languages))
    return m


def _best(shares: Mapping[str, float]) -> str | None:
    best = max(shares, key=lambda lang: shares[lang], default=None)
    return best if best is not None and shares[best] > 0 else None


@cache
def _reach_aggregates(languages: tuple[tuple[str, float], ...], messages: bool) -> dict[str, pl.Expr]:
    """Each message's best reach (once, at its first post) and the number of messages, for an audience."""
    shares = dict(languages)
    relative = {lang: share / shares[_best(shares) or ""] for lang, share in shares.items()}
    message = pl.col("message_id") if messages else pl.col("post_id")
    reach = pl.col("lang").replace_strict(relative, default=0.0, return_dtype=pl.Float64)
    return {"mean": reach.max().over(message).filter(message.is_first_distinct()).mean(),
            "messages": message.n_unique()}


def _reach_query(data: AccountData) -> dict[str, pl.Expr]:
    if _best(data.audience.languages) is None:
        return {}
    return _reach_aggregates(tuple(data.audience.languages.items()), "message_id" in data.authored.columns)


query("audience_reach", _reach_query)


def audience_reach(data: AccountData) -> Measure:
    """Mean, over messages, of the reach of the best-read language each message is posted in, over the
    best reach attainable: that of the audience's most-read language (CLDR shares).

    CLDR gives each language's share of a country's population, not the union of several, so the
    best a message can do is reach the readers of the audience's most-read language: a message in it,
    or in every audience language, scores full reach. Indonesian's CLDR share of 64% is therefore
    100% of the reach attainable in Indonesia, and a statement translated into all six UN languages
    reaches as far as the global audience can be reached. A message is its translations together
    (AccountData's `message_id`), so adding a language to a message never lowers reach.
    """
    if data.n == 0:
        return not_measured("no authored posts in the period")
    shares = dict(data.audience.languages)
    best = _best(shares)
    if best is None:
        return not_measured("the audience's languages have no known reach (CLDR gives no population share)")
    got = found(data, "audience_reach")
    details = {"audience_languages": language_list(list(data.audience.languages)), "best_language": best,
               "best_share": shares[best], "messages": got["messages"]}
    return Measure(float(got["mean"] or 0.0), details=details)


def home_language_share(data: AccountData) -> Measure:
    m = share(data, "home_language_share")
    m.details["home_languages"] = language_list(list(data.audience.home_languages))
    return m


def languages_used(data: AccountData) -> Measure:
    if data.n == 0:
        return not_measured("no authored posts in the period")
    langs = sorted({lang for lang, _ in language_counts(data) if lang is not None and lang != "und"})
    return Measure(float(len(langs)), details={"languages": language_list(langs)})


def _one_sided(data: AccountData) -> Measure | None:
    sides = found(data, "sides")
    if not sides["foreign"] or not sides["home"]:
        return not_measured("needs both audience-language and home-language posts to compare")
    return None


def depth_parity_length(data: AccountData) -> Measure:
    """Median length in words of audience-language posts over that of home-language posts (words_of:
    words where scripts put spaces between them, characters over a per-script factor where they do not)."""
    if missing := _one_sided(data):
        return missing
    got = found(data, "lengths")
    a, h = float(got["foreign"] or 0.0), float(got["home"] or 0.0)
    if not h:
        return not_measured("home-language posts have no text")
    details = {"audience_median_words": a, "home_median_words": h,  # the characters too, for older rubrics
               "audience_median_chars": float(got["foreign_chars"] or 0.0),
               "home_median_chars": float(got["home_chars"] or 0.0)}
    return Measure(a / h, details=details, evidence=list(got["ids"]))


def depth_parity_media(data: AccountData) -> Measure:
    """Share of audience-language posts with media over the same share of home-language posts."""
    if missing := _one_sided(data):
        return missing
    media = found(data, "media")
    a, h = float(media["foreign"] or 0.0), float(media["home"] or 0.0)
    if h == 0:
        return not_measured("home-language posts carry no media to compare with")
    return Measure(a / h, details={"audience_media_rate": a, "home_media_rate": h})


def cadence_parity(data: AccountData) -> Measure:
    """Audience-language posts per home-language post."""
    sides = found(data, "sides")
    if not sides["home"]:
        return not_measured("no home-language posts to compare with")
    return Measure(sides["foreign"] / sides["home"],
                   details={"audience_posts": sides["foreign"], "home_posts": sides["home"]})
