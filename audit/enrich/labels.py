"""Who a post is for (its audience), how it engages (its mode), and the label derived from both.

Two facts are kept apart (DESIGN.md, "The canonical posts table"), each with the evidence that decided it:

* **audience**: host_public, global_public, home_public, nationals_abroad or peers. Language is
  evidence of the audience, not its definition. A language only the home public reads (Korean for
  Korea) addresses the home public, or, on an embassy, the nationals living there; a foreign language
  addresses the host public (embassies) or the global public (ministries and missions). A home
  language that is also a world language (English for the UK, Arabic for Saudi Arabia) cannot tell,
  so the subject decides: home affairs (parliament, voters, jobs at home) are for the home public,
  anything else for the foreign public. Words that address nationals abroad (재외국민, "nationals"),
  written in a home language, make them the audience; replies to and thanks of other accounts in
  a foreign language address peers.
* **mode**: two_way for a reply to another account, a mention, a question outside links or a call to
  take part; the account's own administration (a vacancy, a closure) is one-way even when it says
  "apply".

The **label** follows (fixtures/eval/CODEBOOK.md gives the same rules for hand coding): a post with no
words, or about the account's own administration, is `other`; a consular service (visas, passports,
travel advice) is `consular` whoever it is for, unless the post is a readout of talks about it;
nationals abroad get `consular` service or `outreach` (community life); a foreign audience makes it
`diplomacy` (public diplomacy addresses a foreign public), the home public `outreach` (Robertson's
"preaching to the converted").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from audit.enrich.audience import Audience

FOREIGN_AUDIENCES = ("host_public", "global_public", "peers")


@dataclass(frozen=True)
class Readers:
    """What decides a post's audience besides the post itself, as expressions: literals from one account's
    audience (`readers_of`), or columns looked up by `account_id` when every account is labelled in one pass
    (`signals.add_signals_all`), so that both go through the same rules."""

    audience_language: pl.Expr
    home_language: pl.Expr
    world_home: pl.Expr
    """A home language the rubric's global audience also reads (English for the UK)."""
    host: pl.Expr
    """The account has a host country (an embassy's public)."""
    default: pl.Expr
    """Whom a post with no evidence is for (`default_audience`)."""
    local_time: pl.Expr


def readers_of(audience: Audience, main: str | None) -> Readers:
    """One account's readers; `main` is the language most of its posts are in (`main_language`)."""
    lang, home = pl.col("lang"), list(audience.home_languages)
    return Readers(lang.is_in(list(audience.languages)), lang.is_in(home), lang.is_in(world_home(audience)),
                   pl.lit(audience.host_country is not None), pl.lit(default_audience(audience, main)),
                   pl.col("published_at").dt.convert_time_zone(audience.timezone))


def world_home(audience: Audience) -> list[str]:
    return [lang for lang in audience.home_languages if lang in audience.world_languages]


def add_labels(df: pl.DataFrame, readers: Readers) -> pl.DataFrame:
    """Add `audience`, `audience_reason`, `mode`, `label` and `label_reason` to signalled posts."""
    df = df.with_columns(
        (pl.col("home_language") & ~readers.world_home).alias("_local_home"),
        readers.world_home.alias("_world_home"),
        readers.host.alias("_host"),
        readers.default.alias("_default"),
        _mode().alias("mode"),
    )
    df = df.with_columns(*_audience())
    return df.with_columns(*_label()).drop("_local_home", "_world_home", "_host", "_default")


def main_language(langs: pl.Series) -> str | None:
    """The language most of an account's posts are in (`und` left out; the first in order on a tie)."""
    known = langs.filter(langs != "und")
    return known.mode().sort().first() if known.len() else None  # type: ignore[return-value]


def default_audience(audience: Audience, main: str | None) -> str:
    """Whom a post with no evidence is for: an embassy's host public; for a ministry, the public its
    main language reaches (the home public for a home-language-only account, else the world)."""
    if audience.host_country is not None:
        return "host_public"
    return "home_public" if main in audience.home_languages and main not in world_home(audience) else "global_public"


