"""A replay server for the three crisis feeds, built from the recorded answers in samples/live/.

USGS answers its FDSN query with a recorded FeatureCollection; GDACS's SEARCH answers with the
recorded `geteventdata` Features of the asked hazard that overlap the asked days (no SEARCH
answer was recorded, so its FeatureCollection is derived from them); ReliefWeb pages the recorded
v2 disaster (and records derived from it) by `offset` and `limit`, and refuses a wrong appname
with 403. Events derived for the joins say so where they are made.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.live.fakes import FakeApi, recorded

APPNAME = "examplia-mfa-audit-Xq7Tz9"
USGS_NORTHRIDGE = "usgs/fdsnws_event_query__geojson_northridge_1994.json"
GDACS_FLOODS = ("gdacs/geteventdata__FL_1102983_2024_red.json", "gdacs/getepisodedata__FL_1102983_ep1_2025.json")
GDACS_OTHERS = ("gdacs/geteventdata__DR_1016449_2026.json", "gdacs/geteventdata__TC_1001253_2026.json",
                "gdacs/geteventdata__WF_1028649_2026.json")
RELIEFWEB_CHAD = "reliefweb/v2_disasters_52429.json"


def reliefweb_spain_flood() -> dict[str, Any]:
    """Derived: the recorded Chad record made into the 2024 Spain flood, with GDACS's GLIDE number."""
    item = copy.deepcopy(recorded(RELIEFWEB_CHAD)["data"][0])
    fields = item["fields"]
    item["id"] = "52001"
    spain = {"id": 220, "name": "Spain", "shortname": "Spain", "iso3": "esp", "primary": True}
    flood = {"id": 4611, "name": "Flood", "code": "FL", "primary": True}
    fields.update(id=52001, name="Spain: Floods - Oct 2024", glide="FL-2024-000199-ESP", primary_country=spain,
                  country=[spain], primary_type=flood, type=[flood])
    fields["date"] = {"event": "2024-10-29T00:00:00+00:00"}
    return item


def gdacs_northridge() -> dict[str, Any]:
    """Derived: a GDACS earthquake at the time and place of the recorded USGS Northridge quake, no GLIDE."""
    feature = copy.deepcopy(recorded(GDACS_FLOODS[1]))
    props = feature["properties"]
    props.update(eventtype="EQ", eventid=1000001, glide="", name="Earthquake in United States",
                 alertlevel="Orange", country="United States", iso3="USA", fromdate="1994-01-17T12:31:00",
                 todate="1994-01-17T12:31:00", affectedcountries=[{"iso2": "US", "iso3": "USA"}])
    return feature


class FakeFeeds(FakeApi):
    """USGS, GDACS and ReliefWeb on one server; each feed's content can be replaced by a test."""

    def __init__(self) -> None:
        super().__init__()
        self.usgs: dict[str, Any] = recorded(USGS_NORTHRIDGE)
        self.gdacs: list[dict[str, Any]] = [recorded(name) for name in (*GDACS_FLOODS, *GDACS_OTHERS)]
        self.reliefweb: list[dict[str, Any]] = [recorded(RELIEFWEB_CHAD)["data"][0], reliefweb_spain_flood()]

    def route(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/fdsnws/event/1/query":
            return httpx.Response(200, json=self.usgs)
        if path == "/gdacsapi/api/events/geteventlist/SEARCH":
            return httpx.Response(200, json=self.search(request.url.params))
        if path == "/v2/disasters":
            if request.url.params.get("appname") != APPNAME:
                return httpx.Response(403, json={"status": 403, "error": {"type": "AccessDeniedException"}})
            return httpx.Response(200, json=self.disasters(request.url.params))
        return httpx.Response(404)

    def search(self, params: httpx.QueryParams) -> dict[str, Any]:
        first = datetime.fromisoformat(params["fromDate"]).replace(tzinfo=UTC)
        last = datetime.fromisoformat(params["toDate"] + "T23:59:59").replace(tzinfo=UTC)
        features = [f for f in self.gdacs if f["properties"]["eventtype"] == params["eventlist"]
                    and _utc(f["properties"]["fromdate"]) <= last and _utc(f["properties"]["todate"]) >= first]
        return {"type": "FeatureCollection", "features": features}

    def disasters(self, params: httpx.QueryParams) -> dict[str, Any]:
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 1000))
        page = self.reliefweb[offset:offset + limit]
        return {"totalCount": len(self.reliefweb), "count": len(page), "data": page}


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
