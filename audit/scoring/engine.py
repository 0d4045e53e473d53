"""The audit pipeline: collect -> detect languages -> signals -> metrics -> scores -> AuditResult.

Each stage is a plain function with a typed value in between, so a notebook can run any of them.
`run_audit` returns the AuditResult of DESIGN.md (typed in :mod:`audit.result.types`, schema_version 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from audit.accounts import Account, AccountsFile, load_accounts
from audit.enrich.audience import Audience, audience_for
from audit.enrich.labels import FOREIGN_AUDIENCES
from audit.enrich.langid import (
    MALAY_INDONESIAN,
    MODEL_NAME,
    language_facts,
    language_facts_by,
    ms_id_read_by,
)
from audit.enrich.lexicons import SignalTerms, all_lexicon_masks
from audit.enrich.signals import Addressees, add_signals_all, with_local_time
from audit.enrich.stage import with_languages
from audit.errors import AuditError, InputError
from audit.events.loading import load_events
from audit.events.matching import first_responses
from audit.events.model import Event, concerns
from audit.posts.collect import CollectResult, collect_accounts
from audit.posts.store import collector_gaps
from audit.result.types import AccountResult, AuditResult
from audit.result.upgrade import SCHEMA_VERSION
from audit.scoring.allpoints import AccountPoints, all_points
from audit.scoring.allunits import AccountUnits, all_units, with_units
from audit.scoring.assemble import (
    WeeklySeries,
    account_result,
    coverage,
    event_dict,
    ministry_result,
    traceable_posts,
    weekly_series,
    weekly_series_by,
)
from audit.scoring.confidence import Samples
from audit.scoring.metrics.depth import words_of
from audit.scoring.metrics.measures import (
    AccountData,
    Hole,
    MetricSettings,
    Period,
    data_holes,
    data_holes_by,
    holes_from_gaps,
    union_holes,
)
from audit.scoring.rubric.loading import load_rubric
from audit.scoring.rubric.model import DEFAULT_RUBRIC_ID, Rubric
from audit.scoring.selection import (
    LANGUAGE_FACT_COLUMNS,
    RESPONSE_READS,
    authored_by_account,
    authored_of,
    authored_posts,
    in_account_order,
    period_reads,
    split_accounts,
)
from audit.scoring.selection import of_period as of_period
from audit.scoring.selection import within as _in
from audit.scoring.snapshot import rubric_info
from audit.sources.machine import usable_cores
from audit.version import __version__

Progress = Callable[[str], None]
SCORE_THREADS_ENV = "AUDIT_SCORE_THREADS"
EnrichedSink = Callable[[pl.DataFrame], None]
"""Receives each account's enriched posts of the period (for `audit run --posts-out`)."""


