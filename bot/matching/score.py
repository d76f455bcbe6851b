"""Score a gig for one user, 0–100, from skill fit, budget fit and micro-gig fit, with reasons."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from bot.matching.facts import GigFacts
from bot.matching.feedback import term_weight
from bot.matching.gigtext import GigText
from bot.matching.terms import Term

SKILL_POINTS = 80  # for a perfect skill fit (the user's own phrase in the title)
FIELD_WEIGHT = {"title": 1.0, "tags": 0.9, "text": 0.75}
LONG_TEXT_WEIGHT = 0.65  # the text field of a long job post counts less
WEAK_EVIDENCE = 0.5  # in a long post: a lone word in the text, or a term seen only once
# A term covering only part of a tag ("data analysis" in "Data Analysis & Reporting"): a
# board's long skill labels list soft and side skills, so alone it is not enough to match.
TAG_PART_WEIGHT = 0.5
FULL_TAG_WEIGHT_UPTO = 10  # tag-stuffed listings: tags count less beyond this many
MIN_FIT = 0.5  # a skill matches only when its fit reaches this
EXTRA_SKILL_POINTS, EXTRA_SKILL_MAX = 5, 10
RELATED_POINTS, RELATED_MAX, RELATED_REASONS = 3, 9, 3
BUDGET_HIGH_POINTS, BUDGET_OK_POINTS = 6, 3
SCOPE_POINTS, DEADLINE_POINTS, FEW_BIDS_POINTS = 4, 3, 3
_FIT_ORDER = itemgetter(0, 1)  # best fit first, then by skill key


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a gig matched: a code plus parameters, rendered per language by explain.describe."""

    code: str
    params: tuple[tuple[str, str | int], ...] = ()

    @classmethod
    def make(cls, code: str, **params: str | int) -> Reason:
        """A reason from keyword parameters."""
        return cls(code, tuple(params.items()))

    def get(self, name: str, default: object = None) -> object:
        """A parameter's value."""
        return next((v for k, v in self.params if k == name), default)

    def as_dict(self) -> dict[str, str | int]:
        """A JSON-ready form to keep with the alert: {"code": …, **params}."""
        return {"code": self.code, **dict(self.params)}


@lru_cache(maxsize=65_536)
def _related_reason(skill: str, term: str) -> Reason:
    """A shared "related" reason (they repeat across users and gigs)."""
    return Reason.make("related", skill=skill, term=term)


@lru_cache(maxsize=65_536)
def skill_reason(skill: str, term: str, field: str, via: str | None = None) -> Reason:
    """A shared "skill" reason, or "implied" one with `via` (they repeat across gigs)."""
    if via is not None:
        return Reason.make("implied", skill=skill, term=term, field=field, via=via)
    return Reason.make("skill", skill=skill, term=term, field=field)


class Match(NamedTuple):
    """One user a gig is for, how well it fits (0–100) and why."""

    user_id: int
    score: int
    reasons: tuple[Reason, ...]


class StrongHit(NamedTuple):
    """A strong term found in a gig field; `repeated`: seen twice or more outside the title."""

    term: Term
    weight: float
    field: str
    repeated: bool = False
    via: str | None = None  # the narrower skill that implies this one ("React" for JavaScript)


@dataclass(frozen=True, slots=True)
class SkillHits:
    """Where one compiled skill's terms occur in a gig (strong hits in the skill's term order)."""

    key: str
    strong: tuple[StrongHit, ...]
    weak: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class GigScoring:
    """The gig-level inputs of every user's score: field weights and micro-gig fit."""

    field_weight: Mapping[str, float]
    long_text: bool
    micro_points: int
    micro_reasons: tuple[Reason, ...]
    facts: GigFacts


def gig_scoring(text: GigText, facts: GigFacts) -> GigScoring:
    """Compute the gig-level parts of the score once per gig."""
    weights = dict(FIELD_WEIGHT)
    if text.long_text:
        weights["text"] = LONG_TEXT_WEIGHT
    if text.n_tags > FULL_TAG_WEIGHT_UPTO:
        weights["tags"] *= FULL_TAG_WEIGHT_UPTO / text.n_tags
    points, reasons = 0, []
    if facts.scope_word:
        points += SCOPE_POINTS
        reasons.append(Reason.make("scope", term=facts.scope_word))
    if facts.short_deadline:
        points += DEADLINE_POINTS
        reasons.append(Reason.make("short_deadline", days=facts.deadline_days or 0))
    if facts.few_bids:
        points += FEW_BIDS_POINTS
        reasons.append(Reason.make("few_bids", bids=facts.bids or 0))
    return GigScoring(weights, text.long_text, points, tuple(reasons), facts)


