"""The history of a plan's runs, in SQLite beside the plan, for the trend and for analysts.

A run row is written as 'running' when a period starts and becomes 'ok' (or 'delivering') in ONE
transaction together with all its scores and metrics, so a process killed halfway leaves either
nothing or a complete run, never half a run. The tables are documented in docs/scheduling.md.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from audit.errors import ScheduleError
from audit.result.upgrade import upgrade_result
from audit.schedule.periods import PlanPeriod

MINISTRY = "_ministry"
DONE = ("ok", "delivering", "delivery_failed")
"""Statuses of a run whose audit is complete (its scores are in the history)."""
SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan         TEXT NOT NULL,
    period       TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    started      TEXT NOT NULL,
    finished     TEXT,
    status       TEXT NOT NULL
                 CHECK (status IN ('running', 'ok', 'failed', 'delivering', 'delivery_failed')),
    error        TEXT,
    pid          INTEGER,
    result_path  TEXT,
    outputs      TEXT,
    result       TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_period ON runs (plan, period);
CREATE TABLE IF NOT EXISTS accounts (
    run     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    account TEXT NOT NULL,
    name    TEXT,
    posts   INTEGER,
    score   REAL,
    grade   TEXT,
    verdict TEXT,
    PRIMARY KEY (run, account)
);
CREATE TABLE IF NOT EXISTS dimension_scores (
    run       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    account   TEXT NOT NULL,
    dimension TEXT NOT NULL,
    score     REAL,
    PRIMARY KEY (run, account, dimension)
);
CREATE TABLE IF NOT EXISTS metrics (
    run       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    account   TEXT NOT NULL,
    dimension TEXT NOT NULL,
    metric    TEXT NOT NULL,
    value     REAL,
    PRIMARY KEY (run, account, dimension, metric)
);
CREATE VIEW IF NOT EXISTS latest_runs AS
    SELECT * FROM runs WHERE id IN (
        SELECT max(id) FROM runs WHERE status IN ('ok', 'delivering', 'delivery_failed') GROUP BY plan, period);
"""


@dataclass(frozen=True)
class RunRow:
    """One row of the runs table, as status and the runner read it."""

    id: int
    period: str
    period_start: str
    period_end: str
    started: str
    finished: str | None
    status: str
    error: str | None
    result_path: str | None
    outputs: tuple[str, ...]