@dataclass(frozen=True)
class AuditRequest:
    """Everything an audit needs besides the exports themselves."""

    accounts: AccountsFile
    rubric: Rubric
    events: tuple[Event, ...] = ()
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Counted:
    """What is counted once for the posts of every account (issue 13: one query for all of them, where one per
    account cost tens of small queries each), looked up by account id; counted for one account alone where
    the account has no posts in the period."""

    languages: dict[object, dict[str, int | float | None]]
    holes: dict[object, tuple[Hole, ...]]
    units: dict[str, AccountUnits] = field(default_factory=dict)  # the bootstrap's, every account's (allunits)
    points: dict[str, AccountPoints] = field(default_factory=dict)  # the point metrics' fixed aggregates (allpoints)
    weekly: dict[object, WeeklySeries] = field(default_factory=dict)  # the charts' weeks and kinds (weekly_series_by)

    @classmethod
    def of(cls, signalled: pl.DataFrame, period: Period, request: AuditRequest, ordered: bool = False) -> Counted:
        """Counted from the few columns the counts read: filtering the whole table would copy every column of
        every account's posts (the text among them) only to count languages. `ordered`: each account's posts
        lie together in time order (`in_account_order`), so the grouped queries need no sort."""
        read = [c for c in (*LANGUAGE_FACT_COLUMNS, "account_id", "published_at", "kind") if c in signalled.columns]
        holes, empty = data_holes_by(signalled, "account_id", period), signalled.clear()
        plans = {a.id: account_data(request, a, period, holes_of(a, empty, period, cls({}, holes)), empty, empty)
                 for a in request.accounts.accounts if a.id in holes}
        counts = signalled.select(read).filter(_in(period))
        return cls(language_facts_by(counts, "account_id"), holes,
                   all_units(signalled.lazy().filter(_in(period)), plans, ordered),
                   all_points(signalled.lazy().filter(_in(period)), plans, ordered), weekly_series_by(counts, period))

    def with_units(self, account_id: str, data: AccountData) -> AccountData:
        """`data` with its rows of what was counted for every account: its units, its point aggregates."""
        shared = with_units(data, self.units.get(account_id))
        if (points := self.points.get(account_id)) is not None:
            points.fill(shared)
        return shared

    def language_facts(self, account_id: str, in_period: pl.DataFrame) -> dict[str, int | float | None]:
        found = self.languages.get(account_id)
        return found if found is not None else language_facts(in_period)

    def weekly_series(self, account_id: str, in_period: pl.DataFrame, period: Period) -> WeeklySeries:
        found = self.weekly.get(account_id)
        return found if found is not None else weekly_series(in_period, period)

    def data_holes(self, account_id: str, in_period: pl.DataFrame, period: Period) -> tuple[Hole, ...]:
        found = self.holes.get(account_id)
        return found if found is not None else data_holes(in_period["published_at"], period)


def audit_files(accounts: Path, *, events: Path | None = None, rubric: str | Path = DEFAULT_RUBRIC_ID,
                since: date | None = None, until: date | None = None, progress: Progress | None = None,
                enriched: EnrichedSink | None = None) -> AuditResult:
    """Audit the accounts of an accounts file, with an events file and a rubric id or file."""
    request = AuditRequest(accounts=load_accounts(accounts), rubric=load_rubric(rubric),
                           events=load_events(events) if events else (), since=since, until=until)
    return run_audit(request, progress, enriched)


def run_audit(request: AuditRequest, progress: Progress | None = None,
              enriched: EnrichedSink | None = None) -> AuditResult:
    """Run the whole audit and return the AuditResult."""
    say = progress or (lambda _msg: None)
    say("Reading exports")
    collected = collect_accounts(request.accounts)
    return audit_collected(request, collected, say, enriched)


def audit_collected(request: AuditRequest, collected: CollectResult, say: Progress,
                    enriched: EnrichedSink | None = None) -> AuditResult:
    """Score posts that were already collected (the API for callers that collect themselves)."""
    period = resolve_period(collected.posts, request.since, request.until)
    settings = request.rubric.settings
    say(f"Detecting languages of {collected.posts.height} posts")
    posts = with_languages(collected.posts, settings.min_detect_letters, settings.min_detect_confidence,
                           settings.trust_declared_below, terms=signal_terms(request))
    posts = with_lexicon_masks(request, posts)
    samples: dict[str, Samples] = {}
    accounts = score_accounts(request, posts, period, collected, say, enriched, samples)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "diplomacy-audit", "version": __version__},
        "rubric": rubric_info(request.rubric),
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "period": period.as_dict(),
        "ministry": ministry_result(request.accounts.ministry, accounts, request.rubric, samples),
        "accounts": accounts,
        "events": [event_dict(e) for e in request.events],
        "language_detection": {"model": MODEL_NAME, **language_facts(posts)},
        "coverage": coverage(collected, posts, period, request.accounts, accounts),
    }


