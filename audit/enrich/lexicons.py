"""The rubric's lexicons matched in posts, and what the signals read of the cleaned text, for every account
of an audit at once (the per-account signals in :mod:`audit.enrich.signals` take these columns).

Lexicons that decide what a post is (consular service, nationals, community, meetings, administration,
home affairs) match only in the post's own language; posts whose language could not be told (`und`) are
matched against every language's terms, since they carry no other evidence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType

import polars as pl

from audit.enrich.keywords import keyword_candidates, keyword_mask, language_keyword_mask, prepare_for_matching
from audit.enrich.lidmodel import worker_count
from audit.enrich.messages import REPEAT_COLUMN, templated_repeats
from audit.enrich.text import nfkc_may_change, on_every_core, scattered

OWN_LANGUAGE_KINDS = ("consular", "nationals", "community", "meeting", "administration", "domestic")
"""Lexicons matched only in the post's own language; their columns are `<kind>_term`."""
Table = Mapping[str, tuple[str, ...]]
LETTERS_COLUMN = "_letters"
LEXICON_PREFIX = "_lexicon_"
"""Lexicon columns the audit matched for every account at once (`all_lexicon_masks`), taken by `add_signals`."""
PREPARED_COLUMN = "_prepared"
"""The posts' text as `prepare_for_matching` makes it: the language stage adds it (made while the worker
processes detect languages) and `all_lexicon_masks` takes and drops it."""
CANDIDATES_COLUMN = "_lexicon_rows"
"""The rows worth matching (`keyword_candidates`): the language stage adds it with the lexicons that need no
language when given the rubric's terms (`language_free_columns`); `all_lexicon_masks` takes and drops it."""
OWN_ROWS_PREFIX = CANDIDATES_COLUMN + "_"
"""Per own-language lexicon (`OWN_ROWS_PREFIX` + kind): the rows that hold one of its literals in any language
(`own_language_rows`), found with `CANDIDATES_COLUMN`; `all_lexicon_masks` takes and drops them."""


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


def all_lexicon_masks(posts: pl.DataFrame, lang: pl.Series, lexicons: SignalTerms) -> pl.DataFrame:
    """The posts with the lexicon columns of every account matched in one pass (`LEXICON_PREFIX` + name), for
    `add_signals`.

    Why once: each pass compiles the lexicons' patterns, a few milliseconds whatever the rows, so matching
    200 embassies one by one cost 200 times that (issue 13). `lang` is each post's language as its own
    account reads it (Malay and Indonesian merged for an audience reading one of them, `merge_ms_id`).
    The text prepared for matching is `PREPARED_COLUMN` where the language stage made it (it is dropped).
    The rows worth matching and the lexicons that need no language are `CANDIDATES_COLUMN` and their columns
    where the language stage made them (`language_free_columns`): only the own-language ones are left."""
    prepared = (posts.get_column(PREPARED_COLUMN) if PREPARED_COLUMN in posts.columns
                else prepared_text(posts.get_column("text"), worker_count()))
    own_rows = [OWN_ROWS_PREFIX + kind for kind in OWN_LANGUAGE_KINDS]
    if CANDIDATES_COLUMN in posts.columns:
        rows = {kind: posts.get_column(column).arg_true() for kind, column in zip(OWN_LANGUAGE_KINDS, own_rows,
                                                                                   strict=True)}
        masks = own_language_masks(prepared, lang, rows, lexicons)
    else:
        masks = lexicon_masks(prepared, lang, lexicons)
    kept = posts.drop(PREPARED_COLUMN, CANDIDATES_COLUMN, *own_rows, strict=False)
    return kept.with_columns(m.alias(LEXICON_PREFIX + m.name) for m in masks)


def language_free_columns(prepared: pl.Series, lexicons: SignalTerms) -> list[pl.Series]:
    """`CANDIDATES_COLUMN` and the lexicon columns that need no language (`LEXICON_PREFIX` + name), which the
    language stage makes while the worker processes detect languages (about 0.6 CPU s per 200,000 posts
    that would otherwise wait for them)."""
    rows = keyword_candidates(prepared, lexicons.every_term())
    masks = language_free_masks(prepared, rows, lexicons)
    own = own_language_rows(prepared, rows, lexicons)
    return [_marked(prepared.len(), rows).alias(CANDIDATES_COLUMN), *(m.alias(LEXICON_PREFIX + m.name) for m in masks),
            *(_marked(prepared.len(), at).alias(OWN_ROWS_PREFIX + kind) for kind, at in own.items())]


def prepared_text(text: pl.Series, cores: int) -> pl.Series:
    """`prepare_for_matching` of a text column, on every core (`on_every_core`)."""
    nfkc_may_change()  # made once here, not once in each thread that asks for it first
    return pl.concat(on_every_core(prepare_for_matching, text, cores), rechunk=True).alias(PREPARED_COLUMN)


