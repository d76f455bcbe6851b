"""Proposal templates, portfolio links, drafts, and how each template did."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Application, Draft, PortfolioLink, ProposalTemplate, utcnow
from bot.store.repos import _insert

MAX_LINKS = 20


@dataclass(frozen=True)
class TemplateCounts:
    """Applications drafted with a template, and how many got a reply and a win."""

    uses: int
    replies: int
    wins: int


class TemplateRepo:
    """A user's own templates, one per skill and language."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for(self, user_id: int) -> list[ProposalTemplate]:
        """A user's templates, by skill."""
        rows = await self.session.scalars(
            select(ProposalTemplate)
            .where(ProposalTemplate.user_id == user_id)
            .order_by(ProposalTemplate.skill, ProposalTemplate.language)
        )
        return list(rows)

    async def find(self, user_id: int, skill: str, language: str) -> ProposalTemplate | None:
        """The user's template for a skill in a language."""
        return await self.session.scalar(
            select(ProposalTemplate).where(
                ProposalTemplate.user_id == user_id,
                ProposalTemplate.skill == skill,
                ProposalTemplate.language == language,
            )
        )

    async def put(
        self, user_id: int, skill: str, name: str, language: str, text: str
    ) -> ProposalTemplate:
        """Set (or replace) the user's template for a skill in a language."""
        row = await self.find(user_id, skill, language)
        if row is None:
            row = ProposalTemplate(user_id=user_id, skill=skill, language=language, text=text)
            self.session.add(row)
        row.name, row.text, row.updated_at = name, text, utcnow()
        await self.session.flush()
        return row

    async def remove(self, user_id: int, skill: str, language: str) -> bool:
        """Drop the user's template for a skill (the built-in one is used again)."""
        result = await self.session.execute(
            delete(ProposalTemplate).where(
                ProposalTemplate.user_id == user_id,
                ProposalTemplate.skill == skill,
                ProposalTemplate.language == language,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def counts(self, user_id: int) -> dict[str, TemplateCounts]:
        """Per template key: applications that used it, replies, wins."""
        replied = func.sum(case((Application.replied_at.is_not(None), 1), else_=0))
        won = func.sum(case((Application.won_at.is_not(None), 1), else_=0))
        rows = await self.session.execute(
            select(Application.template, func.count(Application.id), replied, won)
            .where(Application.user_id == user_id, Application.template.is_not(None))
            .group_by(Application.template)
        )
        return {
            key: TemplateCounts(int(n), int(r or 0), int(w or 0)) for key, n, r, w in rows.all()
        }


class PortfolioRepo:
    """Links to a user's work."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_for(self, user_id: int) -> list[PortfolioLink]:
        """A user's links, oldest first."""
        rows = await self.session.scalars(
            select(PortfolioLink).where(PortfolioLink.user_id == user_id).order_by(PortfolioLink.id)
        )
        return list(rows)

    async def add(self, user_id: int, url: str, skill: str | None, name: str | None) -> bool:
        """Store a link (for one skill, or for every draft); False when already there."""
        for row in await self.list_for(user_id):
            if row.url == url and row.skill == skill:
                return False
        self.session.add(PortfolioLink(user_id=user_id, url=url, skill=skill, name=name))
        await self.session.flush()
        return True

    async def remove(self, user_id: int, link_id: int) -> PortfolioLink | None:
        """Remove one of the user's links; the removed row, or None."""
        row = await self.session.scalar(
            select(PortfolioLink).where(
                PortfolioLink.id == link_id, PortfolioLink.user_id == user_id
            )
        )
        if row is not None:
            await self.session.delete(row)
            await self.session.flush()
        return row

    async def for_skill(self, user_id: int, skill: str | None) -> list[str]:
        """The links a draft for this skill shows: the skill's own, then the general ones."""
        rows = await self.list_for(user_id)
        own = [r.url for r in rows if skill is not None and r.skill == skill]
        general = [r.url for r in rows if r.skill is None]
        return list(dict.fromkeys(own + general))


class DraftRepo:
    """The template of the last draft per user and gig, until they apply."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, user_id: int, gig_id: int, template: str) -> None:
        """Remember that the user drafted this gig with this template."""
        stmt = _insert(self.session, Draft).values(
            user_id=user_id, gig_id=gig_id, template=template, created_at=utcnow()
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "gig_id"],
            set_={"template": template, "created_at": utcnow()},
        )
        await self.session.execute(stmt)

    async def attach(self, app: Application) -> None:
        """Record the drafted template on an application made from an alert."""
        if app.template is not None or app.gig_id is None:
            return
        app.template = await self.session.scalar(
            select(Draft.template).where(Draft.user_id == app.user_id, Draft.gig_id == app.gig_id)
        )
