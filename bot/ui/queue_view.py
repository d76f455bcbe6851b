"""The /status line about a user's alerts waiting for Telegram's sending limit."""

from __future__ import annotations

import math

from bot.outbox.pacing import SUSTAINED_RATE, pacer_for
from bot.ui.i18n import Translate


def sending_rate(paid_broadcast: bool, paid_rate: int) -> float:
    """Messages a second the bot sends with these delivery settings."""
    return pacer_for(paid_broadcast, paid_rate).sustained_rate


def queue_line(mine: int, ahead: int, _: Translate, rate: float = SUSTAINED_RATE) -> str | None:
    """Alerts waiting for Telegram's sending limit, with the wait when it is a minute or more;
    `rate`: the messages a second the bot sends (30 free, more with paid broadcasts)."""
    if not mine:
        return None
    wait = ahead / rate  # seconds, counting every alert ahead as a message
    if wait < 60:
        return _("Alerts being sent to you now: {n}").format(n=mine)
    minutes = math.ceil(wait / 60)
    return _(
        "Alerts queued for you: {n}, behind {ahead} for other users. Telegram lets this bot "
        "send about {rate} messages a second, so yours go out within about {minutes} min."
    ).format(n=mine, ahead=ahead, rate=round(rate), minutes=minutes)
