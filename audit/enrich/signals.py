"""Per-post signals: language facts, two-way acts and the rubric's lexicons, with the label added.

Everything here is a polars expression or one column pass over one account's posts: the label of a
million posts costs a few column passes, not a Python call per post. Who a post is for (its
audience), how it engages (its mode) and the label derived from both are in :mod:`audit.enrich.labels`.

Lexicons that decide what a post is (consular service, nationals, community, meetings,
administration, home affairs) match only in the post's own language: a Japanese 領事 must not
make a Chinese post consular, nor the English "visa" a Malay one. Posts whose language could not be
told (`und`) are matched against every language's terms, since they carry no other evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import polars as pl

from audit.collectors.table import SELF_REPLY
from audit.enrich.audience import Audience
from audit.enrich.keywords import keyword_candidates, keyword_mask, language_keyword_mask, prepare_for_matching
from audit.enrich.labels import add_labels
from audit.enrich.messages import REPEAT_COLUMN, mark_messages, templated_repeats
from audit.enrich.text import clean_for_detection, letter_count

QUESTION_MARKS = ("?", "？", "؟")
LINK = r"(?:https?://|www\.)\S+"
"""A link written in a post, up to the next space."""
OFFICIAL_HANDLE = (
    r"^[A-Z]{2,}(?:[A-Z][a-z]+)?$"  # organisations by acronym: UN, ASEAN, UNICEF, UNGeneva
    r"|(?i:mofa|mfa|fcdo|foreignoffice|kemlu|diplo|embassy|embajada|ambassade|botschaft|minist|statedept|"
    r"gov[_.]|_gov\b)"
)
"""A handle that names a ministry, embassy or organisation. Peers listed in the accounts file are
recognised whatever their handle; this pattern catches the common official spellings besides."""
OWN_LANGUAGE_KINDS = ("consular", "nationals", "community", "meeting", "administration", "domestic")
"""Lexicons matched only in the post's own language; their columns are `<kind>_term`."""
Table = Mapping[str, tuple[str, ...]]
LETTERS_COLUMN = "_letters"
LEXICON_PREFIX = "_lexicon_"
"""Lexicon columns the audit matched for every account at once (`all_lexicon_masks`), taken by `add_signals`."""


@dataclass(frozen=True)
class Addressees:
    """Handles that change what a mention means: the account's own and its siblings' (a mention of
    them points readers elsewhere, it engages nobody) and known peers (the accounts file's list)."""

    own: str | None = None
    siblings: tuple[str, ...] = ()
    peers: tuple[str, ...] = ()

    def ours(self) -> list[str]:
        return sorted({_bare(h) for h in (self.own, *self.siblings) if h})

    def known_peers(self) -> list[str]:
        return sorted({_bare(h) for h in self.peers})


