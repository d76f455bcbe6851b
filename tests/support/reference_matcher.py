"""A reference matcher written apart from bot.matching: plain loops over the taxonomy and text.

It reads the taxonomy's data (the parsed records, nothing compiled) and re-implements the
matching rules as the README and taxonomy.toml state them: tokens and #hashtag splitting, the
bilingual Snowball stems and their length guards, one-edit typos, negation, how a typed skill
resolves (longest reading), implied and included skills, role + domain pairs in titles, field
weights, long posts, filters, budget and micro-gig points and the score.  Only the Snowball
stemmer library, the taxonomy loader and the data classes (Gig, Profile, Match, Reason) are
shared; no function of bot.matching that decides or scores a match is imported.

What the property test compares: the set of matched users, and per user the score within
SCORE_TOLERANCE and the first reason's code and skill (which skill matched, and whether
directly or through an implied one).  Term choice among equally good terms, and the order
and wording of the other reasons, are not compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

import snowballstemmer

from bot.matching.profile import Filters, Profile, Rates
from bot.matching.score import Match, Reason
from bot.matching.taxonomy import Taxonomy, TaxonomySkill, load_taxonomy
from scrapers.model import Gig
from scrapers.worktype import employment_types, workplace_type

SCORE_TOLERANCE = 1

# The matching rules, restated (README "Matching" and taxonomy.toml's header).
USER_WEIGHT, PHRASE_WEIGHT, WORD_WEIGHT, PAIR_WEIGHT = 1.0, 0.95, 0.85, 0.7
TITLE_W, TAGS_W, TEXT_W, LONG_TEXT_W = 1.0, 0.9, 0.75, 0.65
LONG_POST_WORDS, FULL_WEIGHT_TAGS, WEAK = 200, 10, 0.5
TAG_PART = 0.5  # a term covering only part of a tag
MIN_FIT, SKILL_POINTS, EXTRA_EACH, EXTRA_MAX = 0.5, 80, 5, 10
RELATED_EACH, RELATED_MAX = 3, 9
BUDGET_HIGH, BUDGET_OK, SCOPE, DEADLINE, FEW_BIDS = 6, 3, 4, 3, 3
DEADLINE_DAYS, FEW_BIDS_MAX, NEGATION_WINDOW = 7, 5, 3
FEEDBACK_FACTOR, FEEDBACK_FLOOR = 0.5, 0.1

_WORD = re.compile(r"(?:[^\W_]|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])+(?:[+#]+)?")
_TAG = re.compile(r"#((?:[^\W_])+)")
_EN = snowballstemmer.stemmer("english")
_ID = snowballstemmer.stemmer("indonesian")
FIELDS = ("title", "tags", "text")


def words_of(text: str, known: frozenset[str] | None = None) -> list[str]:
    """Folded word tokens; with `known`, '#desainlogo' becomes 'desain logo'."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if known is not None:

        def split(m: re.Match[str]) -> str:
            word = m.group(1)
            if word in known:
                return m.group(0)
            for i in range(3, len(word) - 2):
                head, tail = word[:i], word[i:]
                if head not in known:
                    continue
                if tail in known:
                    return f" {head} {tail} "
                for j in range(3, len(tail) - 2):
                    if tail[:j] in known and tail[j:] in known:
                        return f" {head} {tail[:j]} {tail[j:]} "
            return m.group(0)

        folded = _TAG.sub(split, folded)
    return _WORD.findall(folded)


@cache
def stems(word: str, language: str | None) -> frozenset[str]:
    """The word and its stems, tagged by language; short or non a-z words are not stemmed."""
    out = {word}
    plain = len(word) >= 4 and re.fullmatch(r"[a-z]+", word) is not None
    if language != "id":
        s = _EN.stemWord(word) if plain else word
        out.add("en:" + (s if len(s) >= 3 else word))
    if language != "en":
        s = _ID.stemWord(word) if plain else word
        out.add("id:" + (s if len(s) >= 4 else word))
    return frozenset(out)


