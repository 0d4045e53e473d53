"""Per-post signals and the diplomacy/outreach/consular/other label, with the reasons kept.

Everything here is a polars expression over one account's posts: the label of a million posts
costs a few column passes, not a Python call per post. The rules, in order (the first that holds
gives the label, and its reason is kept in `label_reason`):

1. consular:  the text uses consular-service words (visas, passports, registration of nationals);
2. diplomacy: the post is in one of the audience's languages (it addresses the foreign public);
3. diplomacy: a two-way act (a reply to another account, a mention, a question, a call to take
              part) in a language other than the home language;
4. outreach:  the post is in the home language only: one-way, home-audience ("preaching to the
              converted", Robertson 2017);
5. other:     the language could not be told, or is neither the audience's nor the home one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from audit.collectors.table import SELF_REPLY
from audit.enrich.audience import Audience
from audit.enrich.keywords import keyword_mask, prepare_for_matching

QUESTION_MARKS = ("?", "？", "؟")
LINK = r"(?:https?://|www\.)\S+"
"""A link written in a post, up to the next space."""


@dataclass(frozen=True)
class SignalTerms:
    """The rubric's term lists that signals look for, flattened over languages."""

    consular: tuple[str, ...] = ()
    participation: tuple[str, ...] = ()
    rebuttal: tuple[str, ...] = ()
    crisis: tuple[str, ...] = ()
    cultural: tuple[str, ...] = ()

    @classmethod
    def from_tables(cls, tables: Mapping[str, Mapping[str, Sequence[str]]], cultural: Sequence[str]) -> SignalTerms:
        def flat(kind: str) -> tuple[str, ...]:
            return tuple(sorted({t for terms in tables.get(kind, {}).values() for t in terms}))

        return cls(flat("consular"), flat("participation"), flat("rebuttal"), flat("crisis"), tuple(cultural))


def add_signals(posts: pl.DataFrame, audience: Audience, lexicons: SignalTerms, handle: str | None) -> pl.DataFrame:
    """Add the audience, two-way and lexicon signals and the label to one account's posts (needs `lang`)."""
    own = (handle or "").lstrip("@").lower()
    prepared = prepare_for_matching(posts["text"])
    df = posts.with_columns(
        pl.col("lang").is_in(list(audience.languages)).alias("audience_language"),
        pl.col("lang").is_in(list(audience.home_languages)).alias("home_language"),
        pl.col("published_at").dt.convert_time_zone(audience.timezone).alias("audience_local_time"),
        _external_mentions(own).alias("mentions_external"),
        keyword_mask(prepared, lexicons.participation).alias("participation"),
        keyword_mask(prepared, lexicons.rebuttal).alias("rebuttal"),
        keyword_mask(prepared, lexicons.crisis).alias("crisis_term"),
        keyword_mask(prepared, lexicons.cultural).alias("cultural_asset"),
        keyword_mask(prepared, lexicons.consular).alias("consular_term"),
        ((pl.col("kind") == "reply") & (pl.col("reply_to").fill_null("") != SELF_REPLY)).alias("reply_to_other"),
    )
    df = df.with_columns(
        (pl.col("reply_to_other") | pl.col("mentions_external") | _question() | pl.col("participation"))
        .alias("is_two_way"),
        (pl.col("audience_language") & ~pl.col("home_language")).alias("addresses_foreign"),
    )
    return df.with_columns(_label().alias("label"), _label_reason().alias("label_reason"))


def _external_mentions(own: str) -> pl.Expr:
    others = pl.col("mentions").list.eval(pl.element().str.to_lowercase().str.strip_chars_start("@"))
    return others.list.set_difference(pl.lit([own], dtype=pl.List(pl.String))).list.len() > 0


def _question() -> pl.Expr:
    """A question mark in the words of the post: one inside a link (`view.do?seq=12`) asks nothing."""
    words = pl.col("text").str.replace_all(LINK, " ")
    return pl.any_horizontal(words.str.contains(mark, literal=True) for mark in QUESTION_MARKS)


def _two_way_foreign() -> pl.Expr:
    return pl.col("is_two_way") & ~pl.col("home_language") & (pl.col("lang") != "und")


def _label() -> pl.Expr:
    return (
        pl.when(pl.col("consular_term")).then(pl.lit("consular"))
        .when(pl.col("audience_language")).then(pl.lit("diplomacy"))
        .when(_two_way_foreign()).then(pl.lit("diplomacy"))
        .when(pl.col("home_language")).then(pl.lit("outreach"))
        .otherwise(pl.lit("other"))
    )


def _label_reason() -> pl.Expr:
    return (
        pl.when(pl.col("consular_term")).then(pl.lit("consular-service terms"))
        .when(pl.col("audience_language")).then(pl.format("in the audience's language ({})", pl.col("lang")))
        .when(_two_way_foreign()).then(pl.format("two-way act in {}", pl.col("lang")))
        .when(pl.col("home_language")).then(pl.format("one-way, in the home language ({})", pl.col("lang")))
        .when(pl.col("lang") == "und").then(pl.lit("language could not be detected"))
        .otherwise(pl.format("in {}, neither an audience nor a home language", pl.col("lang")))
    )
