"""A report bounded by what matters: at most two pages per account, 12 pages for four accounts, about
110 for fifty, counted in the rendered PDF (pypdf), with each account's pages read from the bookmarks.

The 50-account report is rendered once for the module (it takes a minute or two): it repeats the sample's
four accounts under new ids, as benchmarks/bench_render.py does.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from audit.api import load_result, render_report

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "results" / "sample_result.json"


def many(result: dict[str, Any], count: int) -> dict[str, Any]:
    """The sample with its accounts repeated to `count`, each under a new id and name."""
    big = copy.deepcopy(result)
    big["accounts"] = []
    for i in range(count):
        account = copy.deepcopy(result["accounts"][i % len(result["accounts"])])
        account["id"], account["name"] = f"{account['id']}-{i + 1}", f"{account['name']} #{i + 1}"
        big["accounts"].append(account)
    return big


def starts(pdf: Path) -> dict[str, int]:
    """Top-level bookmarks and the page (from 1) each starts on."""
    reader = PdfReader(pdf)
    return {item.title: reader.get_destination_page_number(item) + 1
            for item in reader.outline if not isinstance(item, list)}


def account_pages(pdf: Path, names: list[str]) -> dict[str, int]:
    """How many pages each account runs over: from its first page to the page before the next section."""
    found = starts(pdf)
    following = sorted(found.values()) + [len(PdfReader(pdf).pages) + 1]
    return {name: min(p for p in following if p > found[name]) - found[name] for name in names}


@pytest.fixture(scope="module")
def sample() -> dict[str, Any]:
    return load_result(SAMPLE)


@pytest.fixture(scope="module")
def four(tmp_path_factory: pytest.TempPathFactory, sample: dict[str, Any]) -> Path:
    out = tmp_path_factory.mktemp("four") / "report.pdf"
    render_report(sample, pdf=out)
    return out


@pytest.fixture(scope="module")
def fifty(tmp_path_factory: pytest.TempPathFactory, sample: dict[str, Any]) -> tuple[Path, dict[str, Any]]:
    """The 50-account report, rendered once for every test below (about a minute on two cores)."""
    result = many(sample, 50)
    out = tmp_path_factory.mktemp("fifty") / "report.pdf"
    render_report(result, pdf=out)
    return out, result


def test_four_accounts_fit_in_twelve_pages(four: Path) -> None:
    assert len(PdfReader(four).pages) <= 12


def test_four_accounts_with_the_change_since_the_previous_audit_fit_in_twelve_pages(tmp_path: Path,
                                                                                     sample: dict[str, Any]) -> None:
    out = tmp_path / "report.pdf"
    render_report(sample, pdf=out, previous=SAMPLE.parent / "previous_result.json")
    assert len(PdfReader(out).pages) <= 12
    assert starts(out)["Since the previous audit"] == 2  # on the contents page, not a page of its own


def test_each_of_four_accounts_takes_at_most_two_pages(four: Path, sample: dict[str, Any]) -> None:
    pages = account_pages(four, [a["name"] for a in sample["accounts"]])
    assert all(1 <= n <= 2 for n in pages.values()), pages


@pytest.mark.slow
def test_fifty_accounts_fit_in_about_110_pages_after_a_network_overview(fifty: tuple[Path, dict[str, Any]]) -> None:
    pdf, result = fifty
    assert len(PdfReader(pdf).pages) <= 110
    found = starts(pdf)
    first_account = min(found[a["name"]] for a in result["accounts"])
    assert found["Network overview"] < first_account
    pages = account_pages(pdf, [a["name"] for a in result["accounts"]])
    assert max(pages.values()) <= 2, {k: v for k, v in pages.items() if v > 2}
