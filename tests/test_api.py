"""The public API is what `audit.__all__` says: every name in it exists, none twice."""

from __future__ import annotations

import audit


def test_every_public_name_exists_once():
    assert len(set(audit.__all__)) == len(audit.__all__)
    for name in audit.__all__:
        assert getattr(audit, name) is not None