def one_typo(a: str, b: str, not_typos: frozenset[str]) -> bool:
    """Both long plain words, same first letter, one insert/delete/substitute/swap apart."""
    if a == b or b in not_typos or a[:1] != b[:1]:
        return False
    if len(a) < 6 or len(b) < 6 or not a.isalpha() or not b.isalpha():
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        if len(diff) != 2:
            return False
        i, j = diff
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(long_) - len(short) != 1:
        return False
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass(frozen=True, eq=False)
class RTerm:
    """A phrase to look for: its words, per word the forms that match, and its shown text.

    Terms are made once per (phrase, language) (`rterm` is cached), so identity is equality.
    """

    words: tuple[str, ...]
    keys: tuple[frozenset[str], ...]
    text: str


@cache
def rterm(phrase: str, language: str | None = None) -> RTerm | None:
    """The term for a phrase (None when it has no words)."""
    ws = tuple(words_of(phrase))
    if not ws:
        return None
    return RTerm(ws, tuple(stems(w, language) for w in ws), " ".join(ws))


def ident(t: RTerm) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
    """What makes two terms the same term."""
    return t.words, t.keys


def strong_phrases(skill: TaxonomySkill) -> list[tuple[str, str | None]]:
    """A taxonomy skill's names and strong terms with the stemmer language of each."""
    out: list[tuple[str, str | None]] = [(skill.name_en, "en"), (skill.name_id, "id")]
    out += [(t, "en") for t in skill.terms_en] + [(t, "id") for t in skill.terms_id]
    return out + [(t, None) for t in (*skill.abbreviations, *skill.terms_other)]


def matches_word(t: RTerm, k: int, word: str, lang: str | None, tax: Taxonomy) -> bool:
    """Word k of the term matches a text word (shared form, or a safe typo)."""
    return bool(t.keys[k] & stems(word, lang)) or one_typo(t.words[k], word, tax.not_typos)


def positions(t: RTerm, words: Sequence[str | None], lang: str | None, tax: Taxonomy) -> list[int]:
    """Every start position of the term in a word list (None words never match)."""
    n = len(t.words)
    return [
        s
        for s in range(len(words) - n + 1)
        if all(
            words[s + k] is not None and matches_word(t, k, str(words[s + k]), lang, tax)
            for k in range(n)
        )
    ]


@dataclass
class RSkill:
    """A user's skill as this reference reads it from the taxonomy."""

    key: str
    strong: list[tuple[RTerm, float, str | None]]  # term, weight, implying skill's name
    weak: list[RTerm]
    pairs: list[tuple[list[RTerm], list[RTerm]]]


_READ: dict[tuple[str, int], tuple[Taxonomy, RSkill]] = {}


def read_skill(key: str, tax: Taxonomy) -> RSkill:
    """Resolve a typed skill against the taxonomy data (remembered per taxonomy object)."""
    found = _READ.get((key, id(tax)))
    if found is None or found[0] is not tax:
        found = _READ[(key, id(tax))] = (tax, _read_skill(key, tax))
    return found[1]


