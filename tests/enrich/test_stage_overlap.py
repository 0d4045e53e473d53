"""The language stage arranged for both cores (issue 13): the model runs on the worker processes while the
calling process makes the text facts, and the model's inputs are built with less work. Every result is
the one the plain path gave: the model's inputs as they were built before, detection on one core."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal, assert_series_equal

from audit.accounts import load_accounts
from audit.enrich import lidmodel, text
from audit.enrich.keywords import prepare_for_matching
from audit.enrich.langid import MAX_DETECTION_CHARS, canonical_codes, canonical_lang, model_inputs
from audit.enrich.lexicons import CANDIDATES_COLUMN, PREPARED_COLUMN
from audit.enrich.stage import with_languages
from audit.enrich.text import clean_for_detection, fold_shouting_case, letter_count
from audit.posts.collect import collect_accounts
from audit.scoring.engine import AuditRequest, signal_terms, with_lexicon_masks
from audit.scoring.rubric.loading import load_rubric

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ACCOUNTS = [FIXTURES / "demo" / "accounts.toml", FIXTURES / "eval" / "accounts-kr.toml",
            FIXTURES / "eval" / "accounts-jp.toml"]


def cleaned(texts: pl.Series) -> pl.Series:
    return texts.to_frame("text").select(clean_for_detection(pl.col("text"))).to_series()


def plain_model_inputs(cleaned: pl.Series) -> pl.DataFrame:
    """How the model's inputs were built before: every key cut, both cases counted on every row, letters
    counted again on the key. Shouting is six cased letters or more, over four in five of them capitals: the
    old rule's `6 - lower` underflowed (counts are unsigned), so a text with more than six lower-case letters
    was never folded, "G20 SUMMIT ... in in İSTANBUL a a a" among them (found by hypothesis)."""
    key = pl.col("key")
    upper, lower = key.str.count_matches(r"\p{Lu}"), key.str.count_matches(r"\p{Ll}")
    shouting = (upper + lower >= 6) & (upper > 4 * lower)
    frame = pl.DataFrame({"key": cleaned.str.slice(0, MAX_DETECTION_CHARS)})
    frame = frame.with_columns(key=pl.when(shouting).then(key.str.to_lowercase()).otherwise(key))
    return frame.with_columns(letters=letter_count(key))


def inputs_of(cleaned: pl.Series) -> pl.DataFrame:
    return model_inputs(cleaned, cleaned.to_frame("c").select(letter_count(pl.col("c"))).to_series())


def sample_texts() -> pl.Series:
    """Texts of the fixtures: the demo's posts, the hand-labelled evaluation set, the short posts."""
    csvs = [pl.read_csv(FIXTURES / folder / name)["text"] for folder, name in [("eval", "posts.csv"),
                                                                                ("langid", "short_posts.csv")]]
    collected = [collect_accounts(load_accounts(ACCOUNTS[0])).posts["text"]]
    return pl.concat([*csvs, *collected]).cast(pl.String)


def test_the_model_reads_what_it_read_before_on_the_fixtures() -> None:
    texts = cleaned(sample_texts())
    assert texts.len() > 900
    assert_frame_equal(inputs_of(texts), plain_model_inputs(texts))


SHOUTING = st.lists(st.sampled_from(["G20", " SUMMIT", " in", " SEOUL", " ΟΔΟΣ", " İSTANBUL", " ǅ", " 東京", " a",
                                      " NATO", " x" * 600, " Ꟑ", " ẞ", "  "]), max_size=12).map("".join)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(SHOUTING, st.text(max_size=30)), min_size=1, max_size=10))
def test_the_model_reads_what_it_read_before(texts: list[str]) -> None:
    series = cleaned(pl.Series(texts, dtype=pl.String))
    assert_frame_equal(inputs_of(series), plain_model_inputs(series))


@pytest.mark.parametrize(("text", "folded"), [
    ("G20 SUMMIT IN SEOUL", "g20 summit in seoul"),
    ("NATO summit in Seoul", "NATO summit in Seoul"),
    ("ABCDE", "ABCDE"),  # too few cased letters to call it shouting
    ("A B C D E F", "a b c d e f"),
    ("NATO G20 SUMMIT SUMMIT SUMMIT IN SEOUL in in a a a", "nato g20 summit summit summit in seoul in in a a a"),
    ("", ""),
])
def test_shouting_is_folded(text: str, folded: str) -> None:
    result, rows = fold_shouting_case(pl.Series([text]))
    assert result.to_list() == [folded]
    assert rows.to_list() == ([0] if folded != text else [])


