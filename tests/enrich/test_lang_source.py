"""Where a post's language comes from: the model, the platform's tag, or both (issue 9, item 1).

The model decides when it is sure; when it says `und` or hesitates and the platform declared a real
language, the declared one is used, and `lang_source` says which. Small hand-made frames first (the
rule alone), then the model on posts of the evaluation set's kind.
"""

from __future__ import annotations

import polars as pl
import pytest

from audit.enrich import lidmodel
from audit.enrich.langid import detect_languages, language_facts, with_declared

# model verdict, its confidence, the platform's tag -> language used, where it came from
RULE = [
    ("en", 0.95, "en", "en", "both"),
    ("en", 0.95, None, "en", "detected"),
    ("und", 0.0, "ko", "ko", "declared"),  # too short or unsure: the tag is all there is
    ("und", 0.0, None, "und", None),  # neither knows
    ("sk", 0.72, "en", "en", "declared"),  # "FAKE NEWS!": a weak guess gives way to the tag
    ("fr", 0.95, "en", "fr", "detected"),  # a sure model overrules a wrong tag
    ("ms", 0.70, "id", "ms", "both"),  # Malay and Indonesian agree (one language for a reader)
    ("zh", 0.90, "zh-Hant", "zh", "both"),
    ("ja", 0.77, "yue", "zh", "declared"),  # a Cantonese tag is Chinese
    ("und", 0.0, "und", "und", None),  # und, zxx, qme... are no declaration
    ("und", 0.0, "zxx", "und", None),
    ("und", 0.0, "qme", "und", None),
    ("und", 0.0, "pt-BR", "pt", "declared"),
]


def rule_frame(rows: list[tuple[str, float, str | None, str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {"detected_lang": [r[0] for r in rows], "detected_confidence": [r[1] for r in rows],
         "declared_lang": [r[2] for r in rows]},
        schema_overrides={"declared_lang": pl.String},
    )


@pytest.mark.parametrize("row", RULE, ids=[f"{r[0]}-{r[2]}" for r in RULE])
def test_the_declared_tag_fills_in_for_a_missing_or_weak_detection(row):
    out = with_declared(rule_frame([row]), trust_declared_below=0.8).row(0, named=True)
    assert (out["lang"], out["lang_source"]) == (row[3], row[4])
    assert out["detected_lang"] == row[0]
    assert out["lang_confidence"] == (0.0 if row[4] == "declared" else row[1])


def test_the_threshold_is_a_setting():
    frame = rule_frame([("sk", 0.72, "en", "", None)])
    assert with_declared(frame, trust_declared_below=0.8)["lang"].item() == "en"
    assert with_declared(frame, trust_declared_below=0.5)["lang"].item() == "sk"


@pytest.mark.parametrize(("text", "declared", "lang", "source"), [
    ("FAKE NEWS!", "en", "en", "declared"),  # the model: Slovak, 0.72
    ("Thank you Rudy!", "en", "en", "declared"),  # the model: und
    ("Thank you Rudy!", None, "und", None),
    ("元宵节快乐！", "zh", "zh", "declared"),  # the model: Japanese, 0.77
    ("Terima kasih banyak atas kunjungan Anda ke Jakarta", "in", "id", "both"),  # X writes id as "in"
    ("The minister met her counterpart to discuss trade and security.", "ko", "en", "detected"),
])
def test_detection_with_the_platforms_tag(text, declared, lang, source):
    out = detect_languages(pl.Series([text]), declared=pl.Series([declared], dtype=pl.String)).row(0, named=True)
    assert (out["lang"], out["lang_source"]) == (lang, source)


def test_a_text_with_too_few_letters_is_not_detected_but_may_be_declared():
    texts = pl.Series(["감사합니다", "감사합니다", "Bonjour à tous"])
    declared = pl.Series(["ko", None, None], dtype=pl.String)
    out = detect_languages(texts, min_letters=6, declared=declared)
    assert out["detected_lang"].to_list() == ["und", "und", "fr"]
    assert out["lang"].to_list() == ["ko", "und", "fr"]
    assert out["lang_source"].to_list() == ["declared", None, "detected"]


def test_per_account_shares_count_und_after_the_fallback_and_disagreement_before_it():
    posts = pl.DataFrame({
        "detected_lang": ["en"] * 14 + ["und"] * 4 + ["sk", "fr"],
        "declared_lang": ["en"] * 10 + [None] * 4 + ["en", None, None, None, "en", "en"],
    }, schema_overrides={"declared_lang": pl.String})
    tagged = with_declared(posts.with_columns(detected_confidence=pl.lit(0.9)), trust_declared_below=0.8)
    counts = language_facts(tagged.with_columns(posts["declared_lang"]))
    # 3 und posts without a tag; the 4th und and none of the others take the declared language
    assert counts["und"] == 3 and counts["und_share"] == pytest.approx(0.15)
    assert counts["from_declared"] == 1
    # compared: 10 en/en, sk/en, fr/en (detected, 0.9) -> 2 of 12 disagree
    assert (counts["compared"], counts["disagreeing"]) == (12, 2)
    assert counts["und_share"] > counts["warn_above"] == 0.10


def test_parallel_detection_gives_the_serial_result(monkeypatch):
    words = ["minister", "Seoul", "외교부", "東京", "cooperación", "ambassade", "السفارة", "посольство", "kerja",
             "สถานทูต", "Botschaft", "visit", "合作", "회담", "会談", "trade"]
    texts = [" ".join(words[(i * k) % len(words)] for k in range(1, 2 + i % 9)) + f" {i}" for i in range(400)]
    serial = detect_languages(pl.Series(texts), workers=1)
    monkeypatch.setattr(lidmodel, "MIN_PARALLEL_TEXTS", 0)
    monkeypatch.setattr(lidmodel, "CHUNK", 37)
    parallel = detect_languages(pl.Series(texts), workers=2)
    assert parallel.equals(serial)
    assert serial["detected_lang"].n_unique() > 5


def test_worker_count_from_the_environment(monkeypatch):
    monkeypatch.setenv(lidmodel.WORKERS_ENV, "3")
    assert lidmodel.worker_count() == 3
    assert lidmodel.worker_count(1) == 1
    monkeypatch.setenv(lidmodel.WORKERS_ENV, "all")
    with pytest.raises(lidmodel.AuditError, match="AUDIT_DETECT_WORKERS='all': expected a whole number"):
        lidmodel.worker_count()
