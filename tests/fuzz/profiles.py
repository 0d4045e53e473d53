"""Hypothesis profiles for the fuzz tests: "ci" (the default, bounded) and "long" (`make fuzz`).

    HYPOTHESIS_PROFILE=long pytest tests/fuzz     # what `make fuzz` runs (1,000 examples a test)
    FUZZ_EXAMPLES=300 HYPOTHESIS_PROFILE=long ...  # another count

Examples are generated from a fixed seed in "ci" (derandomize), so a CI failure reproduces on any
machine; "long" explores new examples every run. Neither keeps a database of examples in the
checkout.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "database": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}

settings.register_profile("ci", max_examples=25, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")), **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ = settings(settings.get_profile(PROFILE if PROFILE in ("ci", "long") else "ci"))
"""The decorator every fuzz test carries: the chosen profile, without touching other tests' settings."""
