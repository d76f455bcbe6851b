"""/start (onboarding for new users, a short welcome back for returning ones) and /help."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.handlers.common import Context, Handler, reply, turn
from bot.handlers.common.profile import DONE, FLOW, PREFIX, begin
from bot.store.models import User
from bot.store.repos import SkillRepo
from bot.ui.i18n import Translate, language_for, translator

SETTINGS_BUTTON = "se:show"


def help_text(_: Translate) -> str:
    """The list of commands with examples; their arguments in the user's language."""
    rows = [
        (_("/subscribe <skill>"), _("get alerts for a skill, e.g. /subscribe logo")),
        (_("/unsubscribe <skill>"), _("stop alerts for a skill")),
        ("/skills", _("list your skills")),
        ("/applied", _("gigs you applied for")),
        ("/saved", _("gigs you saved for later")),
        ("/active", _("gigs in progress, with buttons to move them on")),
        (
            _("/won <number> <amount> [deadline]"),
            _("e.g. /won 2 500rb 3 days; also /replied, /delivered, /lost, /withdraw"),
        ),
        (_("/paid <number> <amount> [fee <fee>]"), _("e.g. /paid 12 500rb fee 50rb")),
        (
            _("/earned <amount> [currency] [note]"),
            _("record income, e.g. /earned 150rb or /earned 20 USD"),
        ),
        (
            _("/earnings [today|week|month|year|all|2026-11]"),
            _("totals, unpaid, win rate and a chart"),
        ),
        (_("/earnings list"), _("your latest entries, to delete a wrong one")),
        ("/dashboard", _("earnings, gigs, skills and filters in an app inside Telegram")),
        ("/export", _("your applications and earnings as CSV files (spreadsheets)")),
        (
            "/minbudget, /maxbids, /maxage, /threshold",
            _("tune which gigs reach you, e.g. /minbudget 100rb"),
        ),
        ("/lowered", _("terms you marked not relevant, and how to restore them")),
        ("/status", _("what I am doing for you")),
        ("/settings", _("language, time zone, budget, limits, quiet hours")),
        ("/filters", _("exclude words, budget types, sources, languages")),
        ("/quiet 22:00-06:00", _("no alerts at these hours; one digest after")),
        ("/digest 19:30", _("one daily digest instead of instant alerts")),
        ("/limit 3", _("the most gigs you want active at once")),
        ("/pause, /resume", _("stop and restart alerts")),
        ("/lang", _("Bahasa Indonesia or English")),
        ("/delete_me", _("delete all your data")),
        ("/help", _("this message")),
    ]
    lines = ["<b>" + escape(_("What I can do")) + "</b>"]
    lines += [f"{escape(syntax)} — {escape(meaning)}" for syntax, meaning in rows]
    return "\n".join(lines)


def is_returning(user: User, new_user: bool, has_skills: bool) -> bool:
    """A user who finished onboarding before (or used the bot before it existed)."""
    if new_user or user.onboarding_step in FLOW:
        return False
    return user.onboarding_step is not None or has_skills


def welcome_back(user: User, skills: list[str], _: Translate) -> str:
    """A short status for a returning user."""
    name = escape(user.first_name or _("there"))
    state = _("Alerts are paused (/resume).") if user.paused else _("Alerts are on.")
    listing = ", ".join(skills) if skills else _("none yet (add one with /subscribe logo)")
    return "\n".join(
        [
            "👋 " + _("Welcome back, {name}!").format(name=name),
            escape(state),
            escape(_("Skills: {skills}").format(skills=listing)),
            escape(_("Everything I do for you: /status. All commands: /help")),
        ]
    )


async def start(update: Update, context: Context) -> None:
    """New users: the onboarding flow; returning users: a short welcome back."""
    async with turn(update, context) as t:
        _ = t._
        skills = [s.name for s in await SkillRepo(t.session).list_for(t.user.id)]
        if is_returning(t.user, t.new_user, bool(skills)):
            if t.user.onboarding_step is None:
                t.user.onboarding_step = DONE
            text = welcome_back(t.user, skills, _)
            markup: InlineKeyboardMarkup | None = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            "🔁 " + _("Set up again"), callback_data=PREFIX + "again"
                        ),
                        InlineKeyboardButton("⚙️ " + _("Settings"), callback_data=SETTINGS_BUTTON),
                    ]
                ]
            )
        else:
            text, markup = await begin(t)
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, reply_markup=markup)


async def help_command(update: Update, context: Context) -> None:
    """Show the commands."""
    async with turn(update, context) as t:
        text = help_text(t._)
    await reply(update, text)


def handlers() -> list[Handler]:
    """/start and /help."""
    return [CommandHandler("start", start), CommandHandler("help", help_command)]


async def unknown_button(update: Update, context: Context) -> None:
    """A button no handler knows (an old keyboard, forged data): answer so it stops spinning."""
    query = update.callback_query
    assert query is not None
    user = update.effective_user
    _ = translator(language_for(user.language_code if user else None))
    await query.answer(_("This button is not valid any more."), show_alert=True)


def fallback_handlers() -> list[Handler]:
    """Register last in group 0: every button press nothing else took."""
    return [CallbackQueryHandler(unknown_button)]
