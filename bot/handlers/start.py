"""/start and /help."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.handlers.common import Context, reply, turn
from bot.i18n import Translate


def help_text(_: Translate) -> str:
    """The list of commands with examples."""
    return "\n".join(
        [
            "<b>" + escape(_("What I can do")) + "</b>",
            "/subscribe &lt;skill&gt; — "
            + escape(_("get alerts for a skill, e.g. /subscribe logo")),
            "/unsubscribe &lt;skill&gt; — " + escape(_("stop alerts for a skill")),
            "/skills — " + escape(_("list your skills")),
            "/applied — " + escape(_("gigs you applied for")),
            "/earned &lt;amount&gt; [currency] [note] — "
            + escape(_("record income, e.g. /earned 150rb or /earned 20 USD")),
            "/earnings [week|month|all] — " + escape(_("your totals per currency")),
            "/help — " + escape(_("this message")),
        ]
    )


async def start(update: Update, context: Context) -> None:
    """Greet the user and explain the first step."""
    async with turn(update, context) as t:
        _ = t._
        name = escape(t.user.first_name or _("there"))
        text = "\n\n".join(
            [
                _(
                    "Hi {name}! I find freelance micro-gigs that fit your skills and send "
                    "them to you as soon as they are posted."
                ).format(name=name),
                _("Start by telling me a skill, for example:") + "\n"
                "<code>/subscribe logo</code>\n<code>/subscribe data entry</code>",
                help_text(_),
            ]
        )
    await reply(update, text)


async def help_command(update: Update, context: Context) -> None:
    """Show the commands."""
    async with turn(update, context) as t:
        text = help_text(t._)
    await reply(update, text)
