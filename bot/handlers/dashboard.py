"""/dashboard and the menu button: the Mini App with earnings, pipeline, skills and filters."""

from __future__ import annotations

import logging
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.app.config import Settings
from bot.handlers.common import App, Context, Handler, reply, turn
from bot.ui.i18n import N_, translator

log = logging.getLogger(__name__)
MENU_LABEL = N_("Dashboard")


def dashboard_url(settings: Settings) -> str | None:
    """Where Telegram opens the Mini App, or None when server.public_url is not set."""
    return settings.server.webapp_url


async def set_menu_button(application: App, settings: Settings) -> None:
    """Make the bot's menu button open the dashboard (post_init; a failure is only logged)."""
    url = dashboard_url(settings)
    if url is None:
        return
    button = MenuButtonWebApp(translator("en")(MENU_LABEL), WebAppInfo(url))
    try:
        await application.bot.set_chat_menu_button(menu_button=button)
    except TelegramError as error:
        log.warning("could not set the dashboard menu button: %s", error)


async def dashboard(update: Update, context: Context) -> None:
    """A button that opens the dashboard, or how an admin switches it on."""
    async with turn(update, context) as t:
        _ = t._
        url = dashboard_url(t.runtime.settings)
        if url is None:
            text = "ℹ️ " + escape(
                _(
                    "The dashboard is not switched on for this bot. Its admin turns it on by "
                    "setting server.public_url (or SAMBILAN_SERVER__PUBLIC_URL) to the public "
                    "https address of the bot's web server. Meanwhile /earnings, /active and "
                    "/skills show the same in the chat."
                )
            )
            markup = None
        else:
            text = "📊 " + escape(
                _(
                    "Your earnings, your gigs step by step, your skills and filters: "
                    "open the dashboard."
                )
            )
            label = "📊 " + _("Open the dashboard")
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, web_app=WebAppInfo(url))]])
    await reply(update, text, markup)


def handlers() -> list[Handler]:
    """/dashboard."""
    return [CommandHandler("dashboard", dashboard)]
