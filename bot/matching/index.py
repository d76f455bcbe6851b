"""An inverted index from terms to users' skills: matching a gig costs what its matches cost.

A gig is tokenised once; its words are looked up in the vocabulary of every indexed term
(exact forms, then one-typo neighbours); phrases are verified at the positions found.  The
skills hit that fit well enough select users through bitsets (Python ints, one bit per user
slot), and the filters are bitset operations too.  Users are then grouped by budget class and
by which of those skills they hold: each group gets one score and one reasons tuple.  Users
holding one of the skills are grouped by bitset operations; per-user Python work is done only
for users with feedback weights (scored one by one) and the few holding two or more of the
skills (grouped by their skills in a loop, their groups listing slots instead of a bitset).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from itertools import compress, repeat
from operator import contains
from sys import intern
from typing import NamedTuple, cast

from bot.matching.bitsets import BitMap, Levels, to_slots
from bot.matching.facts import GigFacts, gig_facts
from bot.matching.gigtext import FIELDS, GigText, negated
from bot.matching.profile import Profile, min_budget_in_base
from bot.matching.rates import Rates
from bot.matching.score import (
    MIN_FIT,
    TAG_PART_WEIGHT,
    GigScoring,
    Match,
    PlainFit,
    Reason,
    SkillHits,
    SkillPart,
    StrongHit,
    budget_part,
    combine,
    evidence_factor,
    gig_scoring,
    plain_part,
    related_of,
    skill_reason,
)
from bot.matching.taxonomy import Taxonomy, load_taxonomy
from bot.matching.terms import (
    PAIR_WEIGHT,
    SkillDef,
    Term,
    compile_term,
    define_skill,
    pair_term,
)
from bot.matching.text import deletions, forms, typo_candidate, typo_match
from scrapers.model import Gig

_EMPTY: frozenset[int] = frozenset()
_make_match = partial(tuple.__new__, Match)
LISTED_MEMBER_BYTES = 36  # a listed member: the list's pointer and an int object


@dataclass(slots=True)
class MatchGroup:
    """Users for whom a gig has the same score and the same reasons.

    Members are kept as a bitset over the index's user slots, or for a group of a few users
    as a list of their slots (a bitset as wide as the index costs more to make than the
    whole list), and turned into user ids on demand, through the slot table as it was at
    match time (the index copies its table before giving a slot to another user), so they
    can be read after the index changed.
    """

    score: int
    reasons: tuple[Reason, ...]
    bits: int  # the members' slots as a bitset (0 when `listed` holds them)
    slots: list[int]  # the index's slot -> user id table
    listed: list[int] | None = None  # the members' slots, ascending, instead of `bits`

    def __len__(self) -> int:
        """The number of users in the group."""
        return self.bits.bit_count() if self.listed is None else len(self.listed)

    def nbytes(self) -> int:
        """The bytes the group's members take: the bitset's, or the list's."""
        if self.listed is None:
            return (self.bits.bit_length() + 7) // 8
        return LISTED_MEMBER_BYTES * len(self.listed)

    @property
    def user_ids(self) -> list[int]:
        """The users in the group."""
        members = to_slots(self.bits) if self.listed is None else self.listed
        return list(map(self.slots.__getitem__, members))

    def matches(self) -> list[Match]:
        """One Match per user."""
        return list(map(_make_match, zip(self.user_ids, repeat(self.score), repeat(self.reasons))))


def _keep(bits: int, limited: int, allowed: int) -> int:
    """`bits` without the users in `limited` who are not in `allowed`.

    Only AND and XOR of non-negative ints: `~x` makes a negative int, and CPython's bitwise
    operations on negative ints cost about ten times more.
    """
    limited &= bits
    return bits ^ (limited ^ (limited & allowed))


class BudgetClass(NamedTuple):
    """Users in one budget class of a gig: their budget part, and what it adds to a score."""

    bits: int
    budget: tuple[int, Reason | None]
    extra: int  # budget and micro-gig points
    tail: tuple[Reason, ...]  # budget and micro-gig reasons

    @classmethod
    def of(cls, bits: int, budget: tuple[int, Reason | None], gig: GigScoring) -> BudgetClass:
        """The class of users `bits` with budget part `budget` (as `assemble` adds it)."""
        points, reason = budget
        tail = gig.micro_reasons if reason is None else (reason, *gig.micro_reasons)
        return cls(bits, budget, points + gig.micro_points, tail)


