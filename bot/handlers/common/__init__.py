"""What every handler needs: the runtime, the current user and their language."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Chat, InlineKeyboardMarkup, Update
from telegram.ext import Application, BaseHandler, ContextTypes, ExtBot, JobQueue

from bot.app.runtime import Runtime, runtime_of
from bot.store.models import User, utcnow
from bot.store.repos import UserRepo
from bot.ui.i18n import Translate, language_for, translator

Context = ContextTypes.DEFAULT_TYPE
# The Application ApplicationBuilder().build() gives, and the handlers it takes.
App = Application[
    ExtBot[None], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], JobQueue[Context]
]
Handler = BaseHandler[Update, Context, None]


@dataclass
class Turn:
    """One update being handled: its session, user and translator."""

    session: AsyncSession
    user: User
    new_user: bool
    _: Translate
    runtime: Runtime


@asynccontextmanager
async def turn(update: Update, context: Context) -> AsyncIterator[Turn]:
    """Open a transaction and load (or create) the user who sent the update."""
    runtime = runtime_of(context.bot_data)
    tg_user = update.effective_user
    chat = update.effective_chat
    # bot.handlers.private stops every other chat type before any handler runs.
    assert tg_user is not None and chat is not None and chat.type == Chat.PRIVATE
    async with runtime.db.transaction() as session:
        user, created = await UserRepo(session).ensure(
            tg_user.id,
            tg_user.id,  # alerts go to the user's private chat, whose id is the user's
            first_name=tg_user.first_name or "",
            language=language_for(tg_user.language_code),
            timezone=runtime.settings.bot.timezone,
            currency=runtime.settings.bot.currency,
        )
        yield Turn(session, user, created, translator(user.language), runtime)
        # Anything the user did may change what they should be matched with: matchers in
        # every process re-read users whose updated_at moved.
        user.updated_at = utcnow()


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the same chat, as HTML without link previews (optionally with buttons)."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, reply_markup=markup)
