"""The one place that wires the PTB Application: handlers, resources, jobs, commands."""

from __future__ import annotations

import html
import logging

from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    ApplicationHandlerStop,
    CommandHandler,
    Defaults,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.app.config import Settings
from bot.app.flood import FloodGuard
from bot.app.jobs import DELIVERY_KEY, schedule_jobs
from bot.app.runtime import RUNTIME_KEY, Runtime, runtime_of
from bot.handlers import (
    account,
    admin,
    dashboard,
    earnings,
    feedback,
    gigs,
    hints,
    onboarding,
    portfolio,
    proposals,
    rates,
    skill_offers,
    skills,
    start,
    status,
    tracking,
    tuning,
)
from bot.handlers import (
    settings as settings_handlers,
)
from bot.handlers.common import App, Context
from bot.handlers.private import private_chats_only
from bot.outbox.delivery import MAX_IN_FLIGHT, DeliveryWorker
from bot.outbox.pacing import PacedLimiter, pacer_for
from bot.ui.i18n import LANGUAGES, N_, language_for, translator

log = logging.getLogger(__name__)
SETTINGS_KEY = "settings"
FLOOD_KEY = "flood"
PACER_KEY = "pacer"
# Every message is HTML without link previews unless a call says otherwise (parse_mode=None).
DEFAULTS = Defaults(
    parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
)

COMMANDS = (
    ("start", N_("Start and see how it works")),
    ("status", N_("What I am doing for you")),
    ("subscribe", N_("Get alerts for a skill")),
    ("unsubscribe", N_("Stop alerts for a skill")),
    ("skills", N_("List your skills")),
    ("rates", N_("Market rates for a skill")),
    ("templates", N_("Your proposal templates")),
    ("portfolio", N_("Links to your work for proposals")),
    ("applied", N_("Gigs you applied for")),
    ("active", N_("Gigs in progress")),
    ("saved", N_("Gigs you saved")),
    ("earned", N_("Record income")),
    ("earnings", N_("Your totals")),
    ("dashboard", N_("Earnings and gigs in an app")),
    ("settings", N_("Language, time zone, budget, limits")),
    ("filters", N_("Exclude words, budget types, sources")),
    ("quiet", N_("Quiet hours")),
    ("digest", N_("Daily digest instead of instant alerts")),
    ("limit", N_("Most gigs active at once")),
    ("minbudget", N_("Minimum budget for alerts")),
    ("threshold", N_("How close a match must be (0-100)")),
    ("lowered", N_("Terms you marked not relevant")),
    ("pause", N_("Pause alerts")),
    ("resume", N_("Resume alerts")),
    ("lang", N_("Bahasa Indonesia / English")),
    ("export", N_("Download your applications and earnings (CSV)")),
    ("delete_me", N_("Delete all your data")),
    ("help", N_("All commands")),
)


async def unknown_command(update: Update, context: Context) -> None:
    """Point lost users to /help."""
    user = update.effective_user
    _ = translator(language_for(user.language_code if user else None))
    if update.effective_message:
        await update.effective_message.reply_text(
            _("I don't know that command. See /help for what I can do."), parse_mode=None
        )