class _Def(NamedTuple):
    """A compiled skill with its terms as ids: strong (with weights), weak, implied, pairs."""

    skill: SkillDef
    strong: tuple[tuple[int, float], ...]
    weak: tuple[int, ...]
    via: dict[int, str]
    pairs: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    related: tuple[tuple[int, tuple[str, Reason]], ...]  # weak term id -> its related reason


TOKEN_CACHE_LIMIT = 200_000
# Terms starting at a gig word: one-word terms, and longer ones by second word (with the rest).
_Starts = tuple[tuple[int, ...], dict[int, list[tuple[int, tuple[int, ...]]]]] | tuple[()]


class MatchIndex:
    """Users' profiles indexed for matching new gigs; updated incrementally."""

    def __init__(self, rates: Rates, taxonomy: Taxonomy | None = None) -> None:
        """An empty index using `rates` for budgets."""
        self.rates = rates
        self.taxonomy = taxonomy or load_taxonomy()
        self._profiles: dict[int, Profile] = {}
        self._slot: dict[int, int] = {}
        self._user_at: list[int] = []
        self._user_at_shared = False  # match groups hold the table: copy it before reusing
        self._free: list[int] = []
        # By slot (lists, not dicts keyed by user: a dict's resize at a million entries holds
        # the GIL for some 30 ms, which the event loop would wait for during a cold start).
        self._min_base_at: list[Decimal | None] = []
        self._double_min_at: list[Decimal | None] = []
        self._keys_at: list[tuple[str, ...]] = []  # slot -> the user's skill keys, sorted
        self._thr_at: list[int] = []  # slot -> the user's threshold
        # Vocabulary: words of terms, by form and by one-deletion neighbours (typos).
        self._word_id: dict[tuple[str, frozenset[str]], int] = {}
        self._word_text: list[str] = []
        self._by_form: dict[str, set[int]] = {}
        self._by_deletion: dict[str, set[int]] = {}
        # Gig language -> gig token -> the term words it matches (None: a tag boundary).
        self._token_cache: dict[str | None, dict[str | None, frozenset[int]]] = {}
        # Terms: word-id tuples, indexed by first word.
        self._term_id: dict[Term, int] = {}
        self._terms: list[Term] = []
        self._term_words: list[tuple[int, ...]] = []
        self._starts: dict[int, list[int]] = {}
        self._term_starts: dict[frozenset[int], _Starts] = {}  # gig word's term words -> terms
        # Term id -> (skill key, position in the skill's strong terms, weight) it is strong for.
        self._strong_of: dict[int, list[tuple[str, int, float]]] = {}
        self._pair_of: dict[int, list[str]] = {}  # role-noun term id -> skill keys it pairs for
        self._defs: dict[str, _Def] = {}
        self._def_users: dict[str, int] = {}
        self._exclude_terms: set[int] = set()
        # Bitsets over user slots.
        self._skill = BitMap()  # skill key -> users
        self._excl = BitMap()  # term id -> users excluding it
        self._flag = BitMap()  # "has_min", "strict", "has_lang", … -> users
        self._lang = BitMap()
        self._src = BitMap()
        self._type = BitMap()
        self._employment = BitMap()  # employment type -> users allowing it
        self._workplace = BitMap()  # workplace type -> users allowing it
        self._feedback = BitMap()  # term -> users who lowered it
        self._min = Levels()
        self._bids = Levels()
        self._age = Levels()
        self._thr = Levels()

    # -- users ---------------------------------------------------------------------------

    def __len__(self) -> int:
        """The number of users indexed."""
        return len(self._profiles)

    def __contains__(self, user_id: object) -> bool:
        """True when the user is indexed."""
        return user_id in self._profiles

    def indexed_user_ids(self) -> set[int]:
        """Every user in the index."""
        return set(self._profiles)

    def profile(self, user_id: int) -> Profile:
        """The indexed profile of a user."""
        return self._profiles[user_id]

    def add_users(self, profiles: Iterable[Profile]) -> None:
        """Add many users at once (bulk-loads the bitsets)."""
        maps = self._bitmaps()
        for m in maps:
            m.start_bulk()
        try:
            for profile in profiles:
                self.add_user(profile)
        finally:
            for m in maps:
                m.flush()

    def add_user(self, profile: Profile) -> None:
        """Index a user (replacing an earlier profile of the same user)."""
        if profile.user_id in self._profiles:
            self.remove_user(profile.user_id)
        slot = self._free.pop() if self._free else len(self._user_at)
        min_base = min_budget_in_base(profile.filters, self.rates)
        double_min = None if min_base is None else 2 * min_base
        # Interned: one string object per distinct key, not one per user (grouping reads
        # users' keys in slot order; 300,000 scattered copies cost cache misses).
        keys = tuple(sorted({intern(s.key) for s in profile.skills if s.key}))
        if slot == len(self._user_at):
            self._user_at.append(profile.user_id)  # groups never hold this slot: no copy
            self._min_base_at.append(min_base)
            self._double_min_at.append(double_min)
            self._keys_at.append(keys)
            self._thr_at.append(profile.threshold)
        else:
            if self._user_at_shared:
                self._user_at = list(self._user_at)
                self._user_at_shared = False
            self._user_at[slot] = profile.user_id
            self._min_base_at[slot] = min_base
            self._double_min_at[slot] = double_min
            self._keys_at[slot] = keys
            self._thr_at[slot] = profile.threshold
        self._slot[profile.user_id] = slot
        self._apply(profile, slot, add=True)
        # After a call: the two dicts' resizes never come back to back without a GIL switch.
        self._profiles[profile.user_id] = profile

    def update_user(self, profile: Profile) -> None:
        """Re-index a user whose skills, filters, threshold or feedback changed."""
        self.add_user(profile)

    def remove_user(self, user_id: int) -> None:
        """Drop a user from the index (no-op when absent)."""
        profile = self._profiles.pop(user_id, None)
        if profile is None:
            return
        slot = self._slot.pop(user_id)
        self._apply(profile, slot, add=False)
        self._min_base_at[slot] = self._double_min_at[slot] = None
        self._keys_at[slot] = ()
        self._free.append(slot)

    def _bitmaps(self) -> list[BitMap]:
        """Every bitset map (for bulk loading)."""
        levels = (self._min, self._bids, self._age, self._thr)
        maps = [self._skill, self._excl, self._flag, self._lang, self._src, self._type]
        maps += [self._employment, self._workplace]
        return [*maps, self._feedback] + [lv.map for lv in levels]

    def _apply(self, profile: Profile, slot: int, add: bool) -> None:
        """Set (add=True) or clear a user's bits everywhere they belong."""
        f = profile.filters
        entries: list[tuple[BitMap, Hashable]] = []
        for key in dict.fromkeys(s.key for s in profile.skills):
            if not key:
                continue
            self._use_skill(key, +1 if add else -1)
            entries.append((self._skill, key))
        for word in f.exclude:
            term = compile_term(word)
            if term is not None:
                tid = self._add_term(term)
                self._exclude_terms.add(tid)
                entries.append((self._excl, tid))
        min_base = self._min_base_at[slot]
        if min_base is not None:
            entries += [(self._flag, "has_min"), (self._min.map, min_base)]
        if f.strict_budget:
            entries.append((self._flag, "strict"))
        if f.hide_risky:
            entries.append((self._flag, "hide_risky"))
        for flag, values, bitmap in (
            ("has_lang", f.languages, self._lang),
            ("has_src", f.sources, self._src),
            ("has_type", f.budget_types, self._type),
            ("has_employment", f.employment_types, self._employment),
            ("has_workplace", f.workplace_types, self._workplace),
        ):
            if values:
                entries.append((self._flag, flag))
                entries += [(bitmap, v) for v in values]
        if f.max_bids is not None:
            entries += [(self._flag, "has_bids"), (self._bids.map, f.max_bids)]
        if f.max_age_hours is not None:
            entries += [(self._flag, "has_age"), (self._age.map, f.max_age_hours)]
        entries += [(self._feedback, term) for term, n in profile.feedback.items() if n > 0]
        entries.append((self._thr.map, profile.threshold))
        for bitmap, entry in entries:
            if add:
                bitmap.add(entry, slot)
            else:
                bitmap.discard(entry, slot)

    # -- vocabulary ----------------------------------------------------------------------

    def _use_skill(self, key: str, delta: int) -> None:
        """Count a skill's users; compile and index its terms on first use."""
        count = self._def_users.get(key, 0) + delta
        if count <= 0:
            self._def_users.pop(key, None)
            return
        self._def_users[key] = count
        if key in self._defs:
            return
        skill = define_skill(key, self.taxonomy)
        strong = tuple((self._add_term(t), w) for t, w in skill.strong)
        weak = tuple(self._add_term(t) for t in skill.weak)
        via = {self._add_term(t): name for t, name in skill.via}
        pairs = tuple(
            (tuple(map(self._add_term, roles)), tuple(map(self._add_term, domains)))
            for roles, domains in skill.pairs
        )
        for pos, (tid, weight) in enumerate(strong):
            self._strong_of.setdefault(tid, []).append((key, pos, weight))
        for roles, _ in pairs:
            for tid in roles:
                self._pair_of.setdefault(tid, []).append(key)
        texts = (self._terms[tid].text for tid in weak)
        related = tuple(zip(weak, related_of(key, texts), strict=True))
        self._defs[key] = _Def(skill, strong, weak, via, pairs, related)

    def _add_term(self, term: Term) -> int:
        """The id of a term, indexing its words on first sight."""
        tid = self._term_id.get(term)
        if tid is not None:
            return tid
        words = tuple(self._add_word(w, k) for w, k in zip(term.words, term.keys, strict=True))
        tid = len(self._terms)
        self._term_id[term] = tid
        self._terms.append(term)
        self._term_words.append(words)
        self._starts.setdefault(words[0], []).append(tid)
        self._term_starts.clear()
        return tid

    def _add_word(self, word: str, keys: frozenset[str]) -> int:
        """The id of a term word (a word plus the forms that match it)."""
        wid = self._word_id.get((word, keys))
        if wid is not None:
            return wid
        wid = len(self._word_text)
        self._word_id[(word, keys)] = wid
        self._word_text.append(word)
        for key in keys:
            self._by_form.setdefault(key, set()).add(wid)
        if typo_candidate(word):
            for d in (word, *deletions(word)):
                self._by_deletion.setdefault(d, set()).add(wid)
        self._token_cache.clear()
        return wid

    def _words_for(self, token: str, language: str | None) -> frozenset[int]:
        """The term words a gig token matches (by form, or as a one-edit typo)."""
        cache = self._token_cache.setdefault(language, {None: _EMPTY})
        hit = cache.get(token)
        return hit if hit is not None else self._lookup(token, language, cache)

    def _lookup(
        self, token: str, language: str | None, cache: dict[str | None, frozenset[int]]
    ) -> frozenset[int]:
        """`_words_for` on a cache miss: look the token up and remember it in `cache`."""
        found: set[int] = set()
        for f in forms(token, language):
            found.update(self._by_form.get(f, ()))
        tax = self.taxonomy
        if typo_candidate(token) and token not in tax.not_typos:
            for d in (token, *deletions(token)):
                for wid in self._by_deletion.get(d, ()):
                    if wid not in found and typo_match(self._word_text[wid], token, tax.not_typos):
                        found.add(wid)
        result = frozenset(found) if found else _EMPTY
        if len(cache) > TOKEN_CACHE_LIMIT:
            cache.clear()
            cache[None] = _EMPTY
        cache[token] = result
        return result

    def _starts_for(self, wids: frozenset[int]) -> _Starts:
        """The terms starting with one of `wids` (empty when none)."""
        found = self._term_starts.get(wids)
        if found is None:
            singles: list[int] = []
            by_second: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
            for wid in wids:
                for tid in self._starts.get(wid, ()):
                    words = self._term_words[tid]
                    if len(words) == 1:
                        singles.append(tid)
                    else:
                        by_second.setdefault(words[1], []).append((tid, words[2:]))
            found = (tuple(singles), by_second) if singles or by_second else ()
            self._term_starts[wids] = found
        return found

    def _find_terms(
        self, text: GigText
    ) -> tuple[dict[int, str], dict[int, int], set[int], set[int]]:
        """Terms in the gig: best un-negated field, un-negated count outside the title, presence,
        and the terms whose best field is the tags but which only ever cover part of a tag.
        """
        best: dict[int, str] = {}
        outside: Counter[int] = Counter()
        present: set[int] = set()
        whole_tag: set[int] = set()
        term_words = self._term_words
        negators = self.taxonomy.negators
        language = text.language
        cache = self._token_cache.setdefault(language, {None: _EMPTY})
        get, lookup = cache.get, self._lookup
        starts_get, starts_for = self._term_starts.get, self._starts_for
        found: tuple[int, ...] | list[int]  # the cached tuple, copied when a term adds to it
        for field in FIELDS:
            words = text.field(field)
            n_words = len(words)
            cached = list(map(get, words))
            sets = cast(list[frozenset[int]], cached)  # unless the check below finds a None
            if None in cached:  # words not seen yet (tag boundaries, None, are always cached)
                sets = [
                    lookup(str(w), language, cache) if ws is None else ws
                    for w, ws in zip(words, cached, strict=True)
                ]
            firsts = list(map(starts_get, sets))
            if None in firsts:
                firsts = [
                    starts_for(ws) if f is None else f for ws, f in zip(sets, firsts, strict=True)
                ]
            sets.append(_EMPTY)  # after the last word: nothing follows
            may_negate = not negators.isdisjoint(words)  # most fields have no negator at all
            tags = field == "tags"
            # Terms found, and those not negated, position by position: the sets and counts
            # are filled from them once per field (a long text repeats its terms).
            seen: list[int] = []
            kept: list[int] = []
            for pos in compress(range(n_words), firsts):
                first = firsts[pos]
                assert first  # compress gives only the words some term starts with
                found, by_second = first
                if by_second and sets[pos + 1]:
                    found = list(found)
                    for wid in sets[pos + 1]:
                        for tid, rest in by_second.get(wid, ()):
                            if not rest or (
                                pos + 1 + len(rest) < n_words
                                and all(map(contains, sets[pos + 2 : pos + 2 + len(rest)], rest))
                            ):
                                found.append(tid)
                if not found:
                    continue
                seen += found
                if may_negate and negated(words, pos, negators):
                    continue
                kept += found
                if tags and (pos == 0 or words[pos - 1] is None):
                    for tid in found:
                        end = pos + len(term_words[tid])
                        if end == n_words or words[end] is None:
                            whole_tag.add(tid)
            present.update(seen)
            for tid in kept:
                if tid not in best:
                    best[tid] = field
            if kept and field != "title":
                outside.update(kept)
        part_tag = {tid for tid, f in best.items() if f == "tags" and tid not in whole_tag}
        return best, outside, present, part_tag

    # -- matching ------------------------------------------------------------------------

    def skill_hits(self, text: GigText) -> tuple[dict[str, SkillHits], set[int], dict[int, str]]:
        """Skills (of indexed users) with a strong term in the gig; terms present; terms found.

        Work follows the terms found, not the skills' (long) strong-term lists: each found term
        adds itself to the skills it is strong for, then each skill's hits are put back in the
        skill's term order (the first of equally good hits is its reason).
        """
        best, outside, present, part_tag = self._find_terms(text)
        return self._hits_from(best, outside, part_tag), present, best

    def _hits_from(
        self,
        best: dict[int, str],
        outside: dict[int, int],
        part_tag: set[int],
        users: Container[str] | None = None,
    ) -> dict[str, SkillHits]:
        """`skill_hits` from the terms `_find_terms` found, for the skills in `users` (default:
        every skill someone holds).
        """
        if users is None:
            users = self._def_users
        strong_of, pair_of = self._strong_of, self._pair_of
        found: dict[str, list[tuple[int, int, float]]] = {}
        paired: dict[str, None] = {}
        for tid in best:
            for key, pos, weight in strong_of.get(tid, ()):
                if key in users:
                    found.setdefault(key, []).append((pos, tid, weight))
            for key in pair_of.get(tid, ()):
                if key in users:
                    paired[key] = None
        hits = {}
        terms = self._terms
        for key in dict.fromkeys([*found, *paired]):
            d = self._defs[key]
            entries = found.get(key, [])
            if len(entries) > 1:
                entries.sort()
            strong = [
                StrongHit(
                    terms[tid],
                    w * TAG_PART_WEIGHT if tid in part_tag else w,
                    best[tid],
                    outside.get(tid, 0) > 1,
                    d.via.get(tid),
                )
                for _, tid, w in entries
            ]
            if key in paired and (pair := self._pair_hit(key, best)) is not None:
                strong.append(StrongHit(pair, PAIR_WEIGHT, "title"))
            if strong:
                weak = tuple(terms[tid] for tid in d.weak if tid in best)
                hits[key] = SkillHits(key, tuple(strong), weak)
        return hits

    def _plain_fits(
        self,
        best: dict[int, str],
        outside: dict[int, int],
        part_tag: set[int],
        scoring: GigScoring,
    ) -> dict[str, PlainFit]:
        """Each fitting skill's `plain_fit`, by key in key order, without building its hits.

        The hot path: a found term's field factor is worked out once for every skill it is
        strong for, and only the best hit of each skill (the earliest of equal ones, as
        `skill_fit` picks) becomes a reason. Same results as `plain_fit` over `skill_hits`.
        """
        users, terms, weights = self._def_users, self._terms, scoring.field_weight
        top: dict[str, tuple[float, int, int]] = {}  # key -> (fit, position, term id)
        for tid, field in best.items():
            entries = self._strong_of.get(tid)
            if not entries:
                continue
            field_weight = weights[field]
            part = tid in part_tag
            repeated = outside.get(tid, 0) > 1
            # The same rule as skill_fit's, once per term rather than once per skill.
            factor = evidence_factor(scoring, field, len(terms[tid].words), repeated)
            for key, pos, w in entries:
                if key not in users:
                    continue
                fit = field_weight * (w * TAG_PART_WEIGHT if part else w) * factor
                current = top.get(key)
                if current is None or fit > current[0] or (fit == current[0] and pos < current[1]):
                    top[key] = (fit, pos, tid)
        pair_fit = weights["title"] * PAIR_WEIGHT
        paired: dict[str, Term] = {}
        tried: set[str] = set()
        # Synonyms of one taxonomy skill share its roles and domains: one look per pairs.
        hit_of: dict[tuple[tuple[tuple[int, ...], tuple[int, ...]], ...], Term | None] = {}
        for tid in best:
            for key in self._pair_of.get(tid, ()):
                if key in users and key not in tried:
                    tried.add(key)
                    current = top.get(key)
                    if current is None or pair_fit > current[0]:
                        pairs = self._defs[key].pairs
                        if pairs in hit_of:
                            term = hit_of[pairs]
                        else:
                            term = hit_of[pairs] = self._pair_hit(key, best)
                        if term is not None:
                            paired[key] = term
        fits: dict[str, PlainFit] = {}
        for key in sorted(top.keys() | paired.keys()):
            d = self._defs[key]
            if key in paired:
                fit, term, via, field = pair_fit, paired[key], None, "title"
            else:
                fit, _, tid = top[key]
                term, via, field = terms[tid], d.via.get(tid), best[tid]
            if fit < MIN_FIT:
                continue
            weak = tuple([entry for tid, entry in d.related if tid in best])
            fits[key] = (-fit, key, skill_reason(key, term.text, field, via), term.text, weak)
        return fits

    def _pair_hit(self, key: str, best: dict[int, str]) -> Term | None:
        """The role-and-domain term a skill's pairs make in the gig's title, if any."""
        terms = self._terms
        for roles, domains in self._defs[key].pairs:
            role = next((r for r in roles if best.get(r) == "title"), None)
            if role is None:
                continue
            domain = next((t for t in domains if t != role and best.get(t) == "title"), None)
            if domain is not None:
                return pair_term(terms[role], terms[domain])
        return None

    def _filter(self, bits: int, facts: GigFacts, present: set[int]) -> int:
        """Keep the users whose filters the gig passes."""
        flag = self._flag.get
        if facts.amount_base is None:
            bits ^= bits & flag("strict")
        else:
            bits = _keep(bits, flag("has_min"), self._min.at_most(facts.amount_base))
        if facts.language is not None:
            bits = _keep(bits, flag("has_lang"), self._lang.get(facts.language))
        bits = _keep(bits, flag("has_src"), self._src.get(facts.source))
        bits = _keep(bits, flag("has_type"), self._type.get(facts.budget_type))
        if facts.risky:
            bits ^= bits & flag("hide_risky")
        if facts.employment:
            allowed = 0
            for kind in facts.employment:
                allowed |= self._employment.get(kind)
            bits = _keep(bits, flag("has_employment"), allowed)
        if facts.workplace is not None:
            bits = _keep(bits, flag("has_workplace"), self._workplace.get(facts.workplace))
        if facts.bids is not None:
            bits = _keep(bits, flag("has_bids"), self._bids.at_least(facts.bids))
        if facts.age_hours is not None:
            bits = _keep(bits, flag("has_age"), self._age.at_least(facts.age_hours))
        for tid in present & self._exclude_terms:
            bits ^= bits & self._excl.get(tid)
        return bits

    def match(self, gig: Gig, now: datetime | None = None) -> list[Match]:
        """Users whose filters the gig passes and whose threshold its score reaches."""
        return [m for group in self.match_groups(gig, now) for m in group.matches()]

    def match_groups(self, gig: Gig, now: datetime | None = None) -> list[MatchGroup]:
        """Like `match`, grouped: users sharing one score and one reasons tuple."""
        text = GigText.of(gig.title, gig.tags, gig.text, gig.language, self.taxonomy)
        return self.match_text(gig, text, now)

    def match_text(self, gig: Gig, text: GigText, now: datetime | None = None) -> list[MatchGroup]:
        """`match_groups` with the gig's text already tokenised."""
        best_terms, outside, present, part_tag = self._find_terms(text)
        if not best_terms:
            return []
        facts = gig_facts(gig, text, self.rates, self.taxonomy, now or datetime.now(UTC))
        scoring = gig_scoring(text, facts)
        # A skill below MIN_FIT adds nothing to a score (feedback only lowers fits), so users
        # are selected, grouped and scored by the skills that fit alone.
        fit_of = self._plain_fits(best_terms, outside, part_tag, scoring)
        if not fit_of:
            return []
        keys = list(fit_of)
        skill = self._skill.get
        candidates = 0
        for key in keys:
            candidates |= skill(key)
        candidates = self._filter(candidates, facts, present)
        if not candidates:
            return []
        # Users who lowered a term found in this gig are scored one by one.
        lowered = 0
        if self._feedback.sets:
            found = {self._terms[tid].text for tid in best_terms}
            for term in found & self._feedback.sets.keys():
                lowered |= self._feedback.get(term)
        one_by_one = candidates & lowered
        candidates ^= one_by_one
        # Budget classes: users whose minimum is at most half the budget, then everyone else.
        # Without feedback a score is a skill part plus the class's points and reasons.
        budgets = [budget_part(facts, None)]
        class_bits = [-1]
        if facts.amount_base is not None:
            budgets.insert(0, budget_part(facts, Decimal(0)))
            class_bits.insert(0, self._min.double_at_most(facts.amount_base))
        classes = [
            BudgetClass.of(bits, budget, scoring)
            for bits, budget in zip(class_bits, budgets, strict=True)
        ]
        out: list[MatchGroup] = []
        keys_at = self._keys_at
        self._user_at_shared = True
        if one_by_one:
            slots = to_slots(one_by_one)
            wanted = {k for s in slots for k in keys_at[s] if k in fit_of}
            hits = self._hits_from(best_terms, outside, part_tag, wanted)
            by_class = self._by_class(slots, len(classes), facts.amount_base)
            for budget_class, class_slots in zip(classes, by_class, strict=True):
                out += self._with_feedback(class_slots, hits, fit_of, scoring, budget_class)
        # Users holding one of the skills are grouped by bitsets, then each group is split by
        # budget class (11 bitsets a gig, against 44 operations to count skills per class);
        # the few holding several are grouped one by one, their class read from their minimum.
        singles, several = self._singles(candidates, keys)
        parts: dict[tuple[str, ...], SkillPart] = {}
        by_class = self._by_class(to_slots(several), len(classes), facts.amount_base)
        for budget_class, class_slots in zip(classes, by_class, strict=True):
            if budget_class is classes[-1]:
                class_singles = singles
            else:
                class_singles = [(key, g & budget_class.bits) for key, g in singles]
                singles = [
                    (key, g ^ mine)
                    for (key, g), (_, mine) in zip(singles, class_singles, strict=True)
                ]
            out += self._single_groups(class_singles, fit_of, budget_class, parts)
            if class_slots:
                out += self._several_groups(class_slots, fit_of, budget_class, parts)
        return out

    def _singles(self, bits: int, keys: list[str]) -> tuple[list[tuple[str, int]], int]:
        """Users holding exactly one of `keys`, by key; and those holding two or more.

        Users holding several of a gig's fitting skills are few (about 100 of 3,000 at
        100,000 users) but make most of the groups: they are grouped one by one, not by
        ANDing each pair of skills' bitsets (a bitset as wide as the index per pair).
        """
        skill = self._skill.get
        c1 = c2 = 0
        held = []
        for key in keys:
            b = skill(key) & bits
            if b:
                held.append((key, b))
                if c1:
                    c2 |= c1 & b
                c1 |= b
        one = c1 ^ c2  # c2 is within c1
        return [(key, g) for key, b in held if (g := b & one)], c2

    def _single_groups(
        self,
        singles: list[tuple[str, int]],
        fit_of: dict[str, PlainFit],
        budget_class: BudgetClass,
        parts: dict[tuple[str, ...], SkillPart],
    ) -> list[MatchGroup]:
        """Scored groups of one budget class's users holding one fitting skill (by skill),
        kept to the users whose threshold the score reaches."""
        user_at, thr_at_most = self._user_at, self._thr.at_most
        # A score at or above every user's threshold keeps the whole group: no AND needed.
        top_threshold = self._thr.highest()
        tail, extra = budget_class.tail, budget_class.extra
        out: list[MatchGroup] = []
        for key, group in singles:
            if not group:
                continue
            part = parts.get((key,))
            if part is None:
                part = parts[key,] = plain_part([fit_of[key]])
            score = min(100, part[0] + extra)
            if score < top_threshold:
                group &= thr_at_most(score)
            if group:
                out.append(MatchGroup(score, part[1] + tail, group, user_at))
        return out

    def _several_groups(
        self,
        slots: list[int],
        fit_of: dict[str, PlainFit],
        budget_class: BudgetClass,
        parts: dict[tuple[str, ...], SkillPart],
    ) -> list[MatchGroup]:
        """Scored groups of one budget class's users holding several fitting skills (`slots`),
        by the skills they hold, kept to the users whose threshold the score reaches."""
        user_at, keys_at, thr_at = self._user_at, self._keys_at, self._thr_at
        top_threshold = self._thr.highest()
        tail, extra = budget_class.tail, budget_class.extra
        fits = fit_of.__contains__
        by_chosen: dict[tuple[str, ...], list[int]] = {}
        for slot in slots:
            # A user's keys are sorted, as `keys` are: equal choices make equal tuples.
            chosen = tuple(filter(fits, keys_at[slot]))
            members = by_chosen.get(chosen)
            if members is None:
                by_chosen[chosen] = [slot]
            else:
                members.append(slot)
        out: list[MatchGroup] = []
        for chosen, members in by_chosen.items():
            part = parts.get(chosen)
            if part is None:
                part = parts[chosen] = plain_part([fit_of[k] for k in chosen])
            score = part[0] + extra
            if score > 100:
                score = 100
            if score < top_threshold:
                members = [slot for slot in members if thr_at[slot] <= score]
            if members:
                out.append(MatchGroup(score, part[1] + tail, 0, user_at, members))
        return out

    def _by_class(
        self, slots: list[int], n_classes: int, amount: Decimal | None
    ) -> list[list[int]]:
        """`slots` split by budget class, as `match_text` orders the classes: with two, users
        whose minimum is at most half the budget `amount` first, everyone else second."""
        if n_classes == 1:
            return [slots]
        assert amount is not None  # two classes only when the budget is known
        rich: list[int] = []
        rest: list[int] = []
        double_min = self._double_min_at
        for slot in slots:
            twice = double_min[slot]
            (rich if twice is not None and twice <= amount else rest).append(slot)
        return [rich, rest]

    def _with_feedback(
        self,
        slots: list[int],
        hits: dict[str, SkillHits],
        fitting: Container[str],
        scoring: GigScoring,
        budget_class: BudgetClass,
    ) -> list[MatchGroup]:
        """Score users of one budget class with feedback weights one by one, grouping equal
        results."""
        user_at, profiles, keys_at = self._user_at, self._profiles, self._keys_at
        by_value: dict[tuple[int, tuple[Reason, ...]], list[int]] = {}
        for slot in slots:
            profile = profiles[user_at[slot]]
            mine = [hits[k] for k in keys_at[slot] if k in fitting]
            value = combine(mine, scoring, profile.feedback, budget_class.budget)
            if value is not None and value[0] >= profile.threshold:
                by_value.setdefault(value, []).append(slot)
        return [
            MatchGroup(score, reasons, 0, user_at, members)
            for (score, reasons), members in by_value.items()
        ]

    def memory_bytes(self) -> int:
        """Approximate bytes held by the bitsets (the profiles are counted separately)."""
        return sum(m.nbytes() for m in self._bitmaps())
