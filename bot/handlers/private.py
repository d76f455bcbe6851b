"""The bot works in private chats only: everywhere else it points to its private chat.

A command in a group, supergroup or channel gets one line with a link to the private chat;
a button pressed there is answered without effect; anything else is ignored. Nothing is
read into or written to the user's data, so a group never becomes anyone's alert chat and
no member sees another's skills, earnings or settings.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.app.runtime import runtime_of
from bot.handlers.common import Context
from bot.store.repos import UserRepo
from bot.ui.i18n import N_, language_for, translator

log = logging.getLogger(__name__)
PRIVATE_ONLY = N_("I only work in a private chat, so your data stays yours: {link}")


async def _language(update: Update, context: Context) -> str:
    """The language the user chose in the private chat, else their Telegram language."""
    tg_user = update.effective_user
    if tg_user is None:
        return language_for(None)
    async with runtime_of(context.bot_data).db.transaction() as session:
        user = await UserRepo(session).get(tg_user.id)
    return user.language if user is not None else language_for(tg_user.language_code)


def _is_command_for(update: Update, username: str | None) -> bool:
    """A command to this bot (in a group, "/start@otherbot" is someone else's); edits of
    old messages are not commands."""
    message = update.message or update.channel_post
    if message is None or not message.text or not message.text.startswith("/"):
        return False
    _command, _at, addressee = message.text.split(maxsplit=1)[0].partition("@")
    return not addressee or addressee.casefold() == (username or "").casefold()


async def private_chats_only(update: Update, context: Context) -> None:
    """Stop every update that does not come from a private chat, answering what asks."""
    chat = update.effective_chat
    if chat is None or chat.type == Chat.PRIVATE:
        return
    username = context.bot.username
    if update.callback_query is not None or _is_command_for(update, username):
        _ = translator(await _language(update, context))
        text = _(PRIVATE_ONLY).format(link=f"https://t.me/{username}")
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif update.effective_message is not None:
                await update.effective_message.reply_text(text, parse_mode=None)
        except TelegramError as exc:  # e.g. a channel where the bot may not post
            log.info("could not answer in %s chat %s: %s", chat.type, chat.id, exc)
    raise ApplicationHandlerStop