@pytest.mark.parametrize("accounts", ACCOUNTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_stage_on_two_workers_is_the_stage_on_one(accounts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    posts = collect_accounts(load_accounts(accounts)).posts
    serial = with_languages(posts, 3, 0.5, workers=1)
    monkeypatch.setattr(lidmodel, "MIN_PARALLEL_TEXTS", 0)
    monkeypatch.setattr(lidmodel, "CHUNK", 29)
    monkeypatch.setattr(text, "SLICE_ROWS", 17)  # cleaned and counted in slices, one a thread
    assert_frame_equal(with_languages(posts, 3, 0.5, workers=2), serial)


@pytest.mark.parametrize("cores", [1, 2, 3, 7])
def test_work_on_every_core_is_the_work_on_the_whole(cores: int, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = sample_texts()
    monkeypatch.setattr(text, "SLICE_ROWS", 5)
    parts = text.on_every_core(cleaned, texts, cores)
    assert len(parts) == cores
    assert pl.concat(parts).to_list() == cleaned(texts).to_list()
    assert text.on_every_core(cleaned, texts.clear(), cores)[0].is_empty()


def test_predicting_in_the_background_gives_the_serial_prediction(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"{text}\n" for text in cleaned(sample_texts()).to_list()]
    serial = lidmodel.predict_lines(lines)
    monkeypatch.setattr(lidmodel, "MIN_PARALLEL_TEXTS", 0)
    monkeypatch.setattr(lidmodel, "CHUNK", 97)
    with lidmodel.predicting(lines, 2) as result:
        letters = cleaned(sample_texts()).str.len_chars()  # the caller's own work while the workers predict
        assert result() == serial
    assert letters.len() == len(lines)



@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["en", "EN", "zh-Hant", "zh_TW", "yue", "ms", "id", "in", "und",
                                                       "zxx", "pt-BR", "fil", "", " ko ", "qme"]),
                          st.text(max_size=6))))
def test_codes_are_made_canonical_once_per_distinct_code_as_on_every_row(codes: list[str | None]) -> None:
    column = pl.Series("declared_lang", codes, dtype=pl.String)
    every_row = column.to_frame().select(canonical_lang(pl.col("declared_lang"))).to_series()
    assert canonical_codes(column).to_list() == every_row.to_list()


@pytest.mark.parametrize("accounts", ACCOUNTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_lexicons_read_the_text_the_stage_prepared_while_the_workers_detected(accounts: Path) -> None:
    loaded = load_accounts(accounts)
    posts = with_languages(collect_accounts(loaded).posts, 3, 0.5)
    assert_series_equal(posts[PREPARED_COLUMN], prepare_for_matching(posts["text"]), check_names=False)
    request = AuditRequest(accounts=loaded, rubric=load_rubric("public-diplomacy"))
    masked = with_lexicon_masks(request, posts)
    assert PREPARED_COLUMN not in masked.columns
    assert_frame_equal(masked, with_lexicon_masks(request, posts.drop(PREPARED_COLUMN)))


@pytest.mark.parametrize("accounts", ACCOUNTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_lexicons_that_need_no_language_matched_while_the_workers_detected_match_as_after(
        accounts: Path) -> None:
    loaded = load_accounts(accounts)
    request = AuditRequest(accounts=loaded, rubric=load_rubric("public-diplomacy"))
    collected = collect_accounts(loaded).posts
    early = with_languages(collected, 3, 0.5, terms=signal_terms(request))
    assert CANDIDATES_COLUMN in early.columns
    masked = with_lexicon_masks(request, early)
    assert CANDIDATES_COLUMN not in masked.columns
    assert_frame_equal(masked, with_lexicon_masks(request, with_languages(collected, 3, 0.5)))


def test_a_failure_while_the_workers_predict_stops_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lidmodel, "MIN_PARALLEL_TEXTS", 0)
    with pytest.raises(ValueError, match="the caller's own work failed"), lidmodel.predicting(["a\n"] * 500, 2):
        raise ValueError("the caller's own work failed")
    assert not multiprocessing.active_children()
