"""The language stage of the audit: every post's language, and what the signals read of its cleaned text.

One function so that the whole stage - cleaning, detection on every core, the declared-language rules and
the text facts - can be arranged (and overlapped) in one place without the scorer knowing how.
"""

from __future__ import annotations

import polars as pl

from audit.enrich.langid import TRUST_DECLARED_BELOW, detect_languages
from audit.enrich.lexicons import text_facts
from audit.enrich.text import clean_for_detection


def with_languages(posts: pl.DataFrame, min_letters: int, min_confidence: float,
                   trust_declared_below: float = TRUST_DECLARED_BELOW) -> pl.DataFrame:
    """Add each post's language (`lang`, `lang_confidence`, `lang_source`, `detected_lang`): the model's,
    or the platform's declared one where the model says und or is unsure (`detect_languages`).

    The text is cleaned once here for detection and for what the signals read of it (`text_facts`)."""
    cleaned = posts.select(clean_for_detection(pl.col("text"))).to_series()
    detected = detect_languages(posts["text"], min_letters=min_letters, min_confidence=min_confidence,
                                declared=posts["declared_lang"], trust_declared_below=trust_declared_below,
                                cleaned=cleaned)
    return posts.with_columns(*detected.get_columns(), *text_facts(posts, cleaned))
