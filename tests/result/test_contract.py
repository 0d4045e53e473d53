"""The contract holds for users: the demo's result keeps every key of the one written before the layout
change (new keys are additive, so schema_version stays 2), and a result carries the rubric it was scored
with, so a report of a custom rubric shows that rubric's method.

The golden is schema_version 2; it differs from the version-1 file written before (tests/data/
demo_result_v1.json) only by its version and by the crisis metric's name (`events`, as DESIGN.md's
contract says; `crisis_events` in version 1), which tests/result/test_upgrade.py proves. Its numbers are
not compared: issue 9 changed what the scores measure (labels, languages, holes, confidence)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from audit.api import audit_from_paths, report_html
from audit.result.io import load_result, write_result

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"
BEFORE = Path(__file__).resolve().parents[1] / "data" / "demo_result_before_layout.json"
RUBRIC = ROOT / "rubrics" / "public-diplomacy.toml"


def demo_result() -> dict:
    result = audit_from_paths(DEMO / "accounts.toml", events=DEMO / "events.toml",
                              since=date(2025, 1, 1), until=date(2025, 6, 30))
    return json.loads(json.dumps(result, ensure_ascii=False))


def test_the_demo_result_keeps_every_key_of_the_one_written_before_the_layout_change():
    now, before = demo_result(), json.loads(BEFORE.read_text(encoding="utf-8"))
    assert now["schema_version"] == before["schema_version"] == 2
    assert set(before) <= set(now) and set(before["ministry"]) <= set(now["ministry"])
    assert [a["id"] for a in now["accounts"]] == [a["id"] for a in before["accounts"]]
    for old, new in zip(before["accounts"], now["accounts"], strict=True):
        assert set(old) <= set(new)
        assert list(old["dimensions"]) == list(new["dimensions"])
        for dim_id, dim in old["dimensions"].items():
            assert set(dim) <= set(new["dimensions"][dim_id])
            kept = set(new["dimensions"][dim_id]["metrics"]) | set(new["dimensions"][dim_id]["not_measured"])
            assert set(dim["metrics"]) <= kept
    definition = now["rubric"]["definition"]
    assert definition["id"] == "public-diplomacy" and definition["dimensions"]


def test_the_keys_added_for_confidence_are_in_the_result():
    now = demo_result()
    assert {"verdict_rule", "confidence", "weighting", "comparability"} <= set(now["ministry"])
    for account in now["accounts"]:
        assert {"verdict_rule", "confidence", "comparable"} <= set(account)
        assert all("confidence" in dim for dim in account["dimensions"].values())


def custom_rubric(tmp_path: Path) -> Path:
    text = RUBRIC.read_text(encoding="utf-8")
    text = text.replace('id = "public-diplomacy"', 'id = "ministry-own-rubric"', 1)
    text = text.replace('title = "Language reach"', 'title = "Speaking the host language"', 1)
    path = tmp_path / "own.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_custom_rubric_result_renders_its_own_method_from_the_json_alone(tmp_path):
    result = audit_from_paths(DEMO / "accounts.toml", events=DEMO / "events.toml", rubric=custom_rubric(tmp_path),
                              since=date(2025, 1, 1), until=date(2025, 6, 30))
    saved = tmp_path / "result.json"
    write_result(result, saved)
    (tmp_path / "own.toml").unlink()  # the reader of the JSON does not have the rubric file
    page, warnings = report_html(load_result(saved))
    assert not [w for w in warnings if "rubric" in w.lower()]
    assert "ministry-own-rubric" in page and "Speaking the host language" in page
    assert "method cannot be shown" not in page


def test_a_result_that_only_names_its_rubric_gets_the_bundled_one_with_its_method():
    old = json.loads((ROOT / "fixtures" / "results" / "sample_result.json").read_text(encoding="utf-8"))
    assert "definition" not in old["rubric"]
    page, _ = report_html(old)
    assert "Appendix A. Method" in page and "method cannot be shown" not in page
