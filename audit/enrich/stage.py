"""The language stage of the audit: every post's language, and what the signals read of its cleaned text.

One function so that the whole stage - cleaning, detection on every core, the declared-language rules and
the text facts - can be arranged (and overlapped) in one place without the scorer knowing how.
"""

from __future__ import annotations

import polars as pl

from audit.enrich.langid import TRUST_DECLARED_BELOW, detecting, model_inputs
from audit.enrich.lexicons import SignalTerms, language_free_columns, prepared_text, text_facts
from audit.enrich.lidmodel import worker_count
from audit.enrich.text import clean_for_detection, letter_count, on_every_core


def with_languages(posts: pl.DataFrame, min_letters: int, min_confidence: float,
                   trust_declared_below: float = TRUST_DECLARED_BELOW, workers: int | None = None,
                   terms: SignalTerms | None = None) -> pl.DataFrame:
    """Add each post's language (`lang`, `lang_confidence`, `lang_source`, `detected_lang`): the model's,
    or the platform's declared one where the model says und or is unsure (`langid.detect_languages`).

    Both cores work through the whole stage: the text is cleaned, its letters counted and the model's
    inputs built once, on every core (`on_every_core`); then the text facts the signals read of it, and the
    text prepared for the lexicons (`PREPARED_COLUMN`, which `all_lexicon_masks` takes), are made while the
    worker processes run the model (`detecting`), and so is, given the rubric's ``terms``, the lexicon work
    that needs no language (`language_free_columns`). ``workers``: processes (and threads).

    Memory (issue 13: this stage was the audit's peak): one text-sized working column at a time where the
    order allows it. The slices' columns are let go once joined, the model's inputs once the workers have them
    (`detecting` holds the only reference), the cleaned text once the text facts are read from it, before
    the text for the lexicons is prepared."""
    cores = worker_count(workers)
    cleaned, letters, inputs = _read_all(posts["text"], cores)
    context = detecting(inputs, min_letters, min_confidence, posts["declared_lang"], trust_declared_below, workers)
    del inputs
    with context as languages:
        facts = text_facts(posts, cleaned, letters)
        del cleaned
        prepared = prepared_text(posts["text"], cores)
        early = language_free_columns(prepared, terms) if terms is not None else []
        detected = languages()
    return posts.with_columns(*detected.get_columns(), *facts, prepared, *early)


def _read_all(text: pl.Series, cores: int) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """`_read` of the whole text column on every core, each of its columns joined into one."""
    parts = on_every_core(_read, text, cores)
    cleaned, letters, inputs = (pl.concat(list(column), rechunk=True) for column in zip(*parts, strict=True))
    return cleaned, letters, inputs


def _read(text: pl.Series) -> tuple[pl.Series, pl.Series, pl.DataFrame]:
    """Of some posts' text: the text cleaned, its letters, and what the model reads (`model_inputs`)."""
    frame = text.to_frame("text").select(cleaned=clean_for_detection(pl.col("text")))
    letters = frame.select(letter_count(pl.col("cleaned"))).to_series()
    return frame.to_series(), letters, model_inputs(frame.to_series(), letters)