def _read_skill(key: str, tax: Taxonomy) -> RSkill:
    """`read_skill` without the memo."""
    words = words_of(key)
    found: list[tuple[TaxonomySkill, list[tuple[int, int]]]] = []
    for skill in tax.skills:
        spans = []
        for phrase, lang in strong_phrases(skill):
            t = rterm(phrase, lang)
            if t is not None:
                spans += [(s, s + len(t.words)) for s in positions(t, words, None, tax)]
        if spans:
            found.append((skill, spans))
    resolved = []
    for skill, spans in found:
        inside_other = False
        for other, other_spans in found:
            if other is skill:
                continue
            if all(
                any(a <= s and e <= b and b - a > e - s for a, b in other_spans) for s, e in spans
            ):
                inside_other = True
        if not inside_other:
            resolved.append(skill)
    by_id = {s.id: s for s in tax.skills}
    only = any(w in tax.only_words for w in words)
    direct: dict[str, TaxonomySkill] = {}
    for skill in resolved:
        direct.setdefault(skill.id, skill)
        for inc in [] if only else skill.includes:
            direct.setdefault(inc, by_id[inc])
    strong: list[tuple[RTerm, float, str | None]] = []
    own = rterm(key)
    if own is not None:
        strong.append((own, USER_WEIGHT, None))
    for skill in direct.values():
        for phrase, lang in strong_phrases(skill):
            t = rterm(phrase, lang)
            if t is not None:
                strong.append((t, PHRASE_WEIGHT if len(t.words) > 1 else WORD_WEIGHT, None))
    for skill in [] if only else list(direct.values()):
        # Skills implying this one, transitively.
        narrower: dict[str, TaxonomySkill] = {}
        todo = [skill.id]
        while todo:
            target = todo.pop(0)
            for s in tax.skills:
                if target in s.implies and s.id not in narrower and s.id != skill.id:
                    narrower[s.id] = s
                    todo.append(s.id)
        for s in narrower.values():
            if s.id in direct:
                continue
            for phrase, lang in strong_phrases(s):
                t = rterm(phrase, lang)
                if t is not None:
                    strong.append(
                        (t, PHRASE_WEIGHT if len(t.words) > 1 else WORD_WEIGHT, s.name_en)
                    )
    # One entry per term: its highest weight; "implied" only when never direct.
    merged: dict[tuple, tuple[RTerm, float, str | None]] = {}
    for t, w, via in strong:
        old = merged.get(ident(t))
        if old is None:
            merged[ident(t)] = (t, w, via)
        else:
            merged[ident(t)] = (old[0], max(old[1], w), None if old[2] is None else old[2])
    direct_ids = {ident(t) for t, _, via in strong if via is None}
    strong_list = [(t, w, None if ident(t) in direct_ids else via) for t, w, via in merged.values()]
    weak = [t for s in resolved for p in s.related if (t := rterm(p)) is not None]
    if len(words) > 1:
        weak += [
            t
            for w in words
            if w not in tax.stopwords and w not in tax.only_words
            if len(w) >= 3 and not w.isdigit()
            if (t := rterm(w)) is not None
        ]
    strong_ids = set(merged)
    weak_out: dict[tuple, RTerm] = {}
    for t in weak:
        if ident(t) not in strong_ids:
            weak_out.setdefault(ident(t), t)
    pairs = [
        ([t for p in s.roles if (t := rterm(p))], [t for p in s.domains if (t := rterm(p))])
        for s in direct.values()
        if s.roles and s.domains
    ]
    return RSkill(key, strong_list, list(weak_out.values()), pairs)


_KNOWN: dict[int, tuple[Taxonomy, frozenset[str]]] = {}


def hashtag_words(tax: Taxonomy) -> frozenset[str]:
    """The words a #compoundhashtag may be split into: every word of the taxonomy's terms."""
    found = _KNOWN.get(id(tax))
    if found is None or found[0] is not tax:
        known = set()
        for skill in tax.skills:
            for phrase in [p for p, _ in strong_phrases(skill)] + list(skill.related):
                known.update(w for w in words_of(phrase) if len(w) >= 3)
        found = _KNOWN[id(tax)] = (tax, frozenset(known))
    return found[1]


