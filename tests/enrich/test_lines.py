"""The model's lines held in one Arrow buffer (`lidmodel.Lines`, issue 13: forked workers read them without
copying a Python string each): they read as the list of texts with their newlines, whole or in slices."""

from __future__ import annotations

import pyarrow as pa
import pytest

from audit.enrich.lidmodel import CHUNK, Lines, predict_lines

TEXTS = ["Hello from the embassy", "대사관 소식", "", None, "日本語の投稿です", "Ça va ? ✓"]
EXPECTED = [f"{t or ''}\n" for t in TEXTS]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_the_lines_are_the_texts_with_their_newlines(kind):
    lines = Lines(pa.array(TEXTS, type=kind))
    assert len(lines) == len(TEXTS) and list(lines) == EXPECTED
    assert lines[1] == EXPECTED[1] and lines[-1] == EXPECTED[-1]
    assert lines[2:5] == EXPECTED[2:5] and lines[4:100] == EXPECTED[4:] and lines[3:1] == []
    assert lines[::2] == EXPECTED[::2]
    with pytest.raises(IndexError):
        lines[len(TEXTS)]


def test_a_slice_of_an_arrow_array_reads_only_its_own_texts():
    lines = Lines(pa.array(TEXTS).slice(1, 3))
    assert list(lines) == EXPECTED[1:4]


def test_long_inputs_read_chunk_after_chunk_and_predict_as_a_list():
    texts = [f"post number {i} from the embassy in Tokyo" for i in range(CHUNK * 2 + 7)]
    lines = Lines(pa.array(texts))
    assert list(lines) == [f"{t}\n" for t in texts]
    assert predict_lines(lines[:50]) == predict_lines([f"{t}\n" for t in texts[:50]])
