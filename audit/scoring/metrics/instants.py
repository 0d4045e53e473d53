"""Instants and keys as numbers, read without a polars query (issue 13: a query an account waits for polars'
threads)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pyarrow.compute as pc

WEEK_US = 7 * 86_400_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def microseconds(times: pl.Series) -> np.ndarray:
    """Datetimes as int64 microseconds since the epoch, through numpy's view of the column: no copy for the
    usual microsecond column (polars' own casts cost 0.1 ms a call, more than the rest of a metric)."""
    return times.to_numpy().astype("datetime64[us]", copy=False).view(np.int64)


def epoch_micros(at: datetime) -> int:
    """An aware datetime in microseconds since the epoch, exactly (no float seconds)."""
    return (at - _EPOCH) // timedelta(microseconds=1)


def weeks_since(times: pl.Series, start: datetime) -> np.ndarray:
    """Each time's week counted from `start` (7-day blocks; 0 for the first), as `measures.week_of` counts
    those of the period's posts."""
    return (microseconds(times) - epoch_micros(start)) // WEEK_US


def first_of_each(keys: pl.Series) -> np.ndarray:
    """The rows where each value of `keys` first appears, in row order: Arrow's dictionary numbers the values
    in order of first appearance, so the first row of each number is the first of its value (a null is one
    value, numbered -1, as polars' `unique` counts it)."""
    codes = pc.fill_null(pc.dictionary_encode(keys.to_arrow()).indices, -1).to_numpy(zero_copy_only=False)
    return np.sort(np.unique(codes, return_index=True)[1])
