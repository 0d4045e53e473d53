"""Cheap tricks must not move verdicts (issue 9): each test builds the scenario a scholar would
recognise, audits it end to end and asserts the judgement the scholar would give.

The accounts post through the generic CSV collector (canonical column names, see
fixtures/eval/README.md); every text is written for these tests.
"""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from audit.api import audit_from_paths

START = datetime(2025, 2, 3, 1, 0, tzinfo=UTC)  # a Monday, 10:00 in Seoul and Tokyo
QUAKE = datetime(2025, 3, 10, 0, 0, tzinfo=UTC)
KOREAN_ROUTINE = [
    "대사관은 오늘 한일 경제협력 세미나 결과를 정리해 보고했습니다.",
    "주일 대사관 업무 계획을 공유합니다. 올해도 양국 관계 발전을 위해 노력하겠습니다.",
    "대사는 오늘 현지 진출 기업인들과 간담회를 가졌습니다.",
    "한국 정부의 대일 정책 방향에 대해 설명회를 개최했습니다.",
]
EVENTS = '''
[[events]]
id = "quake"
title = "Earthquake in Japan"
type = "crisis"
start = 2025-03-10T00:00:00Z
countries = ["JP"]
keywords = ["earthquake", "지진", "地震"]
'''
OPPORTUNITY = '''
[[events]]
id = "kpop"
title = "A K-pop group tops the charts"
type = "opportunity"
start = 2025-03-05T00:00:00Z
countries = ["JP"]
keywords = ["K-pop", "케이팝", "K-POP"]
'''


def routine(weeks: int = 8) -> list[tuple[datetime, str]]:
    """Two Korean posts a week, on Monday and Thursday mornings."""
    return [(START + timedelta(weeks=w, days=d), KOREAN_ROUTINE[(2 * w + i) % len(KOREAN_ROUTINE)])
            for w in range(weeks) for i, d in enumerate((0, 3))]


