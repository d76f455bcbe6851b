"""What the bot says to text it does not understand, and to photos, stickers and voice notes:
a hint that fits where the user is (no skills yet, an amount without a command, a greeting)."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.domain import tracking
from bot.domain.money import looks_like_amount
from bot.handlers.common import Context, Handler, Turn, reply, turn
from bot.store.repos import SkillRepo
from bot.store.tracking_repo import TrackingRepo

GREETINGS = frozenset(
    {
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "hey",
        "helo",
        "pagi",
        "siang",
        "sore",
        "malam",
        "selamat pagi",
        "selamat siang",
        "selamat sore",
        "selamat malam",
        "assalamualaikum",
        "permisi",
        "p",
        "start",
        "mulai",
        "menu",
        "help",
        "bantuan",
        "tolong",
    }
)
MEDIA = (
    filters.PHOTO
    | filters.Sticker.ALL
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
)


async def hint_for(t: Turn, text: str) -> str:
    """A one- or two-line hint for text no handler took, chosen by the user's state."""
    _ = t._
    skills = [s.name for s in await SkillRepo(t.session).list_for(t.user.id)]
    words = " ".join(text.casefold().strip(" !?.,").split())
    if looks_like_amount(text):
        active = await TrackingRepo(t.session).listing(t.user.id, tracking.ACTIVE, 1)
        number = active[0].number if active else None
        amount = text.split()[0]
        lines = [
            _("Is {amount} an amount? Record income with /earned {amount}.").format(amount=amount)
        ]
        if number is not None:
            lines.append(
                _(
                    "For a gig you won or got paid for: /won {number} {amount} "
                    "or /paid {number} {amount}"
                ).format(number=number, amount=amount)
            )
        return "💡 " + escape("\n".join(lines))
    if not skills:
        return "💡 " + escape(_("To get alerts, add a skill: /subscribe logo. All commands: /help"))
    if words in GREETINGS:
        name = t.user.first_name or _("there")
        return "👋 " + escape(
            _("Hi {name}! I am watching new gigs for: {skills}. What I do for you: /status").format(
                name=name, skills=", ".join(skills)
            )
        )
    return "💡 " + escape(
        _(
            "I did not understand that. To track a gig, send its link; your gigs: /active; "
            "your money: /earnings. All commands: /help"
        )
    )


async def unknown_text(update: Update, context: Context) -> None:
    """Text that is not a command and that no step took: a hint that fits the user."""
    message = update.effective_message
    if message is None:
        return
    async with turn(update, context) as t:
        text = await hint_for(t, message.text or "")
    await reply(update, text)


async def media(update: Update, context: Context) -> None:
    """Photos, stickers, voice notes and files: say what the bot can read."""
    async with turn(update, context) as t:
        text = t._(
            "I can only read text. To track a gig, send its link or forward its post; "
            "all commands: /help"
        )
    await reply(update, "📎 " + escape(text))


def fallback_handlers() -> list[Handler]:
    """Register last in group 0: text and media nothing else took."""
    return [
        MessageHandler(filters.TEXT & ~filters.COMMAND, unknown_text),
        MessageHandler(MEDIA & ~filters.FORWARDED, media),
    ]
