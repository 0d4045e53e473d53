"""The result JSON `audit run --json` writes (audit.result.io.result_json): orjson's indented text, which is
the standard library's indented text but for how small floats are spelled, and the same numbers."""

from __future__ import annotations

import json
import math

from audit.result.io import result_json

RESULT = {"accounts": [{"id": "emb-jp", "name": "주일본 대한민국 대사관", "score": 61.3, "tiny": 1.5e-07,
                        "huge": 1e22, "none": None, "flags": [True, False], "empty": {}, "list": []}],
          "quote": "\u2028\"<b>\" \\ 日本語"}


def test_the_json_reads_back_as_the_very_result():
    assert json.loads(result_json(RESULT)) == RESULT


def test_the_text_is_the_standard_librarys_indented_text_where_no_float_is_spelled_differently():
    plain = {**RESULT, "accounts": [{k: v for k, v in RESULT["accounts"][0].items() if k not in ("tiny", "huge")}]}
    assert result_json(plain) == json.dumps(plain, ensure_ascii=False, indent=2) + "\n"


def test_a_float_that_is_not_a_number_is_written_null_which_every_reader_takes():
    written = result_json({"value": math.nan, "other": math.inf})
    assert json.loads(written) == {"value": None, "other": None}
