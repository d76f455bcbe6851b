"""Hypothesis profiles: reproducible in CI, seeds and failure blobs printed everywhere.

* ``ci`` (chosen when the ``CI`` environment variable is set, as ``.ci/run`` does):
  derandomized, so every run tries the same examples, and no example database, so a run
  does not depend on what an earlier run found.
* ``dev`` (otherwise): random examples, the local example database replays earlier failures
  first, and every failure prints the ``@reproduce_failure`` blob that replays it exactly.

``HYPOTHESIS_PROFILE=ci`` (or ``dev``) picks one explicitly. Tests that pass their own
``settings(...)`` inherit the chosen profile for everything they do not set.
"""

from __future__ import annotations

import os

from hypothesis import settings

# Built on Hypothesis's own "ci" profile (which also drops the deadline), stated here so the
# guarantee does not rest on a library default.
settings.register_profile(
    "ci", settings.get_profile("ci"), derandomize=True, database=None, print_blob=True
)
settings.register_profile("dev", settings.get_profile("default"), print_blob=True)


def profile_name() -> str:
    """The profile this run uses."""
    return os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")


settings.load_profile(profile_name())
