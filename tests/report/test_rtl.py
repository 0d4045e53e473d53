"""Right-to-left quotes read right to left in the PDF, not only in the HTML.

WeasyPrint ignores dir="auto", so an Arabic post laid out left to right prints its full stop at the
start and its sentences in the wrong order. The report sets dir and lang on each quote from its
language (or its first strong character); here we render Arabic, Hebrew, Persian and Urdu posts and
read the words back from the PDF with their positions (pdftotext -bbox), right to left: the line must
start with the first sentence's first word and end with its full stop.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from audit.api import load_result, render_report

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"

QUOTES = {  # two sentences each, no lam-alef (pdftotext splits that ligature)
    "ar": ("يبدأ النص هنا", "ويتبعه نص ثان", "."),
    "he": ("המשפט הראשון כאן", "ואחריו משפט שני", "."),
    "fa": ("جمله نخست اینجاست", "جمله دوم آنجاست", "."),
    "ur": ("یہ جملہ اول ہے", "دوسرا جملہ وہاں ہے", "\u06d4"),
    "und": ("حديث بدون لغة معروفة", "ثم جملة ثانية", "."),  # direction from the script when detection gave up
}


def with_quotes(result: dict[str, Any]) -> dict[str, Any]:
    """The sample result whose first account cites one post per language, one dimension each."""
    changed = copy.deepcopy(result)
    account = changed["accounts"][0]
    account["evidence_posts"] = [
        {"post_id": f"rtl-{lang}", "published_at": "2025-03-01T10:00:00Z", "kind": "post", "lang": lang,
         "label": "diplomacy", "url": f"https://x.com/mofa_demo_en/status/9{i}", "text": f"{a}{stop} {b}{stop}"}
        for i, (lang, (a, b, stop)) in enumerate(QUOTES.items())]
    ids = [p["post_id"] for p in account["evidence_posts"]]
    dims = list(account["dimensions"].values())
    for i, dim in enumerate(dims):
        dim["evidence"] = ids[i::len(dims)]
    return changed


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
COLUMN_GAP = 8.0  # points: wider than a word space, narrower than the gap between two columns of quotes
Word = tuple[float, float, float, str]  # left, right, vertical middle (page-numbered), visual text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("lang", list(QUOTES))
def test_right_to_left_quote_reads_right_to_left_in_the_pdf(lang: str, words: list[Word]) -> None:
    first, second, stop = QUOTES[lang]
    line = read_line(words, first.split()[0])
    assert line == f"{first}{stop} {second}{stop}", f"{lang}: sentences or full stop out of order: {line!r}"


def read_line(words: list[Word], start: str) -> str:
    """The words on the line and column holding `start`, read from right to left (pdftotext gives each
    right-to-left word in visual order, so each is reversed back). Quotes sit in columns: words of one
    column are a word space apart, the next column's words a column gap away."""
    found = next(w for w in words if w[3][::-1] == start)
    line = sorted((w for w in words if abs(w[2] - found[2]) < 3), key=lambda w: w[0])
    column: list[Word] = []
    for word in line:
        if column and word[0] - column[-1][1] > COLUMN_GAP:
            if found in column:
                break
            column = []
        column.append(word)
    return " ".join(w[3][::-1] for w in sorted(column, key=lambda w: -w[1]))


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    """Every word of the rendered report; pages share no line."""
    target = tmp_path_factory.mktemp("rtl") / "report.pdf"
    render_report(with_quotes(load_result(SAMPLE)), pdf=target)
    found = []
    for page in range(1, 40):
        run = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(target), "-"],
                             capture_output=True, text=True)
        if run.returncode != 0:
            break
        found += [(float(x0), float(x1), page * 10000 + (float(y0) + float(y1)) / 2, text)
                  for x0, y0, x1, y1, text in WORD.findall(run.stdout)]
    return found
