"""Plain words: language names instead of codes, one scale beside a score, a glossary for the jargon."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from audit.api import report_html
from audit.report.labels import GLOSSARY, format_metric, language_name, name_languages

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"


@pytest.mark.parametrize(("code", "name"), [
    ("ja", "Japanese"), ("ko", "Korean"), ("zh-Hant", "Traditional Chinese"), ("pt_BR", "Brazilian Portuguese"),
    ("tts", "Isan (Northeastern Thai)"),  # the detector knows it, CLDR's English names do not
    ("und", "Undetermined"), ("xx", "xx"),  # a code nobody names is printed as it is
])
def test_language_codes_read_as_names(code, name):
    assert language_name(code) == name


@pytest.mark.parametrize(("sentence", "reads"), [
    ("Favour the languages most of the audience reads (th, en, tts) to reach 75% of it per post.",
     "Favour the languages most of the audience reads (Thai, English, Isan (Northeastern Thai)) to reach 75% of it"
     " per post."),
    ("On average a post can be read by 61% of the audience (audience languages: en, zh).",
     "On average a post can be read by 61% of the audience (audience languages: English, Chinese)."),
    ("Posts were written in 2 language(s): en, ko.", "Posts were written in 2 language(s): English, Korean."),
    ("Write at least 80% of posts in ar; today it is 33%.", "Write at least 80% of posts in Arabic; today it is 33%."),
    ("addressed to the home public (in ko, a language only the home public reads)",
     "addressed to the home public (in Korean, a language only the home public reads)"),
    ("Answer within a day (or so) and follow it up (in time).",  # words that happen to be codes stay words
     "Answer within a day (or so) and follow it up (in time)."),
    ("Keep the account going (see xx, yy).", "Keep the account going (see xx, yy)."),
])
def test_code_lists_in_sentences_become_names(sentence, reads):
    assert name_languages(sentence) == reads


def test_a_language_mix_is_printed_with_names():
    assert format_metric("languages", {"en": 0.61, "ko": 0.39}) == "English 61%, Korean 39%"


@pytest.fixture(scope="module")
def page() -> str:
    text, _ = report_html(json.loads(SAMPLE.read_text(encoding="utf-8")))
    return html.unescape(re.sub(r"<[^>]+>", " ", text.split("<body>", 1)[1]))


def test_one_scale_beside_each_score(page):
    """Bands only: a letter grade with other cut-offs beside the band would contradict it."""
    assert not re.search(r"\bgrade [A-F]\b", page, flags=re.IGNORECASE)
    assert "Bands and verdicts" in page


@pytest.mark.parametrize("term", ["Depth parity", "Cadence parity", "CV (coefficient of variation)", "CLDR",
                                  "Band", "Thin data", "Not measured (n/a)"])
def test_the_glossary_explains_the_jargon(page, term):
    glossary = page[page.rindex(" Glossary "):page.rindex(" Caveats ")]  # the appendix section, before Caveats
    assert term in dict(GLOSSARY) and f" {term} " in " ".join(glossary.split())
