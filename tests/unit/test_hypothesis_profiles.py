"""The run uses the Hypothesis profile its environment asks for."""

from __future__ import annotations

import os

from hypothesis import settings

from tests.hypothesis_profiles import profile_name


def test_the_chosen_profile_is_loaded() -> None:
    expected = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    assert profile_name() == expected
    active = settings.default
    assert active.print_blob is True
    if expected == "ci":
        assert active.derandomize is True and active.database is None
    else:
        assert active.derandomize is False and active.database is not None


def test_ci_profile_is_reproducible() -> None:
    ci = settings.get_profile("ci")
    assert (ci.derandomize, ci.database, ci.print_blob) == (True, None, True)