def reference_match(
    gig: Gig,
    profiles: Iterable[Profile],
    rates: Rates,
    now: datetime | None = None,
    taxonomy: Taxonomy | None = None,
) -> list[Match]:
    """Every profile, every skill, every term, every position: the matches of one gig."""
    tax = taxonomy or load_taxonomy()
    now = now or datetime.now(UTC)
    known_words = hashtag_words(tax)
    lang = gig.language if gig.language in ("en", "id") else None
    tag_words: list[str | None] = []
    for tag in gig.tags:
        if tag_words:
            tag_words.append(None)
        tag_words.extend(words_of(tag, known_words))
    fields: dict[str, list[str | None]] = {
        "title": list(words_of(gig.title, known_words)),
        "tags": tag_words,
        "text": list(words_of(gig.text, known_words)),
    }
    long_post = len(fields["text"]) > LONG_POST_WORDS
    weight = {"title": TITLE_W, "tags": TAGS_W, "text": LONG_TEXT_W if long_post else TEXT_W}
    if len(gig.tags) > FULL_WEIGHT_TAGS:
        weight["tags"] *= FULL_WEIGHT_TAGS / len(gig.tags)

    def negated(words: list[str | None], start: int) -> bool:
        for i in range(start - 1, max(-1, start - 1 - NEGATION_WINDOW), -1):
            if words[i] is None:
                return False
            if words[i] in tax.negators:
                return True
        return False

    seen_terms: dict[RTerm, tuple[str | None, int, bool]] = {}

    def where(t: RTerm) -> tuple[str | None, int, bool]:
        """Best field with an un-negated occurrence, un-negated occurrences outside the title,
        and whether an un-negated occurrence in the tags is a whole tag."""
        if t in seen_terms:
            return seen_terms[t]
        best, outside, whole = None, 0, False
        for name in FIELDS:
            words = fields[name]
            for start in positions(t, words, lang, tax):
                if not negated(words, start):
                    best = best or name
                    outside += name != "title"
                    end = start + len(t.words)
                    whole = whole or (
                        name == "tags"
                        and (start == 0 or words[start - 1] is None)
                        and (end == len(words) or words[end] is None)
                    )
        seen_terms[t] = (best, outside, whole)
        return best, outside, whole

    # Gig facts.
    top = gig.budget.max if gig.budget.max is not None else gig.budget.min
    amount = to_base(rates, top, gig.budget.currency)
    age = None if gig.posted_at is None else max(0.0, (now - gig.posted_at).total_seconds() / 3600)
    micro = 0
    scope_fields = ("title",) if long_post else ("title", "text")
    if any(w in tax.scope_words for f in scope_fields for w in fields[f]):
        micro += SCOPE
    days = deadline_days(gig)
    if days is not None and days <= DEADLINE_DAYS:
        micro += DEADLINE
    if gig.bids is not None and gig.bids <= FEW_BIDS_MAX:
        micro += FEW_BIDS

    out = []
    for profile in profiles:
        f = profile.filters
        min_base = to_base(rates, f.min_budget, f.currency)
        excluded = False
        for word in f.exclude:
            t = rterm(word)
            if t is not None and any(positions(t, fields[n], lang, tax) for n in FIELDS):
                excluded = True
        if excluded or not passes_filters(f, min_base, gig, amount, age):
            continue
        fits = []
        for key in dict.fromkeys(s.key for s in profile.skills):
            if not key:
                continue
            skill = read_skill(key, tax)
            best: tuple[float, RTerm, str, str | None] | None = None
            for t, w, via in skill.strong:
                field_name, outside, whole = where(t)
                if field_name is None:
                    continue
                fit = weight[field_name] * w
                if field_name == "tags" and not whole:
                    fit *= TAG_PART
                if long_post and field_name != "title":
                    if field_name == "text" and len(t.words) == 1:
                        fit *= WEAK
                    if outside <= 1:
                        fit *= WEAK
                fit *= feedback_weight(profile, t.text)
                if best is None or fit > best[0]:
                    best = (fit, t, field_name, via)
            for roles, domains in skill.pairs:
                role = next((t for t in roles if where(t)[0] == "title"), None)
                if role is None:
                    continue
                domain = next(
                    (t for t in domains if where(t)[0] == "title" and ident(t) != ident(role)),
                    None,
                )
                if domain is not None:
                    text = f"{role.text} + {domain.text}"
                    fit = weight["title"] * PAIR_WEIGHT * feedback_weight(profile, text)
                    pair = RTerm(role.words + domain.words, role.keys + domain.keys, text)
                    if best is None or fit > best[0]:
                        best = (fit, pair, "title", None)
                    break
            if best is not None and best[0] >= MIN_FIT:
                fits.append((best, skill))
        if not fits:
            continue
        fits.sort(key=lambda x: (-x[0][0], x[1].key))
        total = SKILL_POINTS * fits[0][0][0] + min(EXTRA_MAX, EXTRA_EACH * (len(fits) - 1))
        seen = {b[1].text for b, _ in fits}
        related = 0.0
        for _, skill in fits:
            for t in skill.weak:
                if t.text not in seen and where(t)[0] is not None:
                    seen.add(t.text)
                    related += RELATED_EACH * feedback_weight(profile, t.text)
        total += min(RELATED_MAX, related)
        budget = 0
        if amount is not None:
            budget = BUDGET_HIGH if min_base is not None and amount >= 2 * min_base else BUDGET_OK
        score = min(100, int(total + 0.5) + budget + micro)
        if score >= profile.threshold:
            (fit, t, field_name, via), skill = fits[0]
            params: dict[str, str] = {"skill": skill.key, "term": t.text, "field": field_name}
            if via is not None:
                params["via"] = via
            first = Reason.make("implied" if via else "skill", **params)
            out.append(Match(profile.user_id, score, (first,)))
    return out