def score_accounts(request: AuditRequest, posts: pl.DataFrame, period: Period, collected: CollectResult,
                   say: Progress, enriched: EnrichedSink | None, samples: dict[str, Samples]) -> list[AccountResult]:
    """Every account scored, several at a time on threads (polars releases the GIL while it works, and an
    account's polars queries are too small to fill the cores alone). Results, progress lines and enriched
    posts come out in the accounts file's order whatever order the threads finish in."""
    count = len(request.accounts.accounts)
    say(f"Scoring {count} account{'s' if count != 1 else ''}")
    signalled = with_signals(request, posts).with_columns(words_of())  # every post's words at once, not per account
    authored = authored_of(signalled, period) if request.events else signalled.clear().select(RESPONSE_READS)
    answered = responses_for(request.accounts.accounts, authored, request.events, request, period)
    del authored  # a copy of every account's authored text, kept only while the responses are matched
    answers = answered.partition_by("account_id", as_dict=True, maintain_order=True)
    ordered = in_account_order(signalled)  # as reading leaves them: no sort anywhere below
    counted = Counted.of(signalled, period, request, ordered)
    written = authored_by_account(signalled, period, ordered)
    by_account = split_accounts(period_reads(signalled, keep_all=enriched is not None), ordered)
    empty = signalled.clear()
    no_posts = (authored_posts(empty, period)[0], 0)  # an account with no authored post in the period
    del signalled  # the accounts' tables hold the rows: the whole signalled table would only add memory

    def one(account: Account) -> tuple[AccountResult, list[pl.DataFrame]]:
        frames: list[pl.DataFrame] = []
        mine = by_account.pop(account.id, empty)  # let go once scored: not every account's table to the end
        sink = frames.append if enriched is not None else None
        responses = answers.get((account.id,), answered.clear())
        return audit_account(request, account, mine, responses, period, collected, sink, samples, counted,
                             written.pop(account.id, no_posts)), frames

    results: list[AccountResult] = []
    deliver = enriched or (lambda _frame: None)
    with ThreadPoolExecutor(max_workers=score_threads()) as pool:
        for account, (result, frames) in zip(request.accounts.accounts, pool.map(one, request.accounts.accounts),
                                             strict=True):
            say(f"Scored {account.id}")
            results.append(result)
            for frame in frames:
                deliver(frame)
    return results


def score_threads() -> int:
    """AUDIT_SCORE_THREADS, else one thread per usable core. Measured when an account ran some 16 polars
    queries, 2 threads on 2 cores took the 200-account scoring from 17.1 to 11.4 s; now that it runs 1 and
    its time is numpy's and Python's, they gain nothing (1M posts over 200 accounts: 11.4-12.0 s either way)
    and lose a little on small accounts (200,000 posts: 3.9 against 3.5 s): worth measuring again."""
    configured = os.environ.get(SCORE_THREADS_ENV, "").strip()
    if configured and (not configured.isdigit() or int(configured) < 1):
        raise AuditError(f"{SCORE_THREADS_ENV}={configured!r}: expected a whole number of threads, 1 or more")
    return int(configured) if configured else usable_cores()


def resolve_period(posts: pl.DataFrame, since: date | None, until: date | None) -> Period:
    """--since/--until (inclusive UTC days), or from the first to the last post in the data."""
    if (since is None or until is None) and posts.is_empty():
        raise InputError("period", "no posts to take the period from; pass --since and --until")
    first = since or posts["published_at"].min().date()  # type: ignore[union-attr]
    last = until or posts["published_at"].max().date()  # type: ignore[union-attr]
    if last < first:
        raise InputError("period", f"expected --until ({last}) on or after --since ({first})")
    return Period(first, last)


def audience_of(request: AuditRequest, account: Account) -> Audience:
    settings = request.rubric.settings
    return audience_for(
        home_country=request.accounts.ministry.country, host_country=account.host_country,
        global_languages=settings.global_audience, min_share=settings.audience_language_min_share,
        override_languages=account.audience_languages, override_timezone=account.timezone,
    )