def utc_stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class History:
    """A plan's history database; use as a context manager so the connection is always closed."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA foreign_keys = ON")
        with self.transaction():
            _create_schema(self.db)

    def __enter__(self) -> History:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error: all of it lands or none of it."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # Writing ---------------------------------------------------------------------------------------

    def start_run(self, plan: str, period: PlanPeriod) -> int:
        """A 'running' row, committed at once: if the process dies, the next run sees it was not finished."""
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (plan, period, period_start, period_end, started, status, pid) "
                "VALUES (?, ?, ?, ?, ?, 'running', ?)",
                (plan, period.label, str(period.first_day), str(period.last_day), utc_stamp(), os.getpid()),
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, result: Mapping[str, Any], result_path: Path, outputs: list[Path],
                   status: str = "ok") -> None:
        """The run's scores, metrics, result and final status, in one transaction."""
        with self.transaction() as db:
            _insert_scores(db, run_id, result)
            db.execute(
                "UPDATE runs SET status = ?, finished = ?, error = NULL, result_path = ?, outputs = ?, result = ? "
                "WHERE id = ?",
                (status, utc_stamp(), str(result_path), json.dumps([str(p) for p in outputs]),
                 json.dumps(result, ensure_ascii=False), run_id),
            )

    def fail_run(self, run_id: int, error: str) -> None:
        self.set_status(run_id, "failed", error)

    def set_status(self, run_id: int, status: str, error: str | None = None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE runs SET status = ?, error = ?, finished = ? WHERE id = ?",
                       (status, error, utc_stamp(), run_id))

    def interrupt_stale(self, plan: str) -> int:
        """Close the rows of runs that were killed: only call this while holding the plan's lock."""
        with self.transaction() as db:
            audits = db.execute(
                "UPDATE runs SET status = 'failed', finished = ?, "
                "error = 'interrupted: the run stopped before it finished (killed or crashed)' "
                "WHERE plan = ? AND status = 'running'", (utc_stamp(), plan)).rowcount
            deliveries = db.execute(
                "UPDATE runs SET status = 'delivery_failed', "
                "error = 'interrupted: the run stopped while delivering' "
                "WHERE plan = ? AND status = 'delivering'", (plan,)).rowcount
        return int(audits + deliveries)

    # Reading ---------------------------------------------------------------------------------------

    def runs(self, plan: str) -> list[RunRow]:
        """Every run of the plan, oldest first."""
        rows = self.db.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE plan = ? ORDER BY id", (plan,))
        return [_run_row(r) for r in rows]

    def latest(self, plan: str) -> dict[str, RunRow]:
        """The most recent run of each period."""
        return {row.period: row for row in self.runs(plan)}

    def result_of(self, run_id: int) -> dict[str, Any]:
        (text,) = self.db.execute("SELECT result FROM runs WHERE id = ?", (run_id,)).fetchone()
        loaded: dict[str, Any] = upgrade_result(json.loads(text))  # runs stored by older versions too
        return loaded

    def results_before(self, plan: str, period: PlanPeriod, limit: int) -> list[tuple[str, dict[str, Any]]]:
        """(label, result) of the latest completed run of up to `limit` periods before `period`, oldest first."""
        rows = self.db.execute(
            "SELECT period, result FROM latest_runs WHERE plan = ? AND period_start < ? "
            "ORDER BY period_start DESC LIMIT ?", (plan, str(period.first_day), limit)).fetchall()
        return [(label, upgrade_result(json.loads(text))) for label, text in reversed(rows)]

    def previous_run(self, plan: str, period: PlanPeriod) -> RunRow | None:
        """The latest completed run of the nearest earlier period."""
        row = self.db.execute(
            f"SELECT {_RUN_COLUMNS} FROM latest_runs WHERE plan = ? AND period_start < ? "
            "ORDER BY period_start DESC LIMIT 1", (plan, str(period.first_day))).fetchone()
        return _run_row(row) if row else None


    def series(self, plan: str, metric: str | None, account: str | None) -> list[tuple[str, str, float | None]]:
        """(period, account, value) of a score, dimension score or metric over the plan's periods, in order."""
        metric = metric or "score"
        if metric == "score" or metric in self._names("SELECT DISTINCT dimension FROM dimension_scores"):
            self._check_account(plan, account or MINISTRY)
            return self._score_series(plan, metric, account or MINISTRY)
        dimension, name = self._metric_name(metric)
        if account is not None:
            self._check_account(plan, account)
        sql = ("SELECT r.period, m.account, m.value FROM metrics m JOIN latest_runs r ON r.id = m.run "
               "WHERE r.plan = ? AND m.metric = ? AND (? IS NULL OR m.dimension = ?) AND (? IS NULL OR m.account = ?) "
               "ORDER BY r.period_start, m.account")
        return list(self.db.execute(sql, (plan, name, dimension, dimension, account, account)))

    def _score_series(self, plan: str, dimension: str, account: str) -> list[tuple[str, str, float | None]]:
        if dimension == "score":
            sql = ("SELECT r.period, a.account, a.score FROM accounts a JOIN latest_runs r ON r.id = a.run "
                   "WHERE r.plan = ? AND a.account = ? ORDER BY r.period_start")
            return list(self.db.execute(sql, (plan, account)))
        sql = ("SELECT r.period, d.account, d.score FROM dimension_scores d JOIN latest_runs r ON r.id = d.run "
               "WHERE r.plan = ? AND d.account = ? AND d.dimension = ? ORDER BY r.period_start")
        return list(self.db.execute(sql, (plan, account, dimension)))

    def _metric_name(self, metric: str) -> tuple[str | None, str]:
        """'frequency.posts_per_week' or 'posts_per_week' (or 'language_shares.ja'), checked against the data."""
        dimension, _, rest = metric.partition(".")
        pairs: tuple[str | None, str] = (None, metric)
        if rest and dimension in self._names("SELECT DISTINCT dimension FROM metrics"):
            pairs = (dimension, rest)
        if pairs[1] not in self._names("SELECT DISTINCT metric FROM metrics"):
            known = ["score", *self._names("SELECT DISTINCT dimension FROM dimension_scores"),
                     *self._names("SELECT DISTINCT metric FROM metrics")]
            raise ScheduleError(f"no metric {metric!r} in the history; known: {', '.join(known) or 'none yet'}")
        return pairs

    def _check_account(self, plan: str, account: str) -> None:
        known = self._names("SELECT DISTINCT a.account FROM accounts a JOIN runs r ON r.id = a.run "
                            "WHERE r.plan = ?", (plan,))
        if account not in known:
            raise ScheduleError(f"no account {account!r} in the history of plan {plan}; "
                                f"known: {', '.join(known) or 'none yet (no run has finished)'}")

    def _names(self, sql: str, params: tuple[str, ...] = ()) -> list[str]:
        return sorted(str(name) for (name,) in self.db.execute(sql, params) if name is not None)


