"""What the machine gives the stages (audit.sources.machine): the cores they size their threads and processes
by, and memory a stage freed given back to the system."""

from __future__ import annotations

import os

import pytest

from audit.sources import machine


def test_the_usable_cores_are_those_the_process_may_run_on():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert machine.usable_cores() == expected >= 1


def test_without_an_affinity_the_machines_cores_count(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert machine.usable_cores() == 1  # a platform that cannot tell: one core, never zero


def test_freed_memory_is_given_back_without_error_wherever_it_runs():
    machine.release_free_memory()
    machine.release_free_memory()  # again: nothing left to give is not an error