def text_facts(posts: pl.DataFrame, cleaned: pl.Series, letters: pl.Series) -> list[pl.Series]:
    """What the signals read of the cleaned text, made once for every account of the audit: its letters
    (`letter_count`, made once for detection and the signals) and templated repeats (columns
    `LETTERS_COLUMN`, `REPEAT_COLUMN`, which `add_signals` takes and drops).

    Why not keep the cleaned text itself: a string column as large as the text (35 MB per 200,000 posts)
    would be held through scoring; these are 5 bytes a post. Cleaning the text once instead of three
    times (detection, letters, templates) saves about 0.9 CPU s per 200,000 posts (issue 13)."""
    return [letters.alias(LETTERS_COLUMN), templated_repeats(posts, cleaned).alias(REPEAT_COLUMN)]


def lexicon_masks(prepared: pl.Series, lang: pl.Series, lexicons: SignalTerms) -> list[pl.Series]:
    """The lexicon columns (participation ... `<kind>_term`), matched only on rows that hold a term.

    One literal scan of the whole text column serves every lexicon: few posts hold any term, and
    each lexicon's own scan and regex then run on those rows only, not once per lexicon and language
    over all posts.
    """
    rows = keyword_candidates(prepared, lexicons.every_term())
    own = own_language_rows(prepared, rows, lexicons)
    return [*language_free_masks(prepared, rows, lexicons), *own_language_masks(prepared, lang, own, lexicons)]


def language_free_masks(prepared: pl.Series, rows: pl.Series, lexicons: SignalTerms) -> list[pl.Series]:
    """The lexicons matched in any language (participation, rebuttal, crisis_term, cultural_asset), on the
    candidate `rows` only (`keyword_candidates`)."""
    flat = {"participation": lexicons.participation, "rebuttal": lexicons.rebuttal,
            "crisis_term": lexicons.crisis, "cultural_asset": lexicons.cultural}
    texts = prepared.gather(rows)
    with ThreadPoolExecutor(max_workers=worker_count()) as threads:  # polars lets go of the GIL: every core
        found = list(threads.map(lambda terms: keyword_mask(texts, terms), flat.values()))
    return [scattered(prepared.len(), rows, mask).alias(name) for name, mask in zip(flat, found, strict=True)]


def own_language_rows(prepared: pl.Series, rows: pl.Series, lexicons: SignalTerms) -> dict[str, pl.Series]:
    """Of the candidate `rows`, those that hold a literal of each own-language lexicon in any language: every
    row its own-language pass can match is among them (the pass looks for the literals of the row's language
    first), and they need no language, so the stage finds them while the workers detect (`OWN_ROWS_PREFIX`)
    and the passes after detection read a fraction of the rows (issue 13)."""
    texts = prepared.gather(rows)

    def holding(kind: str) -> pl.Series:
        return rows.gather(keyword_candidates(texts, _every_language(lexicons.by_language.get(kind, {}))))
    with ThreadPoolExecutor(max_workers=worker_count()) as threads:
        return dict(zip(OWN_LANGUAGE_KINDS, threads.map(holding, OWN_LANGUAGE_KINDS), strict=True))


def own_language_masks(prepared: pl.Series, lang: pl.Series, rows: Mapping[str, pl.Series],
                       lexicons: SignalTerms) -> list[pl.Series]:
    """The `<kind>_term` lexicons, each matched in the post's own language (`own_language_mask`), on the rows
    of `own_language_rows` only."""
    def matched(kind: str) -> pl.Series:
        at = rows[kind]
        found = own_language_mask(prepared.gather(at), lang.gather(at), lexicons.by_language.get(kind, {}))
        return scattered(prepared.len(), at, found).alias(f"{kind}_term")
    with ThreadPoolExecutor(max_workers=worker_count()) as threads:
        return list(threads.map(matched, OWN_LANGUAGE_KINDS))


def _marked(height: int, rows: pl.Series) -> pl.Series:
    """A column of `height` values, True at `rows`."""
    return scattered(height, rows, pl.repeat(True, rows.len(), dtype=pl.Boolean, eager=True))


def own_language_mask(prepared: pl.Series, lang: pl.Series, table: Table) -> pl.Series:
    """Rows whose text holds a term of their own language (`und` rows: a term of any language).

    One pass for all languages (`language_keyword_mask`), not one per language: the cost of a
    pass, not of the rows, is what counts on an embassy's few thousand posts.
    """
    return language_keyword_mask(prepared, lang.fill_null("und"), {**table, "und": _every_language(table)})


def _every_language(table: Table) -> tuple[str, ...]:
    """The terms of every language of a lexicon: those an `und` post is matched against."""
    return tuple(sorted({t for terms in table.values() for t in terms}))
