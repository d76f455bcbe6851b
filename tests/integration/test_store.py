"""Repositories on a real database: idempotent upserts, the outbox, applications, earnings."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.money import Rates
from bot.ingest.duplicates import link_duplicates
from bot.ingest.matcher import Matcher
from bot.matching.index import MatchGroup
from bot.store.bulk import NewAlert
from bot.store.db import Database
from bot.store.models import utcnow
from bot.store.repos import ApplicationRepo, DeliveryRepo, EarningRepo, GigRepo, SkillRepo, UserRepo
from scrapers.model import Gig
from tests.support.factories import gig, match_new_gigs, user_with_skills


async def test_gigs_are_stored_once_and_refreshed(db: Database) -> None:
    async with db.transaction() as session:
        first = await GigRepo(session).upsert([gig("a1", "Logo UMKM"), gig("b2", "Artikel SEO")])
    assert [g.external_id for g in first] == ["a1", "b2"]
    assert first[0].budget_min == Decimal("150000.00") and first[0].currency == "IDR"
    assert first[0].posted_at is not None and first[0].posted_at.utcoffset() == timedelta(0)
    async with db.transaction() as session:
        again = await GigRepo(session).upsert(
            [gig("a1", "Logo UMKM (revisi)"), gig("c3", "Entri data")]
        )
        assert [g.external_id for g in again] == ["c3"]
        assert await GigRepo(session).count() == 3
        refreshed = await GigRepo(session).get(first[0].id)
        assert refreshed is not None and refreshed.title == "Logo UMKM (revisi)"


async def test_same_id_on_two_sources_is_two_gigs(db: Database) -> None:
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert(
            [gig("1", "Logo"), gig("1", "Logo", source="remoteok")]
        )
    assert len(rows) == 2


async def test_matching_queues_each_user_gig_pair_once(db: Database) -> None:
    await user_with_skills(db, 1, "logo")
    await user_with_skills(db, 2, "artikel")
    await user_with_skills(db, 3, "video editing")
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert(
            [gig("a1", "Desain logo kopi"), gig("b2", "Write SEO articles")]
        )
    assert await match_new_gigs(db, rows) == 2
    assert await match_new_gigs(db, rows) == 0
    async with db.transaction() as session:
        repo = DeliveryRepo(session)
        logo = await repo.find(1, rows[0].id)
        article = await repo.find(2, rows[1].id)
        assert logo is not None and logo.reasons[0]["field"] == "title"
        assert article is not None and article.reasons[0]["code"] == "skill"
        assert "article" in str(article.reasons[0]["term"])  # Indonesian skill, English gig
        assert await repo.find(3, rows[0].id) is None
        assert await repo.enqueue([NewAlert(1, rows[0].id, 10, [])]) == 0


async def test_inactive_users_are_not_matched(db: Database) -> None:
    await user_with_skills(db, 7, "logo")
    async with db.transaction() as session:
        await UserRepo(session).deactivate(7)
        rows = await GigRepo(session).upsert([gig("z9", "Logo toko")])
    assert await match_new_gigs(db, rows) == 0


async def test_skills_subscribe_once(db: Database) -> None:
    await user_with_skills(db, 5, "logo")
    async with db.transaction() as session:
        repo = SkillRepo(session)
        assert await repo.add(5, "Logo", "logo") is False
        assert await repo.add(5, "data entry", "data entry") is True
        assert [s.name for s in await repo.list_for(5)] == ["logo", "data entry"]
        assert await repo.remove(5, "logo") is True
        assert await repo.remove(5, "logo") is False


async def test_applying_twice_keeps_one_application(db: Database) -> None:
    await user_with_skills(db, 9, "logo")
    async with db.transaction() as session:
        (row,) = await GigRepo(session).upsert([gig("q1", "Logo")])
        apps = ApplicationRepo(session)
        first, created = await apps.record_for_gig(9, row)
        second, created_again = await apps.record_for_gig(9, row)
        assert created and not created_again
        assert first.id == second.id
        assert await apps.count_for(9) == 1


async def test_earnings_totals_per_currency_and_period(db: Database) -> None:
    await user_with_skills(db, 11)
    await user_with_skills(db, 12)
    async with db.transaction() as session:
        repo = EarningRepo(session)
        await repo.add(11, Decimal("150000"), "IDR", "logo")
        await repo.add(11, Decimal("0.10"), "USD", "")
        await repo.add(11, Decimal("0.20"), "USD", "")
        old = await repo.add(11, Decimal("999"), "IDR", "old")
        old.earned_at = utcnow() - timedelta(days=400)
        await repo.add(12, Decimal("5"), "USD", "someone else")
    async with db.transaction() as session:
        repo = EarningRepo(session)
        recent = await repo.totals_since(11, utcnow() - timedelta(days=30))
        ever = await repo.totals_since(11, None)
    assert [(t.currency, t.amount, t.entries) for t in recent] == [
        ("IDR", Decimal("150000.00"), 1),
        ("USD", Decimal("0.30"), 2),
    ]
    assert (ever[0].currency, ever[0].amount) == ("IDR", Decimal("150999.00"))


async def test_same_gig_on_two_sources_is_alerted_once_and_linked(db: Database) -> None:
    await user_with_skills(db, 21, "logo")
    text = "Butuh logo untuk usaha kopi kekinian, gaya minimalis, tiga konsep, revisi dua kali."
    async with db.transaction() as session:
        repo = GigRepo(session)
        first = await repo.upsert([gig("p1", "Desain Logo Kopi Kekinian", text=text)])
        originals = await link_duplicates(repo, first)
    assert [g.external_id for g in originals] == ["p1"]
    assert await match_new_gigs(db, originals) == 1
    async with db.transaction() as session:
        repo = GigRepo(session)
        repost = await repo.upsert(
            [
                gig("tg/77", "desain logo kopi kekinian!", source="telegram", text=text),
                gig("p2", "Desain logo warung bakso", text="Logo untuk warung bakso Malang."),
            ]
        )
        originals = await link_duplicates(repo, repost)
        assert [g.external_id for g in originals] == ["p2"]
        duplicate = next(g for g in repost if g.external_id == "tg/77")
        assert duplicate.duplicate_of == first[0].id
        also = await repo.also_listed([first[0].id])
    assert also == {first[0].id: [("telegram", duplicate.url)]}
    assert await match_new_gigs(db, originals) == 1  # only the bakso logo is new to the user


async def test_old_gigs_are_not_duplicates(db: Database) -> None:
    async with db.transaction() as session:
        repo = GigRepo(session)
        (old,) = await repo.upsert([gig("o1", "Entri data 500 produk")])
        old.first_seen_at = utcnow() - timedelta(days=30)
    async with db.transaction() as session:
        repo = GigRepo(session)
        new = await repo.upsert([gig("o2", "Entri data 500 produk")])
        assert await link_duplicates(repo, new) == new


async def test_a_gig_the_matcher_cannot_handle_does_not_hold_up_the_others(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    await user_with_skills(db, 31, "logo")
    async with db.transaction() as session:
        rows = await GigRepo(session).upsert(
            [gig("poison", "Desain logo rusak"), gig("fine", "Desain logo kopi")]
        )
    matcher = Matcher(db, Rates())
    real = matcher.index.match_groups

    def fails_on_poison(item: Gig, now: datetime | None = None) -> list[MatchGroup]:
        if item.external_id == "poison":
            raise ValueError("a budget the matcher does not expect")
        return real(item, now)

    monkeypatch.setattr(matcher.index, "match_groups", fails_on_poison)
    assert await matcher.match_pending("projects_co_id") == 1
    assert await matcher.match_pending("projects_co_id") == 0
    async with db.transaction() as session:
        assert await GigRepo(session).unmatched("projects_co_id", 10) == []
        assert await DeliveryRepo(session).find(31, rows[1].id) is not None
        assert await DeliveryRepo(session).find(31, rows[0].id) is None


async def test_only_unmatched_originals_wait_for_matching(db: Database) -> None:
    text = "Butuh logo untuk usaha kopi kekinian, gaya minimalis, tiga konsep, revisi dua kali."
    async with db.transaction() as session:
        repo = GigRepo(session)
        first = await repo.upsert([gig("u1", "Desain Logo Kopi Kekinian", text=text)])
        await link_duplicates(repo, first)
        await repo.mark_matched(row.id for row in first)
        again = await repo.upsert([gig("u2", "Desain logo kopi kekinian!", text=text)])
        await link_duplicates(repo, again)
        fresh = await repo.upsert([gig("u3", "Entri data toko")])
        await link_duplicates(repo, fresh)
        waiting = await repo.unmatched("projects_co_id", 10)
    assert [row.external_id for row in waiting] == ["u3"]  # u1 matched, u2 repeats u1