def audit(tmp_path: Path, posts: list[tuple[datetime, str]], events: str | None = EVENTS,
          host: str | None = "JP") -> dict[str, Any]:
    with (tmp_path / "emb.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["post_id", "published_at", "kind", "text"])
        for i, (when, text) in enumerate(sorted(posts)):
            writer.writerow([f"p{i}", when.isoformat(), "post", text])
    role = f'role = "embassy"\nhost_country = "{host}"' if host else 'role = "ministry"'
    (tmp_path / "accounts.toml").write_text(
        f'[ministry]\nname = "MOFA"\ncountry = "KR"\n\n[[accounts]]\nid = "emb"\nname = "Account"\n{role}\n'
        'platform = "csv"\nsource = "emb.csv"\n', encoding="utf-8")
    if events is not None:
        (tmp_path / "events.toml").write_text(events, encoding="utf-8")
    return audit_from_paths(tmp_path / "accounts.toml", events=tmp_path / "events.toml" if events else None,
                            since=date(2025, 2, 3), until=date(2025, 3, 30))


def crisis(result: dict[str, Any]) -> dict[str, Any]:
    dimension: dict[str, Any] = result["accounts"][0]["dimensions"]["crisis_responsiveness"]
    return dimension


def test_korean_safety_notices_in_japan_are_care_for_nationals_not_public_diplomacy(tmp_path):
    notices = [
        (QUAKE + timedelta(hours=2), "[안전공지] 지진 지역의 우리 국민께서는 안전에 유의하시기 바랍니다."),
        (QUAKE + timedelta(hours=20), "[안전공지] 우리 국민께서는 지진 대피 요령을 확인하시기 바랍니다."),
    ]
    dim = crisis(audit(tmp_path, routine() + notices))
    assert dim["metrics"]["response_rate_24h"] == 0.0
    (event,) = dim["metrics"]["events"]
    assert event["first_post_id"] is None and event["care_first_post_id"] is not None
    assert dim["band"] != "strong" and dim["score"] < 25


def test_condolences_to_the_host_public_earn_the_crisis_score(tmp_path):
    condolence = (QUAKE + timedelta(hours=3), "地震で被害を受けられた皆さまに心よりお見舞い申し上げます。")
    dim = crisis(audit(tmp_path, [*routine(), condolence]))
    assert dim["metrics"]["response_rate_24h"] == 1.0


def test_a_domestic_crisis_answered_in_korean_is_outreach_not_public_diplomacy(tmp_path):
    home_quake = EVENTS.replace('countries = ["JP"]', 'countries = ["KR"]')
    answer = (QUAKE + timedelta(hours=1), "지진 피해 복구를 위해 정부는 모든 지원을 아끼지 않겠습니다.")
    account = audit(tmp_path, [*routine(), answer], home_quake, host=None)["accounts"][0]
    assert account["dimensions"]["crisis_responsiveness"]["metrics"]["response_rate_24h"] == 0.0
    assert account["verdict"] == "avoider"


def test_one_missed_opportunity_does_not_zero_the_crisis_dimension(tmp_path):
    result = audit(tmp_path, routine(), OPPORTUNITY)
    dim = crisis(result)
    assert dim["metrics"]["opportunity_response_rate_24h"] == 0.0  # still reported
    assert dim["score"] is None  # but no crisis, so the dimension is not measured rather than 0
    assert not any("cultural moment" in finding for finding in result["accounts"][0]["key_findings"])


def test_a_templated_greeting_a_day_does_not_turn_an_avoider_into_an_adapter(tmp_path):
    greetings = [(START + timedelta(days=d, hours=22), f"おはようございます！今日も良い一日を。{d + 1}日目")
                 for d in range(55)]
    plain = audit(tmp_path, routine())["accounts"][0]
    tricked = audit(tmp_path, routine() + greetings)["accounts"][0]
    assert tricked["templated_repeats"] == 54  # the first greeting counts, the 54 copies do not
    assert tricked["posts"] == plain["posts"] + 1
    assert plain["verdict"] == tricked["verdict"] == "avoider"
    language = tricked["dimensions"]["language_reach"]["metrics"]
    assert language["audience_language_share"] < 0.1


UN_STATEMENT = {
    "en": "Statement on the situation in the region: we call for restraint and dialogue.",
    "fr": "Déclaration sur la situation dans la région : nous appelons à la retenue et au dialogue.",
    "es": "Declaración sobre la situación en la región: pedimos moderación y diálogo.",
    "ar": "بيان بشأن الوضع في المنطقة: ندعو إلى ضبط النفس والحوار.",
    "ru": "Заявление о ситуации в регионе: мы призываем к сдержанности и диалогу.",
    "zh": "关于地区局势的声明：我们呼吁保持克制和对话。",
}


def test_one_statement_in_six_languages_is_one_message_for_cadence(tmp_path):
    """Cadence counts what an account says: the same statement (one link) in the six UN languages
    the same week is one message, not six."""
    def weekly(langs: list[str]) -> list[tuple[datetime, str, str]]:
        return [(START + timedelta(weeks=w, hours=i), f"{UN_STATEMENT[lang]} https://example.org/statements/{w}", lang)
                for w in range(8) for i, lang in enumerate(langs)]

    def per_week(langs: list[str]) -> float:
        posts = [(when, text) for when, text, _ in weekly(langs)]
        result = audit(tmp_path, posts, None, host=None)
        return float(result["accounts"][0]["dimensions"]["frequency"]["metrics"]["posts_per_week"])

    assert per_week(list(UN_STATEMENT)) == per_week(["en"]) == 1.0  # 8 statements in 8 weeks


def test_the_ministry_verdict_does_not_hinge_on_an_events_file():
    """Issue 9: with events the ministry was an adapter, without them an avoider. The verdict reads
    the rubric's verdict basis (the dimensions every account is measured on), so both runs agree."""
    demo = Path(__file__).resolve().parents[2] / "fixtures" / "demo"
    runs = [audit_from_paths(demo / "accounts.toml", events=events, since=date(2025, 1, 1), until=date(2025, 6, 30))
            for events in (demo / "events.toml", None)]
    with_events, without = runs
    assert with_events["ministry"]["verdict"] == without["ministry"]["verdict"]
    assert [a["verdict"] for a in with_events["accounts"]] == [a["verdict"] for a in without["accounts"]]
    assert with_events["ministry"]["score"] != without["ministry"]["score"]  # the score still uses crises


def test_a_crisis_inside_a_hole_in_the_export_is_not_counted_as_missed(tmp_path):
    """The export stops on 27 February: the 10 March earthquake fell where nothing was observed."""
    result = audit(tmp_path, routine(weeks=4))
    dim, account = crisis(result), result["accounts"][0]
    assert account["events_in_holes"] == ["quake"]
    assert dim["score"] is None and "response_rate_24h" not in dim["metrics"]
    assert "fell in a hole in the export" in dim["not_measured"]["response_rate_24h"]
    assert any("(quake) fell in a hole in its export" in w for w in result["coverage"]["warnings"])


def test_the_same_crisis_with_the_export_running_through_it_is_missed(tmp_path):
    dim = crisis(audit(tmp_path, routine(weeks=8)))
    assert dim["metrics"]["response_rate_24h"] == 0.0