def _mode() -> pl.Expr:
    administration = pl.col("administration_term") & ~pl.col("reply_to_other")
    return pl.when(pl.col("is_two_way") & ~administration).then(pl.lit("two_way")).otherwise(pl.lit("one_way"))


def _audience() -> tuple[pl.Expr, pl.Expr]:
    """The audience and the evidence that decided it; the first rule that holds wins."""
    home_lang = pl.col("_local_home") | pl.col("_world_home")
    host, default = pl.col("_host"), pl.col("_default")
    foreign_public = pl.when(host).then(pl.lit("host_public")).otherwise(pl.lit("global_public"))
    rules: list[tuple[pl.Expr, pl.Expr, pl.Expr]] = [
        (pl.col("letters") == 0, default, pl.lit("no words: the account's usual audience")),
        (pl.col("_local_home") & pl.col("meeting_term"), pl.lit("home_public"),
         pl.format("readout in {}, a language only the home public reads", pl.col("lang"))),
        (home_lang & pl.col("nationals_term"), pl.lit("nationals_abroad"),
         pl.format("addresses nationals abroad in {}", pl.col("lang"))),
        (pl.col("addresses_peer") & ~pl.col("_local_home"), pl.lit("peers"),
         pl.lit("replies to or tags a government, diplomat or organisation")),
        (pl.col("_local_home"), pl.when(host).then(pl.lit("nationals_abroad")).otherwise(pl.lit("home_public")),
         pl.format("in {}, a language only the home public reads", pl.col("lang"))),
        (pl.col("_world_home") & pl.col("consular_term") & ~pl.col("meeting_term"), pl.lit("nationals_abroad"),
         pl.format("consular advice in {}, the home language", pl.col("lang"))),
        (pl.col("_world_home") & pl.col("domestic_term"), pl.lit("home_public"),
         pl.format("home affairs in {}, a home language the world also reads", pl.col("lang"))),
        (pl.col("lang") != "und", foreign_public,
         pl.format("in {} on an account for the {}", pl.col("lang"), foreign_public.str.replace_all("_", " "))),
    ]
    undetected = pl.format("language not detected: the account's usual audience ({})",
                           default.str.replace_all("_", " "))
    return (first_rule([(c, name) for c, name, _ in rules], default).alias("audience"),
            first_rule([(c, why) for c, _, why in rules], undetected).alias("audience_reason"))


def _label() -> tuple[pl.Expr, pl.Expr]:
    """The label from audience and content, and its reason (the audience's, or the content's)."""
    service = pl.col("consular_term") & ~pl.col("meeting_term")
    community = pl.col("community_term") | pl.col("meeting_term") | pl.col("reply_to_other")
    audience = pl.col("audience")
    rules: list[tuple[pl.Expr, str, pl.Expr]] = [
        (pl.col("letters") == 0, "other", pl.lit("no words to read (a bare link, flags or emoji)")),
        (pl.col("administration_term") & ~service, "other",
         pl.lit("the account's own administration (vacancy, closure, maintenance, housekeeping)")),
        (service, "consular", pl.format("a consular service, for the {}", audience.str.replace("_", " "))),
        ((audience == "nationals_abroad") & community, "outreach", pl.lit("community life of nationals abroad")),
        (audience == "nationals_abroad", "consular", pl.lit("an instruction or notice to nationals abroad")),
        (audience.is_in(FOREIGN_AUDIENCES), "diplomacy",
         pl.format("addressed to a foreign public ({})", pl.col("audience_reason"))),
    ]
    home = pl.format("addressed to the home public ({})", pl.col("audience_reason"))
    return (first_rule([(c, pl.lit(name)) for c, name, _ in rules], pl.lit("outreach")).alias("label"),
            first_rule([(c, why) for c, _, why in rules], home).alias("label_reason"))


def first_rule(rules: list[tuple[pl.Expr, pl.Expr]], otherwise: pl.Expr) -> pl.Expr:
    """The value of the first rule whose condition holds, else `otherwise`: one when/then chain."""
    chain: Any = pl
    for condition, value in rules:
        chain = chain.when(condition).then(value)
    result: pl.Expr = chain.otherwise(otherwise)
    return result
