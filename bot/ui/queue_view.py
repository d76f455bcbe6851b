"""The /status line about a user's alerts waiting for Telegram's sending limit."""

from __future__ import annotations

import math

from bot.outbox.pacing import SUSTAINED_RATE
from bot.ui.i18n import Translate


def queue_line(mine: int, ahead: int, _: Translate) -> str | None:
    """Alerts waiting for Telegram's sending limit, with the wait when it is a minute or more."""
    if not mine:
        return None
    wait = ahead / SUSTAINED_RATE  # seconds, counting every alert ahead as a message
    if wait < 60:
        return _("Alerts being sent to you now: {n}").format(n=mine)
    minutes = math.ceil(wait / 60)
    return _(
        "Alerts queued for you: {n}, behind {ahead} for other users. Telegram lets a bot send "
        "about 30 messages a second, so yours go out within about {minutes} min."
    ).format(n=mine, ahead=ahead, minutes=minutes)