async def on_error(update: object, context: Context) -> None:
    """Log the failure and tell the user something went wrong, without details."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message:
        user = update.effective_user
        _ = translator(language_for(user.language_code if user else None))
        await update.effective_message.reply_text(
            "⚠️ " + html.escape(_("Something went wrong on my side. Please try again."))
        )


async def flood_check(update: Update, context: Context) -> None:
    """Answer a flooding user once, then ignore them until their bucket refills."""
    user = update.effective_user
    guard: FloodGuard = context.bot_data[FLOOD_KEY]
    if user is None or guard.allow(user.id):
        return
    if guard.should_warn(user.id):
        _ = translator(language_for(user.language_code))
        text = _("Too many messages at once. Please wait a few seconds and try again.")
        if update.callback_query:
            await update.callback_query.answer(text)
        elif update.effective_message:
            await update.effective_message.reply_text(text, parse_mode=None)
    raise ApplicationHandlerStop


def register_handlers(application: App, admin_ids: list[int] | None = None) -> None:
    """Every command and button the bot understands, in one place."""
    application.add_handler(TypeHandler(Update, flood_check), group=-10)
    # Groups, supergroups and channels get a pointer to the private chat and nothing else.
    application.add_handler(TypeHandler(Update, private_chats_only), group=-5)
    # Typed answers (amounts asked for, forwarded gigs, onboarding steps) are looked at
    # first, each in its own group because PTB runs one handler per group; each stops the
    # update only when it used the message.
    for handler in tracking.message_handlers():
        application.add_handler(handler, group=-2)
    for handler in onboarding.input_handlers():
        application.add_handler(handler, group=-1)
    for handler in [
        *start.handlers(),
        *onboarding.handlers(),
        *settings_handlers.handlers(),
        *status.handlers(),
        CommandHandler("skills", skills.skills),
        CommandHandler("subscribe", skills.subscribe),
        CommandHandler("unsubscribe", skills.unsubscribe),
        *skill_offers.handlers(),
        *rates.handlers(),
        *proposals.handlers(),
        *portfolio.handlers(),
        *gigs.handlers(),
        *feedback.handlers(),
        *tuning.handlers(),
        *tracking.handlers(),
        *earnings.handlers(),
        *dashboard.handlers(),
        *account.handlers(),
        *admin.handlers(admin_ids or []),
        *start.fallback_handlers(),
        MessageHandler(filters.COMMAND, unknown_command),
        *hints.fallback_handlers(),
    ]:
        application.add_handler(handler)
    application.add_error_handler(on_error)


async def set_commands(application: App) -> None:
    """Register the command menu in English and Indonesian."""
    for language in LANGUAGES:
        _ = translator(language)
        commands = [BotCommand(name, _(description)) for name, description in COMMANDS]
        await application.bot.set_my_commands(
            commands, language_code=None if language == "en" else language
        )


async def open_resources(application: App) -> None:
    """post_init: database (migrated), HTTP session, delivery worker, jobs, command menu
    and, with server.public_url, the menu button that opens the dashboard.

    Only the `all` and `bot` roles send: a `worker` scrapes and matches, and has no
    delivery worker at all."""
    settings: Settings = application.bot_data[SETTINGS_KEY]
    runtime = await Runtime.open(settings)
    application.bot_data[RUNTIME_KEY] = runtime
    role = application.bot_data.get("role", "all")
    if role != "worker":
        application.bot_data[DELIVERY_KEY] = DeliveryWorker(
            await runtime.enter(outbox_bot(application.bot)),
            runtime.db,
            labels=runtime.labels,
            rates=runtime.rates,
            metrics=runtime.metrics,
            batch_size=settings.delivery.batch_size,
            max_attempts=settings.delivery.max_attempts,
            pacer=application.bot_data[PACER_KEY],
            exclusive=True,
            paid_broadcast=settings.delivery.paid_broadcast,
        )
        await set_commands(application)
        await dashboard.set_menu_button(application, settings)
    schedule_jobs(application, runtime, role)


def outbox_bot(bot: Bot) -> Bot:
    """A Bot for the outbox: the same token and endpoint, its own connection pool, and no
    retrying rate limiter — the delivery worker paces itself and handles 429s exactly."""
    if not isinstance(bot.request, HTTPXRequest):
        return bot  # tests that inject their own request object keep it
    return ExtBot(
        bot.token,
        base_url=bot.base_url.removesuffix(bot.token),
        base_file_url=bot.base_file_url.removesuffix(bot.token),
        request=HTTPXRequest(connection_pool_size=MAX_IN_FLIGHT + 4),
        defaults=bot.defaults if isinstance(bot, ExtBot) else None,
    )


async def close_resources(application: App) -> None:
    """post_shutdown: close what open_resources opened."""
    worker = application.bot_data.pop(DELIVERY_KEY, None)
    if worker is not None:
        await worker.close()
    if RUNTIME_KEY in application.bot_data:
        await runtime_of(application.bot_data).close()


def build_application(settings: Settings, *, request: BaseRequest | None = None) -> App:
    """The bot, wired and ready for run_polling (or initialize/post_init/start in tests)."""
    delivery = settings.delivery
    pacer = pacer_for(delivery.paid_broadcast, delivery.paid_rate)
    builder = (
        ApplicationBuilder()
        .token(settings.require_token())
        .base_url(settings.telegram.api_base_url)
        .base_file_url(settings.telegram.api_file_url)
        .rate_limiter(PacedLimiter(pacer))
        .post_init(open_resources)
        .post_shutdown(close_resources)
        .defaults(DEFAULTS)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    application.bot_data[SETTINGS_KEY] = settings
    application.bot_data[PACER_KEY] = pacer
    application.bot_data[FLOOD_KEY] = FloodGuard(
        rate=settings.bot.commands_per_second, burst=settings.bot.command_burst
    )
    register_handlers(application, settings.telegram.admin_ids)
    return application
