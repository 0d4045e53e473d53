"""Who an account speaks to: the audience's languages, their reach, and the audience's time zone.

The audience model is data, not guesswork. For a host country the languages and the share of the
population that reads each come from CLDR territory data (shipped by babel); the home languages
come from the home country the same way. Ministry-level accounts (no host country) address the
global audience the rubric defines. Overrides written on the account always win.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from babel.core import get_global
from babel.languages import get_territory_language_info

PRIMARY_ZONES: Mapping[str, str] = MappingProxyType({
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City", "BR": "America/Sao_Paulo",
    "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago", "RU": "Europe/Moscow",
    "CN": "Asia/Shanghai", "ID": "Asia/Jakarta", "AU": "Australia/Sydney", "KZ": "Asia/Almaty",
    "MN": "Asia/Ulaanbaatar", "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "DE": "Europe/Berlin",
    "FR": "Europe/Paris", "GB": "Europe/London", "NZ": "Pacific/Auckland", "UA": "Europe/Kyiv",
    "CD": "Africa/Kinshasa", "EC": "America/Guayaquil", "MY": "Asia/Kuala_Lumpur", "PG": "Pacific/Port_Moresby",
    "KI": "Pacific/Tarawa", "FM": "Pacific/Pohnpei", "MH": "Pacific/Majuro", "PF": "Pacific/Tahiti",
    "UZ": "Asia/Tashkent", "CY": "Asia/Nicosia", "DK": "Europe/Copenhagen", "NL": "Europe/Amsterdam",
    "GL": "America/Nuuk", "PS": "Asia/Gaza", "UM": "Pacific/Wake", "AQ": "Antarctica/McMurdo",
})
"""The capital's zone for countries with several zones (CLDR lists them unordered, Adak first for the US)."""


@dataclass(frozen=True)
class Audience:
    """An account's audience: languages with the share of the audience reading each, and a time zone."""

    languages: Mapping[str, float]
    timezone: str
    home_languages: Mapping[str, float]
    scope: str  # "host" (a host country's public), "global" (ministry-level) or "override"
    host_country: str | None = None
    world_languages: frozenset[str] = frozenset()
    """Languages the rubric's global audience reads: a home language among them cannot tell home
    readers from foreign ones, so a post's subject must (English for the UK, Arabic for Saudi Arabia)."""
    timezone_given: bool = False
    """The accounts file names the audience's time zone: its readers live on that clock, even for a
    ministry-level account (otherwise a global audience is read against every zone, worldtime)."""

    def as_dict(self) -> dict[str, object]:
        return {"languages": dict(self.languages), "timezone": self.timezone,
                "home_languages": dict(self.home_languages), "scope": self.scope}


@cache
def country_languages(country: str, min_share: float = 0.0) -> Mapping[str, float]:
    """Languages of a country (primary subtags) with the population share reading each, from CLDR."""
    shares: dict[str, float] = {}
    for code, info in get_territory_language_info(country.upper()).items():
        lang = code.split("_")[0]
        share = min(1.0, float(info.get("population_percent") or 0.0) / 100.0)
        if share >= min_share:
            shares[lang] = max(shares.get(lang, 0.0), share)
    return MappingProxyType(dict(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0]))))


def country_timezone(country: str) -> str:
    """The time zone most of a country's public lives in: the only one, or the capital's."""
    code = country.upper()
    if code in PRIMARY_ZONES:
        return PRIMARY_ZONES[code]
    zones: list[str] = get_global("territory_zones").get(code, [])
    return zones[0] if zones else "UTC"


def audience_for(
    *, home_country: str, host_country: str | None, global_languages: Mapping[str, float],
    min_share: float, override_languages: tuple[str, ...] | None = None, override_timezone: str | None = None,
) -> Audience:
    """The audience of one account, from its host country (or the global audience) and its overrides."""
    home = country_languages(home_country, min_share)
    world = frozenset(global_languages)
    zone = override_timezone or country_timezone(host_country or home_country)
    if override_languages is not None:
        reach = country_languages(host_country, 0.0) if host_country else global_languages
        langs = {lang: float(reach.get(lang, 0.0)) for lang in override_languages}
        return Audience(MappingProxyType(langs), zone, home, "override", host_country, world,
                        override_timezone is not None)
    if host_country:
        return Audience(country_languages(host_country, min_share), zone, home, "host", host_country, world)
    return Audience(MappingProxyType(dict(global_languages)), zone, home, "global", None, world,
                    override_timezone is not None)