def with_lexicon_masks(request: AuditRequest, posts: pl.DataFrame) -> pl.DataFrame:
    """Every account's lexicon matches in one pass (`all_lexicon_masks`), each post in its language as its
    own account reads it: Malay and Indonesian merged for an audience that reads one of them."""
    lang = posts.select(read_lang(request)).to_series()
    return all_lexicon_masks(posts, lang, signal_terms(request))


def read_lang(request: AuditRequest) -> pl.Expr:
    """`lang` as each post's own account reads it: `merge_ms_id` with that account's audience."""
    reads = {a.id: r for a in request.accounts.accounts
             if (r := ms_id_read_by(set(audience_of(request, a).languages))) is not None}
    target = pl.col("account_id").replace_strict(reads, default=None, return_dtype=pl.String)
    merged = pl.when(pl.col("lang").is_in(list(MALAY_INDONESIAN)) & target.is_not_null()).then(target)
    return merged.otherwise(pl.col("lang")).alias("lang")


def with_signals(request: AuditRequest, posts: pl.DataFrame) -> pl.DataFrame:
    """Every account's posts with `add_signals`'s columns in one pass (`add_signals_all`: issue 13, one pass
    instead of one per account), `lang` merged for Malay and Indonesian as each account's audience reads it;
    `audience_local_time` is still UTC (`audit_account` converts it to the account's zone)."""
    audiences = {a.id: audience_of(request, a) for a in request.accounts.accounts}
    return add_signals_all(posts.with_columns(read_lang(request)), audiences, signal_terms(request),
                           addressees(request.accounts, None))


def signal_terms(request: AuditRequest) -> SignalTerms:
    """The rubric's lexicons, with the cultural terms of the ministry's country."""
    rubric = request.rubric
    return SignalTerms.from_tables(rubric.lexicons, rubric.cultural_terms(request.accounts.ministry.country))


def audit_account(request: AuditRequest, account: Account, signalled: pl.DataFrame, answered: pl.DataFrame,
                  period: Period, collected: CollectResult, enriched: EnrichedSink | None = None,
                  samples: dict[str, Samples] | None = None, counted: Counted | None = None,
                  written: tuple[pl.DataFrame, int] | None = None) -> AccountResult:
    """Measure and score one account, from its posts signalled by `with_signals` and its `responses_for`
    every event (its bootstrap resamples kept in `samples` when given; `counted`: what was counted once for
    every account, else counted for this one; `written`: its `authored_posts`, made for every account at
    once, else made here; without `enriched`, `signalled` may hold only the columns of `PERIOD_READS`)."""
    audience = audience_of(request, account)
    rubric, counted = request.rubric, counted or Counted({}, {})
    authored, repeats = written if written is not None else authored_posts(signalled, period)
    authored = with_local_time(authored, audience)
    keep_all = enriched is not None
    in_period = of_period(with_local_time(signalled, audience) if keep_all else period_reads(signalled, False), period)
    events, holes = concerning(request, account), holes_of(account, in_period, period, counted)
    unseen = events_in_holes(events, holes, rubric.settings.response_window_hours)
    responses = answered.filter(~pl.col("event_id").is_in([e.id for e in unseen])) if unseen else answered
    data = account_data(request, account, period, holes, authored, responses, unseen)
    result = account_result(account, counted.with_units(account.id, data),
                            counted.weekly_series(account.id, in_period, period), rubric,
                            len(collected.skipped_for(account.id)), samples)
    result["events_in_holes"] = [e.id for e in unseen]
    result["language_detection"] = counted.language_facts(account.id, in_period)
    result["templated_repeats"] = repeats
    if enriched is not None:
        enriched(traceable_posts(in_period, responses))
    return result


def account_data(request: AuditRequest, account: Account, period: Period, holes: tuple[Hole, ...],
                 authored: pl.DataFrame, responses: pl.DataFrame, unseen: Sequence[Event] = ()) -> AccountData:
    """What an account's metrics read; without posts (empty tables), the plan `Counted.of` counts every
    account's units and point aggregates from, which an account's own data must match to read them."""
    transitions = tuple(e for e in concerning(request, account) if e.type == "transition")
    return AccountData(authored, period, audience_of(request, account), responses, transitions,
                       _metric_settings(request.rubric), holes=holes, unseen=tuple(unseen))


