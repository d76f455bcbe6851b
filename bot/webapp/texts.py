"""Every text the dashboard pages show, as message ids translated from the catalogues."""

from __future__ import annotations

from bot.ui.i18n import N_, translator
from bot.ui.render import STATUS_NAMES

TEXTS = {
    "title": N_("Sambilan dashboard"),
    "tab_earnings": N_("Earnings"),
    "tab_pipeline": N_("Pipeline"),
    "tab_profile": N_("Skills and filters"),
    "tab_rates": N_("Market rates"),
    "no_market": N_("No market figures for this skill: I keep them for the skills I know."),
    "rates_hint": N_("From the gigs I matched to each of your skills, as /rates shows them."),
    "period_month": N_("This month"),
    "period_year": N_("This year"),
    "period_all": N_("All time"),
    "received": N_("Received"),
    "total": N_("Total received"),
    "rates_of": N_("Converted at the rates of {date}"),
    "no_rate": N_("No rate for {currencies}, so it is left out of the total."),
    "unpaid": N_("Still unpaid"),
    "unpaid_without_amount": N_("{n} without an agreed amount"),
    "win_rate": N_("Win rate"),
    "won_of_applied": N_("{won} of {applied} applications won"),
    "gigs_paid": N_("Gigs paid"),
    "average": N_("{amount} per gig on average"),
    "best_skill": N_("Best skill"),
    "per_month": N_("Received per month"),
    "entries": N_("{n} entries"),
    "entry": N_("1 entry"),
    "budget": N_("Budget"),
    "deadline": N_("Deadline"),
    "move_to": N_("Move to “{status}”"),
    "amount": N_("Amount"),
    "amount_hint": N_("e.g. 500rb or 20 USD"),
    "deadline_optional": N_("Deadline (optional)"),
    "deadline_hint": N_("e.g. 3 days, Friday, 12/12"),
    "fee_optional": N_("Platform fee (optional)"),
    "fee_hint": N_("e.g. 50rb"),
    "save": N_("Save"),
    "cancel": N_("Cancel"),
    "empty_column": N_("Nothing here"),
    "more": N_("{n} more: see /applied in the chat"),
    "skills": N_("Skills"),
    "no_skills": N_("none yet (add one with /subscribe logo)"),
    "settings": N_("Settings"),
    "filters": N_("Filters"),
    "change_in_chat": N_("Change them in the chat with /settings, /filters and /subscribe."),
    "loading": N_("Loading…"),
    "error_auth": N_("Open the dashboard from the bot's menu button in Telegram."),
    "error_load": N_("Could not load your data. Please try again."),
    "retry": N_("Try again"),
}


def texts_for(language: str) -> dict[str, str]:
    """The dashboard's texts in `language`, with each pipeline status's name."""
    _ = translator(language)
    texts = {key: _(message) for key, message in TEXTS.items()}
    texts.update({f"status_{status}": _(name) for status, (_emoji, name) in STATUS_NAMES.items()})
    return texts
