"""The audience model comes from CLDR territory data; overrides on the account win."""

from __future__ import annotations

import pytest

from audit.enrich.audience import audience_for, country_languages, country_timezone

GLOBAL = {"en": 0.2, "es": 0.07}


@pytest.mark.parametrize(
    ("country", "expected"),
    [("JP", {"ja": 0.95}), ("KR", {"ko": 1.0}), ("TW", {"zh": 0.95, "nan": 0.57, "hak": 0.11}),
     ("TH", {"th": 0.8, "en": 0.27, "tts": 0.24})],
)
def test_country_languages_from_cldr(country, expected):
    assert dict(country_languages(country, 0.1)) == expected


@pytest.mark.parametrize(("country", "zone"), [("JP", "Asia/Tokyo"), ("US", "America/New_York"),
                                               ("ID", "Asia/Jakarta"), ("KR", "Asia/Seoul")])
def test_country_timezone_is_the_only_zone_or_the_capitals(country, zone):
    assert country_timezone(country) == zone


def test_embassy_audience_is_the_host_public():
    audience = audience_for(home_country="KR", host_country="JP", global_languages=GLOBAL, min_share=0.1)
    assert (dict(audience.languages), audience.timezone, audience.scope) == ({"ja": 0.95}, "Asia/Tokyo", "host")
    assert dict(audience.home_languages) == {"ko": 1.0}


def test_ministry_level_account_addresses_the_global_audience_in_home_time():
    audience = audience_for(home_country="KR", host_country=None, global_languages=GLOBAL, min_share=0.1)
    assert (dict(audience.languages), audience.timezone, audience.scope) == (GLOBAL, "Asia/Seoul", "global")


def test_overrides_win_and_keep_cldr_reach_where_known():
    audience = audience_for(home_country="KR", host_country="JP", global_languages=GLOBAL, min_share=0.1,
                            override_languages=("ja", "en"), override_timezone="Asia/Osaka")
    assert dict(audience.languages) == {"ja": 0.95, "en": 0.0}
    assert (audience.timezone, audience.scope) == ("Asia/Osaka", "override")
