"""Language reach: whether posts are in the languages of the public the account exists for (Robertson 2017)."""


from __future__ import annotations

import polars as pl

from audit.scoring.metrics.depth import WORDS
from audit.scoring.metrics.measures import (
    AccountData,
    Measure,
    evidence_ids,
    language_list,
    mean_of,
    median_of,
    not_measured,
    share_of,
)


def language_shares(data: AccountData) -> Measure:
    """Detected language of each authored post -> fraction of those posts (`und` a key of its own)."""
    if data.n == 0:
        return not_measured("no authored posts in the period")
    counts = data.authored.group_by("lang").len().sort(["len", "lang"], descending=[True, False])
    return Measure({lang: n / data.n for lang, n in counts.iter_rows()})


def audience_language_share(data: AccountData) -> Measure:
    m = share_of(data, pl.col("audience_language"), ~pl.col("audience_language"))
    m.details["audience_languages"] = language_list(list(data.audience.languages))
    return m


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
    best = max(shares, key=lambda lang: shares[lang], default=None)
    if best is None or shares[best] <= 0:
        return not_measured("the audience's languages have no known reach (CLDR gives no population share)")
    relative = {lang: share / shares[best] for lang, share in shares.items()}
    reach = pl.col("lang").replace_strict(relative, default=0.0, return_dtype=pl.Float64)
    message = pl.col("message_id") if "message_id" in data.authored.columns else pl.col("post_id")
    per_message = data.authored.group_by(message.alias("message")).agg(reach.max().alias("reach"))
    details = {"audience_languages": language_list(list(data.audience.languages)), "best_language": best,
               "best_share": shares[best], "messages": per_message.height}
    return Measure(mean_of(per_message["reach"]), details=details)


def home_language_share(data: AccountData) -> Measure:
    m = share_of(data, pl.col("home_language") & ~pl.col("audience_language"))
    m.details["home_languages"] = language_list(list(data.audience.home_languages))
    return m


def languages_used(data: AccountData) -> Measure:
    if data.n == 0:
        return not_measured("no authored posts in the period")
    langs = sorted(set(data.authored.filter(pl.col("lang") != "und")["lang"].to_list()))
    return Measure(float(len(langs)), details={"languages": language_list(langs)})


def depth_parity_length(data: AccountData) -> Measure:
    """Median length in words of audience-language posts over that of home-language posts (words_of:
    words where scripts put spaces between them, characters over a per-script factor where they do not)."""
    foreign, home = data.sides
    if foreign.is_empty() or home.is_empty():
        return not_measured("needs both audience-language and home-language posts to compare")
    a, h = median_of(foreign[WORDS]), median_of(home[WORDS])
    if not h:
        return not_measured("home-language posts have no text")
    details = {"audience_median_words": a, "home_median_words": h,  # the characters too, for older rubrics
               "audience_median_chars": median_of(foreign["text"].str.len_chars()),
               "home_median_chars": median_of(home["text"].str.len_chars())}
    return Measure(a / h, details=details, evidence=evidence_ids(foreign))


def depth_parity_media(data: AccountData) -> Measure:
    """Share of audience-language posts with media over the same share of home-language posts."""
    foreign, home = data.sides
    if foreign.is_empty() or home.is_empty():
        return not_measured("needs both audience-language and home-language posts to compare")
    a = mean_of(foreign["media_count"] > 0)
    h = mean_of(home["media_count"] > 0)
    if h == 0:
        return not_measured("home-language posts carry no media to compare with")
    return Measure(a / h, details={"audience_media_rate": a, "home_media_rate": h})


def cadence_parity(data: AccountData) -> Measure:
    """Audience-language posts per home-language post."""
    foreign, home = data.sides
    if home.is_empty():
        return not_measured("no home-language posts to compare with")
    return Measure(foreign.height / home.height,
                   details={"audience_posts": foreign.height, "home_posts": home.height})