def budget_part(facts: GigFacts, min_base: Decimal | None) -> tuple[int, Reason | None]:
    """Budget fit: more points when the gig pays at least twice the user's minimum."""
    if facts.amount_base is None:
        return 0, None
    high = min_base is not None and facts.amount_base >= 2 * min_base
    reason = Reason.make(
        "budget",
        min=str(facts.budget_min) if facts.budget_min is not None else "",
        max=str(facts.budget_max) if facts.budget_max is not None else "",
        currency=facts.currency or "",
        type=facts.budget_type,
        fit="high" if high else "ok",
    )
    return (BUDGET_HIGH_POINTS if high else BUDGET_OK_POINTS), reason


def evidence_factor(gig: GigScoring, field: str, words: int, repeated: bool) -> float:
    """What a strong term found in `field` counts for: a job post mentions many things once,
    so outside a long post's title a lone word in its text, and a term seen only once, each
    count half."""
    if not gig.long_text or field == "title":
        return 1.0
    factor = 1.0
    if field == "text" and words == 1:
        factor *= WEAK_EVIDENCE
    if not repeated:
        factor *= WEAK_EVIDENCE
    return factor


def skill_fit(
    hits: SkillHits, gig: GigScoring, feedback: Mapping[str, int]
) -> tuple[float, StrongHit] | None:
    """The best strong hit of a skill and its fit (0–1), or None below MIN_FIT."""
    best: tuple[float, StrongHit] | None = None
    for hit in hits.strong:
        fit = gig.field_weight[hit.field] * hit.weight
        fit *= evidence_factor(gig, hit.field, len(hit.term.words), hit.repeated)
        if feedback:
            fit *= term_weight(feedback, hit.term.text)
        if best is None or fit > best[0]:
            best = (fit, hit)
    return best if best is not None and best[0] >= MIN_FIT else None


SkillPart = tuple[int, tuple[Reason, ...], tuple[str, ...]]


def skill_entry(
    hits: SkillHits, gig: GigScoring, feedback: Mapping[str, int]
) -> tuple[float, StrongHit, Reason] | None:
    """A skill's fit, best hit and "skill" reason, or None when it does not fit."""
    best = skill_fit(hits, gig, feedback)
    if best is None:
        return None
    hit = best[1]
    return best[0], hit, skill_reason(hits.key, hit.term.text, hit.field, hit.via)


def skill_part(
    skills: Sequence[SkillHits],
    gig: GigScoring,
    feedback: Mapping[str, int],
    cache: dict[str, PlainFit | None] | None = None,
) -> SkillPart | None:
    """Skill points (rounded), skill/related reasons and lowered terms; None when none fits.

    `cache` (one dict per gig, used only without feedback) keeps each skill's `plain_fit`.
    """
    if not feedback:
        return _plain_skill_part(skills, gig, {} if cache is None else cache)
    fits = []
    for hits in skills:
        found = skill_entry(hits, gig, feedback)
        if found is not None:
            fits.append((found[0], hits.key, found[1], hits, found[2]))
    if not fits:
        return None
    fits.sort(key=lambda f: (-f[0], f[1]))
    reasons = [f[4] for f in fits]
    total = SKILL_POINTS * fits[0][0] + min(EXTRA_SKILL_MAX, EXTRA_SKILL_POINTS * (len(fits) - 1))
    related_points = 0.0
    related_reasons = 0
    seen = {f[2].term.text for f in fits}
    lowered = [t for t in seen if feedback and term_weight(feedback, t) < 1.0]
    for _, key, _, hits, _ in fits:
        for term in hits.weak:
            text = term.text
            if text in seen:
                continue
            seen.add(text)
            weight = term_weight(feedback, text) if feedback else 1.0
            if weight < 1.0:
                lowered.append(text)
            related_points += RELATED_POINTS * weight
            if related_reasons < RELATED_REASONS:
                related_reasons += 1
                reasons.append(_related_reason(key, text))
            elif not feedback and related_points >= RELATED_MAX:
                break
    total += min(RELATED_MAX, related_points)
    return int(total + 0.5), tuple(reasons), tuple(sorted(lowered))