_RUN_COLUMNS = "id, period, period_start, period_end, started, finished, status, error, result_path, outputs"


def _run_row(row: tuple[Any, ...]) -> RunRow:
    run_id, period, start, end, started, finished, status, error, result_path, outputs = row
    return RunRow(id=run_id, period=period, period_start=start, period_end=end, started=started, finished=finished,
                  status=status, error=error, result_path=result_path,
                  outputs=tuple(json.loads(outputs)) if outputs else ())


def _create_schema(db: sqlite3.Connection) -> None:
    """The tables (statement by statement: executescript would commit the open transaction)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _insert_scores(db: sqlite3.Connection, run_id: int, result: Mapping[str, Any]) -> None:
    db.executemany("INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?)", list(_account_rows(run_id, result)))
    db.executemany("INSERT INTO dimension_scores VALUES (?, ?, ?, ?)", list(_dimension_rows(run_id, result)))
    db.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?)", list(_metric_rows(run_id, result)))


def _account_rows(run_id: int, result: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    m = result["ministry"]
    posts = sum(a.get("posts") or 0 for a in result["accounts"])
    yield (run_id, MINISTRY, m.get("name"), posts, m.get("score"), m.get("grade"), m.get("verdict"))
    for a in result["accounts"]:
        yield (run_id, a["id"], a.get("name"), a.get("posts"), a.get("score"), a.get("grade"), a.get("verdict"))


def _dimension_rows(run_id: int, result: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    for dimension, score in (result["ministry"].get("dimensions") or {}).items():
        yield (run_id, MINISTRY, dimension, score)
    for a in result["accounts"]:
        for dimension, body in a["dimensions"].items():
            yield (run_id, a["id"], dimension, body.get("score"))


def _metric_rows(run_id: int, result: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    for a in result["accounts"]:
        for dimension, body in a["dimensions"].items():
            for metric, value in numeric_metrics(body.get("metrics") or {}):
                yield (run_id, a["id"], dimension, metric, value)


def numeric_metrics(metrics: dict[str, Any]) -> Iterator[tuple[str, float]]:
    """Numbers as they are, tables of numbers one level deep as name.key (language_shares.ja); lists skipped."""
    for name, value in metrics.items():
        if _is_number(value):
            yield name, float(value)
        elif isinstance(value, dict):
            yield from ((f"{name}.{key}", float(v)) for key, v in value.items() if _is_number(v))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
