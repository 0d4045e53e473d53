"""Per-post signals of one account: language facts, two-way acts and the rubric's lexicons, with the label added.

Everything here is a polars expression or one column pass over one account's posts, or over every
account's at once (`add_signals_all`: what differs between accounts, their audiences, looked up by
`account_id`): the label of a million posts costs a few column passes, not a Python call per post.
Who a post is for (its audience), how it engages (its mode) and the label derived from both are in
:mod:`audit.enrich.labels`.

Lexicons that decide what a post is (consular service, nationals, community, meetings,
administration, home affairs) match only in the post's own language: a Japanese 領事 must not
make a Chinese post consular, nor the English "visa" a Malay one. Posts whose language could not be
told (`und`) are matched against every language's terms, since they carry no other evidence; the
lexicons themselves are matched for every account at once in :mod:`audit.enrich.lexicons`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from audit.collectors.table import SELF_REPLY
from audit.enrich.audience import Audience
from audit.enrich.keywords import prepare_for_matching
from audit.enrich.labels import Readers, add_labels, default_audience, main_language, readers_of, world_home
from audit.enrich.lexicons import LETTERS_COLUMN, LEXICON_PREFIX, SignalTerms, lexicon_masks
from audit.enrich.messages import mark_messages
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


def add_signals(posts: pl.DataFrame, audience: Audience, lexicons: SignalTerms,
                handle: str | Addressees | None) -> pl.DataFrame:
    """Add the audience, two-way and lexicon signals, then audience, mode and label (needs `lang`).

    `letters` and `templated_repeat` are read from the columns of `text_facts` where the audit made them
    for every account from one cleaning of the text, made here otherwise.
    """
    who = handle if isinstance(handle, Addressees) else Addressees(handle)
    return _signalled(posts, readers_of(audience, main_language(posts["lang"])), lexicons, who)


def add_signals_all(posts: pl.DataFrame, audiences: Mapping[str, Audience], lexicons: SignalTerms,
                    who: Addressees) -> pl.DataFrame:
    """`add_signals` of every account's posts in one pass, each post read with its own account's audience
    (`audiences` by account id; `who` must be what every account's `Addressees` gives: the audit's own and
    sibling handles are the same set for all of them). A column holds one time zone, so
    `audience_local_time` is left in UTC here: `local_time` converts one account's."""
    key = pl.concat_str("account_id", "lang", separator="\x1f")

    def member(langs: Callable[[Audience], Iterable[str]]) -> pl.Expr:
        pairs = [f"{account}\x1f{lang}" for account, audience in audiences.items() for lang in langs(audience)]
        return key.is_in(pl.Series(pairs, dtype=pl.String)).fill_null(False)

    mains = _main_languages(posts)
    defaults = {a: default_audience(audience, mains.get(a)) for a, audience in audiences.items()}
    hosted = pl.Series([a for a, audience in audiences.items() if audience.host_country is not None], dtype=pl.String)
    readers = Readers(member(lambda a: a.languages), member(lambda a: a.home_languages), member(world_home),
                      pl.col("account_id").is_in(hosted),
                      pl.col("account_id").replace_strict(defaults, default=None, return_dtype=pl.String),
                      pl.col("published_at"))
    return _signalled(posts, readers, lexicons, who)


LOCAL = "audience_local_time"


def local_time(audience: Audience) -> pl.Expr:
    """`audience_local_time` of one account's posts signalled by `add_signals_all` (replaces the UTC one)."""
    return pl.col("published_at").dt.convert_time_zone(audience.timezone).alias(LOCAL)


def with_local_time(posts: pl.DataFrame, audience: Audience) -> pl.DataFrame:
    """`posts` with `local_time`'s column, made without a query (issue 13: one an account waited for polars'
    threads): the same instants cast to the audience's zone."""
    published = posts["published_at"]
    if LOCAL not in posts.columns or not isinstance(published.dtype, pl.Datetime):
        return posts.with_columns(local_time(audience))
    local = published.cast(pl.Datetime(published.dtype.time_unit, audience.timezone)).alias(LOCAL)
    changed = posts.clone()  # a new frame sharing the columns: the caller's is left as it is
    changed.replace_column(posts.get_column_index(LOCAL), local)
    return changed


def _main_languages(posts: pl.DataFrame) -> dict[str, str]:
    """`main_language` of every account at once: most posts, the first language in order on a tie."""
    counts = posts.filter(pl.col("lang") != "und").group_by("account_id", "lang").len()
    firsts = counts.sort(["account_id", "len", "lang"], descending=[False, True, False]).unique(
        "account_id", keep="first")
    return dict(zip(firsts["account_id"], firsts["lang"], strict=True))


def _signalled(posts: pl.DataFrame, readers: Readers, lexicons: SignalTerms, who: Addressees) -> pl.DataFrame:
    """The signals and labels of `add_signals`, with what differs between accounts given by `readers`."""
    matched = [c for c in posts.columns if c.startswith(LEXICON_PREFIX)]
    masks = ([posts[c].alias(c.removeprefix(LEXICON_PREFIX)) for c in matched] if matched
             else lexicon_masks(prepare_for_matching(posts["text"]), posts["lang"], lexicons))
    letters = pl.col(LETTERS_COLUMN) if LETTERS_COLUMN in posts.columns else letter_count(
        clean_for_detection(pl.col("text")))
    df = posts.with_columns(
        readers.audience_language.alias("audience_language"),
        readers.home_language.alias("home_language"),
        readers.local_time.alias("audience_local_time"),
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
    return mark_messages(add_labels(df.drop(matched), readers)).drop(LETTERS_COLUMN, strict=False)


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