def _bare(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


@dataclass(frozen=True)
class SignalTerms:
    """The rubric's term lists that signals look for: some flattened over languages, some per language."""

    participation: tuple[str, ...] = ()
    rebuttal: tuple[str, ...] = ()
    crisis: tuple[str, ...] = ()
    cultural: tuple[str, ...] = ()
    by_language: Mapping[str, Table] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def consular(self) -> tuple[str, ...]:
        """Consular terms of every language (for callers that match without a language)."""
        return tuple(sorted({t for terms in self.by_language.get("consular", {}).values() for t in terms}))

    def every_term(self) -> tuple[str, ...]:
        """Every term of every lexicon, for the one literal scan that finds the rows worth matching."""
        own = (t for table in self.by_language.values() for terms in table.values() for t in terms)
        return tuple(sorted({*self.participation, *self.rebuttal, *self.crisis, *self.cultural, *own}))

    @classmethod
    def from_tables(cls, tables: Mapping[str, Mapping[str, Sequence[str]]], cultural: Sequence[str]) -> SignalTerms:
        def flat(kind: str) -> tuple[str, ...]:
            return tuple(sorted({t for terms in tables.get(kind, {}).values() for t in terms}))

        own = {kind: _by_primary_tag(tables.get(kind, {})) for kind in OWN_LANGUAGE_KINDS}
        return cls(flat("participation"), flat("rebuttal"), flat("crisis"), tuple(cultural), MappingProxyType(own))


def _by_primary_tag(table: Mapping[str, Sequence[str]]) -> Table:
    """Terms per primary language tag ('zh-Hant' and 'zh' together), as detection reports languages."""
    merged: dict[str, set[str]] = {}
    for lang, terms in table.items():
        merged.setdefault(lang.split("-")[0].lower(), set()).update(terms)
    return MappingProxyType({lang: tuple(sorted(terms)) for lang, terms in merged.items()})


def add_signals(posts: pl.DataFrame, audience: Audience, lexicons: SignalTerms,
                handle: str | Addressees | None) -> pl.DataFrame:
    """Add the audience, two-way and lexicon signals, then audience, mode and label (needs `lang`).

    `letters` and `templated_repeat` are read from the columns of `text_facts` where the audit made them
    for every account from one cleaning of the text, made here otherwise.
    """
    who = handle if isinstance(handle, Addressees) else Addressees(handle)
    matched = [c for c in posts.columns if c.startswith(LEXICON_PREFIX)]
    masks = ([posts[c].alias(c.removeprefix(LEXICON_PREFIX)) for c in matched] if matched
             else lexicon_masks(prepare_for_matching(posts["text"]), posts["lang"], lexicons))
    letters = pl.col(LETTERS_COLUMN) if LETTERS_COLUMN in posts.columns else letter_count(
        clean_for_detection(pl.col("text")))
    df = posts.with_columns(
        pl.col("lang").is_in(list(audience.languages)).alias("audience_language"),
        pl.col("lang").is_in(list(audience.home_languages)).alias("home_language"),
        pl.col("published_at").dt.convert_time_zone(audience.timezone).alias("audience_local_time"),
        _external_mentions(who.ours()).alias("mentions_external"),
        _addresses_peer(who).alias("addresses_peer"),
        *masks,
        ((pl.col("kind") == "reply") & (pl.col("reply_to").fill_null("") != SELF_REPLY)).alias("reply_to_other"),
        _question().alias("question"),
        letters.alias("letters"),
    )
    df = df.with_columns(
        (pl.col("reply_to_other") | pl.col("mentions_external") | pl.col("question") | pl.col("participation"))
        .alias("is_two_way"),
        (pl.col("audience_language") & ~pl.col("home_language")).alias("addresses_foreign"),
    )
    return mark_messages(add_labels(df.drop(matched), audience)).drop(LETTERS_COLUMN, strict=False)


def all_lexicon_masks(posts: pl.DataFrame, lang: pl.Series, lexicons: SignalTerms) -> list[pl.Series]:
    """The lexicon columns of every account's posts in one pass (`LEXICON_PREFIX` + name), for `add_signals`.

    Why once: each pass compiles the lexicons' patterns, a few milliseconds whatever the rows, so matching
    200 embassies one by one cost 200 times that (issue 13). `lang` is each post's language as its own
    account reads it (Malay and Indonesian merged for an audience reading one of them, `merge_ms_id`)."""
    return [m.alias(LEXICON_PREFIX + m.name) for m in lexicon_masks(prepare_for_matching(posts["text"]), lang,
                                                                    lexicons)]


def text_facts(posts: pl.DataFrame, cleaned: pl.Series) -> list[pl.Series]:
    """What the signals read of the cleaned text, made once for every account of the audit: letters and
    templated repeats (columns `LETTERS_COLUMN`, `REPEAT_COLUMN`, which `add_signals` takes and drops).

    Why not keep the cleaned text itself: a string column as large as the text (35 MB per 200,000 posts)
    would be held through scoring; these are 5 bytes a post. Cleaning the text once instead of three
    times (detection, letters, templates) saves about 0.9 CPU s per 200,000 posts (issue 13)."""
    letters = cleaned.to_frame("cleaned").select(letter_count(pl.col("cleaned")))
    return [letters.to_series().alias(LETTERS_COLUMN), templated_repeats(posts, cleaned).alias(REPEAT_COLUMN)]


def lexicon_masks(prepared: pl.Series, lang: pl.Series, lexicons: SignalTerms) -> list[pl.Series]:
    """The lexicon columns (participation ... `<kind>_term`), matched only on rows that hold a term.

    One literal scan of the whole text column serves every lexicon: few posts hold any term, and
    each lexicon's own scan and regex then run on those rows only, not once per lexicon and language
    over all posts.
    """
    flat = {"participation": lexicons.participation, "rebuttal": lexicons.rebuttal,
            "crisis_term": lexicons.crisis, "cultural_asset": lexicons.cultural}
    rows = keyword_candidates(prepared, lexicons.every_term())
    texts, langs = prepared.gather(rows), lang.gather(rows)
    found = {name: keyword_mask(texts, terms) for name, terms in flat.items()}
    found |= {f"{kind}_term": own_language_mask(texts, langs, lexicons.by_language.get(kind, {}))
              for kind in OWN_LANGUAGE_KINDS}
    blank = pl.repeat(False, prepared.len(), dtype=pl.Boolean, eager=True)
    return [blank.scatter(rows, mask).alias(name) for name, mask in found.items()]


def own_language_mask(prepared: pl.Series, lang: pl.Series, table: Table) -> pl.Series:
    """Rows whose text holds a term of their own language (`und` rows: a term of any language).

    One pass for all languages (`language_keyword_mask`), not one per language: the cost of a
    pass, not of the rows, is what counts on an embassy's few thousand posts.
    """
    everything = tuple(sorted({t for terms in table.values() for t in terms}))
    return language_keyword_mask(prepared, lang.fill_null("und"), {**table, "und": everything})


def _external_mentions(ours: list[str]) -> pl.Expr:
    others = pl.col("mentions").list.eval(pl.element().str.to_lowercase().str.strip_chars_start("@"))
    return others.list.set_difference(pl.lit(ours, dtype=pl.List(pl.String))).list.len() > 0


def _addresses_peer(who: Addressees) -> pl.Expr:
    """The post mentions or replies to a peer: a listed one, or a handle that names an institution."""
    handles = pl.concat_list(pl.col("mentions").fill_null([]),
                             pl.col("reply_to").cast(pl.String).fill_null("").str.split(" ").list.head(1))
    bare = handles.list.eval(pl.element().str.strip_chars_start("@")).list.eval(pl.element().filter(
        pl.element().str.len_chars() > 0))
    peer = pl.element().str.to_lowercase().is_in(who.known_peers()) | (
        pl.element().str.contains(OFFICIAL_HANDLE) & ~pl.element().str.to_lowercase().is_in(who.ours()))
    return bare.list.eval(peer).list.any().fill_null(False)


def _question() -> pl.Expr:
    """A question mark in the words of the post: one inside a link (`view.do?seq=12`) asks nothing."""
    words = pl.col("text").str.replace_all(LINK, " ")
    return pl.any_horizontal(words.str.contains(mark, literal=True) for mark in QUESTION_MARKS)
