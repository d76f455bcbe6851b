""" "Not relevant" feedback: per-user term weights that halve per press, reversibly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from bot.matching.profile import Profile

FACTOR = 0.5  # each press multiplies the term's weight by this
FLOOR = 0.1  # a term never weighs less than this
FEEDBACK_CODES = ("skill", "implied", "related")  # reasons whose terms a press lowers


class HasTerm(Protocol):
    """A reason: a code and parameters (see score.Reason)."""

    code: str

    def get(self, name: str, default: object = None) -> object:
        """A parameter's value."""


def term_weight(feedback: Mapping[str, int], term: str) -> float:
    """The user's weight for a term: 1.0, halved per press, never below FLOOR."""
    presses = feedback.get(term, 0)
    return 1.0 if presses <= 0 else max(FLOOR, FACTOR**presses)


def matched_terms(reasons: Iterable[HasTerm]) -> list[str]:
    """The terms a match's reasons name (the ones a press will lower)."""
    out = [str(r.get("term")) for r in reasons if r.code in FEEDBACK_CODES and r.get("term")]
    return list(dict.fromkeys(out))


def not_relevant(profile: Profile, reasons: Iterable[HasTerm]) -> Profile:
    """The profile after a "Not relevant" press on an alert with these reasons."""
    counts = dict(profile.feedback)
    for term in matched_terms(reasons):
        counts[term] = counts.get(term, 0) + 1
    return profile.with_feedback(counts)


def undo_not_relevant(profile: Profile, reasons: Iterable[HasTerm]) -> Profile:
    """The profile with one earlier press on an alert with these reasons taken back."""
    counts = dict(profile.feedback)
    for term in matched_terms(reasons):
        if counts.get(term, 0) > 0:
            counts[term] -= 1
    return profile.with_feedback(counts)


def downweighted_terms(profile: Profile) -> list[tuple[str, float]]:
    """The user's lowered terms with their weights, lowest weight first."""
    items = [(t, term_weight(profile.feedback, t)) for t, n in profile.feedback.items() if n > 0]
    return sorted(items, key=lambda item: (item[1], item[0]))
