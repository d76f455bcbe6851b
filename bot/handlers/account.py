"""Owning your data: /export as a CSV file, /delete_me to remove everything after a confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.app.runtime import runtime_of
from bot.handlers.common import Context, Handler, reply, turn
from bot.handlers.common.cards import edit_quietly
from bot.store.models import utcnow
from bot.store.money_repo import AccountRepo, DeletedData, MoneyRepo
from bot.store.repos import UserRepo
from bot.ui.export import COMMA, SEMICOLON, export_files
from bot.ui.i18n import Translate, language_for, translator

DELETE_PREFIX = "delme:"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class DeleteChoice:
    """A press on the /delete_me confirmation: yes or no, for which user row."""

    confirm: bool
    user_id: int
    stamp: int  # the user row's creation time in µs: a button outlives no re-created account


def creation_stamp(created_at: datetime) -> int:
    """The user row's creation time in microseconds, which tells two accounts of one id apart."""
    return (created_at - EPOCH) // timedelta(microseconds=1)


def delete_data(confirm: bool, user_id: int, stamp: int) -> str:
    """Callback data of a confirmation button."""
    return f"{DELETE_PREFIX}{'y' if confirm else 'n'}:{user_id}:{stamp}"


def parse_delete_data(data: str | None) -> DeleteChoice | None:
    """The choice in 'delme:<y|n>:<user id>:<stamp>', or None when the data is not ours."""
    if not data or not data.startswith(DELETE_PREFIX):
        return None
    parts = data.removeprefix(DELETE_PREFIX).split(":")
    if len(parts) != 3 or parts[0] not in ("y", "n"):
        return None
    if not all(p.isascii() and p.isdigit() and len(p) < 19 for p in parts[1:]):
        return None
    return DeleteChoice(parts[0] == "y", int(parts[1]), int(parts[2]))


def deleted_text(deleted: DeletedData, _: Translate) -> str:
    """What was removed, and how to begin again."""
    summary = _(
        "Done. I deleted everything I kept about you: {skills} skills, {alerts} alerts, "
        "{applications} applications, {earnings} earnings entries and {feedback} feedback notes."
    ).format(
        skills=deleted.skills,
        alerts=deleted.alerts,
        applications=deleted.applications,
        earnings=deleted.earnings,
        feedback=deleted.feedback,
    )
    return (
        "🗑 " + escape(summary) + "\n" + escape(_("Send /start whenever you want to begin again."))
    )


SEMICOLON_WORDS = frozenset({";", "semicolon", "titikkoma", "titik-koma", "id", "indonesia"})
COMMA_WORDS = frozenset({",", "comma", "koma", "en", "english", "inggris"})


def export_delimiter(args: list[str], language: str) -> str:
    """Semicolons for Indonesian spreadsheets, commas for English ones; the user may choose."""
    word = " ".join(args).casefold().strip()
    if word in SEMICOLON_WORDS or word == "titik koma":
        return SEMICOLON
    if word in COMMA_WORDS:
        return COMMA
    return SEMICOLON if language == "id" else COMMA


async def export(update: Update, context: Context) -> None:
    """Send the user's applications and earnings as two CSV files, each with a caption."""
    async with turn(update, context) as t:
        _ = t._
        repo = MoneyRepo(t.session)
        applications = await repo.applications_for_export(t.user.id)
        earnings = await repo.earnings_for_export(t.user.id)
        delimiter = export_delimiter(list(context.args or []), t.user.language)
        files = export_files(applications, earnings, t.user.timezone, _, utcnow(), delimiter)
        where = _("Dates in {zone}; amounts with a decimal point.").format(zone=t.user.timezone)
        other = (
            _("For spreadsheets in English: /export comma")
            if delimiter == SEMICOLON
            else _("For spreadsheets in Indonesian: /export semicolon")
        )
        captions = {
            "applications": _("Your applications ({n}), exported from Sambilan.").format(
                n=len(applications)
            ),
            "earnings": _("Your earnings entries ({n}), exported from Sambilan.").format(
                n=len(earnings)
            ),
        }
        empty = _(
            "Nothing to export yet. Record income with /earned 150rb or mark a gig as applied."
        )
    if not files:
        await reply(update, escape(empty))
        return
    message = update.effective_message
    assert message is not None
    for file in files:
        kind = "applications" if "applications" in file.filename else "earnings"
        caption = "\n".join([captions[kind], where, other])
        await message.reply_document(
            file.data, filename=file.filename, caption=caption, parse_mode=None
        )


async def delete_me(update: Update, context: Context) -> None:
    """Ask before deleting everything the bot keeps about the user."""
    async with turn(update, context) as t:
        _ = t._
        stamp = creation_stamp(t.user.created_at)
        text = "⚠️ " + escape(
            _(
                "This deletes everything I keep about you: your skills, alerts, applications, "
                "earnings and feedback. It cannot be undone. Delete everything?"
            )
        )
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        _("Yes, delete everything"),
                        callback_data=delete_data(True, t.user.id, stamp),
                    ),
                    InlineKeyboardButton(
                        _("No, keep"), callback_data=delete_data(False, t.user.id, stamp)
                    ),
                ]
            ]
        )
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, reply_markup=keyboard)


async def delete_me_button(update: Update, context: Context) -> None:
    """Yes deletes the user row (everything cascades); No keeps it. Only for the asker."""
    query = update.callback_query
    tg_user = update.effective_user
    assert query is not None and tg_user is not None
    # Not turn(): it would create the user again when the press comes after the deletion.
    _ = translator(language_for(tg_user.language_code))
    choice = parse_delete_data(query.data)
    chat = update.effective_chat
    if choice is None or choice.user_id != tg_user.id or (chat and chat.id != tg_user.id):
        await query.answer(_("This button is not for you."), show_alert=True)
        return
    deleted: DeletedData | None = None
    async with runtime_of(context.bot_data).db.transaction() as session:
        user = await UserRepo(session).get(tg_user.id)
        valid = user is not None and creation_stamp(user.created_at) == choice.stamp
        if valid and user is not None:
            _ = translator(user.language)
            if choice.confirm:
                deleted = await AccountRepo(session).delete_user(user.id)
                valid = deleted is not None
    if not valid:
        await query.answer(_("This button is not valid any more."), show_alert=True)
        return
    if deleted is None:
        await query.answer(_("Kept. Nothing was deleted."))
        await edit_quietly(
            update.callback_query,
            "👍 " + escape(_("Nothing was deleted. Your data stays as it was.")),
            None,
        )
        return
    await query.answer(_("Everything is deleted."))
    await edit_quietly(update.callback_query, deleted_text(deleted, _), None)


def handlers() -> list[Handler]:
    """/export, /delete_me and its confirmation buttons."""
    return [
        CommandHandler("export", export),
        CommandHandler("delete_me", delete_me),
        CallbackQueryHandler(delete_me_button, pattern=f"^{DELETE_PREFIX}"),
    ]