def feedback_weight(profile: Profile, term: str) -> float:
    """A term's weight after the user's "not relevant" presses."""
    n = profile.feedback.get(term, 0)
    return 1.0 if n <= 0 else max(FEEDBACK_FLOOR, FEEDBACK_FACTOR**n)


def to_base(rates: Rates, amount: Decimal | None, currency: str | None) -> Decimal | None:
    """An amount in the base currency (None when unknown)."""
    if amount is None or currency is None:
        return None
    if currency.upper() == rates.base:
        return amount
    rate = rates.values.get(currency.upper())
    return None if rate is None else amount * rate


def deadline_days(gig: Gig) -> int | None:
    """Days to finish from `finish_days`, else from a `deadline` date."""
    days = gig.extra.get("finish_days")
    if days is not None:
        try:
            return max(0, int(days))
        except ValueError:
            return None
    deadline = gig.extra.get("deadline")
    if deadline and gig.posted_at is not None:
        try:
            when = datetime.fromisoformat(deadline)
        except ValueError:
            return None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        return max(0, (when - gig.posted_at).days)
    return None


def passes_filters(
    f: Filters, min_base: Decimal | None, gig: Gig, amount: Decimal | None, age: float | None
) -> bool:
    """The user's hard filters; unknown values pass (except a strict budget)."""
    if amount is None and f.strict_budget:
        return False
    if amount is not None and min_base is not None and amount < min_base:
        return False
    if f.budget_types and str(gig.budget.type) not in f.budget_types:
        return False
    if f.languages and gig.language is not None and gig.language not in f.languages:
        return False
    if f.sources and gig.source not in f.sources:
        return False
    if f.max_bids is not None and gig.bids is not None and gig.bids > f.max_bids:
        return False
    if f.hide_risky and gig.risk:
        return False
    kinds = employment_types(gig)
    if f.employment_types and kinds and not any(k in f.employment_types for k in kinds):
        return False
    where = workplace_type(gig)
    if f.workplace_types and where is not None and where not in f.workplace_types:
        return False
    return not (f.max_age_hours is not None and age is not None and age > f.max_age_hours)


def same_matches(found: Sequence[Match], expected: Sequence[Match]) -> list[str]:
    """How the index's matches differ from the reference's (empty when they agree)."""
    problems = []
    got = {m.user_id: m for m in found}
    want = {m.user_id: m for m in expected}
    if set(got) != set(want):
        problems.append(f"users: index {sorted(got)} reference {sorted(want)}")
    for uid in set(got) & set(want):
        a, b = got[uid], want[uid]
        if abs(a.score - b.score) > SCORE_TOLERANCE:
            problems.append(f"user {uid}: score {a.score} vs {b.score}")
        first_a = (a.reasons[0].code, a.reasons[0].get("skill"))
        first_b = (b.reasons[0].code, b.reasons[0].get("skill"))
        if first_a != first_b:
            problems.append(f"user {uid}: first reason {first_a} vs {first_b}")
    return problems