def holes_of(account: Account, in_period: pl.DataFrame, period: Period,
             counted: Counted | None = None) -> tuple[Hole, ...]:
    """The holes coverage.gaps lists for the account: stretches of 30 days or more with no data at all, and
    the days a live collector could not see. Cadence leaves them out: no data is not a silence (issue 9)."""
    seen = collector_gaps(account, period.start_at, period.end_before)
    found = (counted or Counted({}, {})).data_holes(account.id, in_period, period)
    return union_holes(found, holes_from_gaps(seen))


def events_in_holes(events: Sequence[Event], holes: Sequence[Hole], window_hours: float) -> list[Event]:
    """Crisis and opportunity events whose whole response window lies in a hole in the export: whether the
    account answered cannot be seen, so they are left out of crisis responsiveness, not counted as missed.
    Holes lie inside the period, so these events start in it."""
    window = timedelta(hours=window_hours)
    return [e for e in events if e.type != "transition" and any(h.holds(e.start, e.start + window) for h in holes)]


def addressees(accounts: AccountsFile, account: Account | None) -> Addressees:
    """The account's own handle, its siblings' (mentions of them are pointers) and the ministry's peers.
    Without an account, every handle of the file as a sibling: what each account's own and siblings'
    handles add up to (`with_signals`)."""
    siblings = tuple(a.handle for a in accounts.accounts if a.handle and (account is None or a.id != account.id))
    return Addressees(account.handle if account else None, siblings, accounts.ministry.peers)


def concerning(request: AuditRequest, account: Account) -> tuple[Event, ...]:
    """Events that concern the account (DESIGN.md's rule); a change of government at home concerns every
    account of the ministry, embassies included, since their continuity is what the transition tests."""
    home = request.accounts.ministry.country
    return tuple(e for e in request.events
                 if concerns(e, account.host_country, home) or (e.type == "transition" and home in e.countries))


def responses_for(accounts: Sequence[Account], authored: pl.DataFrame, events: Sequence[Event],
                  request: AuditRequest, period: Period) -> pl.DataFrame:
    """First responses of the accounts (one, or all in one pass) to the crisis and opportunity events that
    concern each and start in the period.

    Responses are split by whom they serve (issue 9): only posts addressed to a foreign public
    (host, global, peers) answer an event as public diplomacy and earn the crisis score; posts to
    nationals abroad or the home public are care for nationals, reported beside it in the `care_*`
    columns. A Korean-only safety notice in Japan is consular care, not public diplomacy.
    """
    period_events = [e for e in events
                     if e.type != "transition" and period.start_at <= e.start < period.end_before]
    hosts = {account.id: account.host_country for account in accounts}

    def answers(posts: pl.DataFrame) -> pl.DataFrame:
        return first_responses(posts, period_events, hosts, request.accounts.ministry.country,
                               window_hours=request.rubric.settings.response_window_hours)

    foreign = pl.col("audience").is_in(FOREIGN_AUDIENCES)
    care = answers(authored.filter(~foreign)).select(
        "account_id", "event_id", pl.col("first_post_id").alias("care_first_post_id"),
        pl.col("first_response_hours").alias("care_first_response_hours"),
        pl.col("matched_post_ids").alias("care_matched_post_ids"))
    return answers(authored.filter(foreign)).join(care, on=["account_id", "event_id"], how="left",
                                                  maintain_order="left")


def _metric_settings(rubric: Rubric) -> MetricSettings:
    s = rubric.settings
    return MetricSettings(waking_hours=(s.waking_hours[0], s.waking_hours[1]),
                          follow_up_window_hours=s.follow_up_window_hours)