# A fitting skill's parts for the no-feedback path: (-fit, key, reason, best term, and its
# weak terms each with the "related" reason it would give).
PlainFit = tuple[float, str, Reason, str, tuple[tuple[str, Reason], ...]]


def related_of(key: str, weak: Iterable[str]) -> tuple[tuple[str, Reason], ...]:
    """A skill's weak terms found in a gig, each with its "related" reason (for `PlainFit`)."""
    return tuple((text, _related_reason(key, text)) for text in weak)


def plain_fit(hits: SkillHits, gig: GigScoring) -> PlainFit | None:
    """A skill's fit without feedback, in the form `plain_part` combines; None when unfit."""
    found = skill_entry(hits, gig, {})
    if found is None:
        return None
    weak = related_of(hits.key, (t.text for t in hits.weak))
    return -found[0], hits.key, found[2], found[1].term.text, weak


def plain_part(fits: Sequence[PlainFit]) -> SkillPart:
    """`skill_part` without feedback from fitting skills' `plain_fit`s (the index's hot path).

    Every related term then weighs 1.0: the scan stops once the reasons and points are full.
    """
    if len(fits) == 2:  # most groups of several skills: no sort call, no comprehensions
        first, second = fits
        if second[0] < first[0] or (second[0] == first[0] and second[1] < first[1]):
            first, second = second, first
        fits = (first, second)
        total = SKILL_POINTS * -first[0] + min(EXTRA_SKILL_MAX, EXTRA_SKILL_POINTS)
        reasons = [first[2], second[2]]
        if not first[4] and not second[4]:
            return int(total + 0.5), tuple(reasons), ()
        seen = {first[3], second[3]}
    elif len(fits) > 2:
        fits = sorted(fits, key=_FIT_ORDER)
        total = SKILL_POINTS * -fits[0][0] + min(
            EXTRA_SKILL_MAX, EXTRA_SKILL_POINTS * (len(fits) - 1)
        )
        reasons = [f[2] for f in fits]
        seen = {f[3] for f in fits}
    else:
        only = fits[0]
        total = SKILL_POINTS * -only[0]
        reasons = [only[2]]
        seen = {only[3]}
    related = 0
    for f in fits:
        for text, reason in f[4]:
            if text not in seen:
                seen.add(text)
                if related < RELATED_REASONS:
                    reasons.append(reason)
                related += 1
                if related >= RELATED_REASONS and RELATED_POINTS * related >= RELATED_MAX:
                    return int(total + RELATED_MAX + 0.5), tuple(reasons), ()
    if related:
        total += min(RELATED_MAX, RELATED_POINTS * float(related))
    return int(total + 0.5), tuple(reasons), ()


def _plain_skill_part(
    skills: Sequence[SkillHits],
    gig: GigScoring,
    cache: dict[str, PlainFit | None],
) -> SkillPart | None:
    """`skill_part` without feedback, each skill's `plain_fit` kept in a per-gig cache."""
    fits = []
    for hits in skills:
        key = hits.key
        found = cache[key] if key in cache else cache.setdefault(key, plain_fit(hits, gig))
        if found is not None:
            fits.append(found)
    return plain_part(fits) if fits else None


def assemble(
    part: SkillPart, gig: GigScoring, budget: tuple[int, Reason | None]
) -> tuple[int, tuple[Reason, ...]]:
    """The final score (capped at 100) and reasons: skills, budget, micro-gig, lowered terms."""
    core, reasons, lowered = part
    out = list(reasons)
    if budget[1] is not None:
        out.append(budget[1])
    out.extend(gig.micro_reasons)
    out.extend(Reason.make("lowered", term=t) for t in lowered)
    return min(100, core + budget[0] + gig.micro_points), tuple(out)


def combine(
    skills: Sequence[SkillHits],
    gig: GigScoring,
    feedback: Mapping[str, int],
    budget: tuple[int, Reason | None],
    cache: dict[str, PlainFit | None] | None = None,
) -> tuple[int, tuple[Reason, ...]] | None:
    """A user's score and reasons from their skills' hits; None when no skill fits."""
    part = skill_part(skills, gig, feedback, cache)
    return None if part is None else assemble(part, gig, budget)
