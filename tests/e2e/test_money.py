"""Money view and data ownership over real HTTP: /earnings with chart, /export, /delete_me,
with the whole bot running as `sambilan run` starts it."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from telegram.ext import Application as PTBApplication

from bot.app.runtime import runtime_of
from bot.store.models import Application, Earning, Skill, User
from tests.support.fake_bot_api import FakeBotApi, RecordedCall
from tests.support.running_bot import running_bot, settings_for_fakes

pytestmark = pytest.mark.timeout(90)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
async def app(api: FakeBotApi, db_url: str) -> AsyncIterator[PTBApplication]:
    async with running_bot(settings_for_fakes(api, db_url, {})) as application:
        yield application


async def say(api: FakeBotApi, user: int, text: str, *, lang: str = "en") -> str:
    """Send a message as the user and return the text of the bot's last text reply."""
    api.user_sends(user, text, language_code=lang)
    await api.wait_for("sendMessage", chat_id=user, timeout=15)
    return [m for m in api.messages(user) if "text" in m][-1]["text"]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def last_call(api: FakeBotApi, method: str, user: int) -> RecordedCall:
    return [c for c in api.calls if c.method == method and c.params.get("chat_id") == user][-1]


async def add_rows(application: PTBApplication, *rows: Any) -> None:
    async with runtime_of(application.bot_data).db.transaction() as session:
        session.add_all(rows)


async def count(application: PTBApplication, model: type, user: int) -> int:
    column = model.id if model is User else model.user_id  # type: ignore[attr-defined]
    async with runtime_of(application.bot_data).db.transaction() as session:
        stmt = select(func.count()).select_from(model).where(column == user)
        return int(await session.scalar(stmt) or 0)


async def test_earnings_in_english_with_chart_and_rates(
    api: FakeBotApi, app: PTBApplication
) -> None:
    user = 6001
    assert "Rp150.000" in await say(api, user, "/earned 150rb")
    assert "$20.00" in await say(api, user, "/earned 20 USD caption job")
    text = await say(api, user, "/earnings month")
    assert "Earnings this month" in text
    assert "Rp150.000 (1 entry)" in text and "$20.00 (1 entry)" in text
    # 20 USD at the configured 16,600 IDR each, plus Rp150.000.
    assert "Total: Rp482.000 at rates of 1 Nov 2026" in text
    assert "Win rate: —" in text

    photo = last_call(api, "sendPhoto", user)
    assert photo.ok
    data = photo.files["photo"].content
    assert data.startswith(PNG_SIGNATURE) and 1_000 < len(data) < 200_000
    assert "Received per month (IDR)" in photo.params["caption"]
    # The chart comes first, the totals are the last message.
    assert "photo" in api.messages(user)[-2]

    problem = await say(api, user, "/earnings yesterday")
    assert "Choose a period" in problem and "/earnings 2026-11" in problem


async def test_an_explicit_month_and_a_currency_without_rate(
    api: FakeBotApi, app: PTBApplication
) -> None:
    user = 6002
    assert "No earnings recorded" in await say(api, user, "/earnings")
    await add_rows(
        app,
        Earning(
            user_id=user,
            amount=Decimal("777000"),
            currency="IDR",
            earned_at=datetime(2026, 11, 15, 3, tzinfo=UTC),
        ),
        Earning(
            user_id=user,
            amount=Decimal("3"),
            currency="XAU",
            earned_at=datetime(2026, 11, 16, 3, tzinfo=UTC),
        ),
        # 1 Dec 2026 01:00 in Jakarta: December there, even though it is still November in UTC.
        Earning(
            user_id=user,
            amount=Decimal("5000"),
            currency="IDR",
            earned_at=datetime(2026, 11, 30, 18, tzinfo=UTC),
        ),
    )
    text = await say(api, user, "/earnings 2026-11")
    assert "Earnings in November 2026" in text
    assert "Rp777.000" in text and "Rp5.000" not in text
    assert "No rate for XAU, so it is left out of the total." in text
    assert "Total: <b>" not in text  # HTML was rendered, not shown
    assert "Total: Rp777.000" in text
    empty = await say(api, user, "/earnings 2020-01")
    assert "No earnings recorded in January 2020" in empty


async def test_earnings_in_indonesian(api: FakeBotApi, app: PTBApplication) -> None:
    user = 6003
    assert "Tercatat Rp1.500.000" in await say(api, user, "/earned 1,5jt", lang="id")
    await say(api, user, "/earned 10 USD", lang="id")
    text = await say(api, user, "/earnings bulan", lang="id")
    assert "Pendapatan bulan ini" in text
    assert "Total: Rp1.666.000 dengan kurs 1 Nov 2026" in text
    assert "Tingkat menang: —" in text
    photo = last_call(api, "sendPhoto", user)
    assert "Diterima per bulan (IDR)" in photo.params["caption"]
    today = await say(api, user, "/earnings hari ini", lang="id")
    assert "Pendapatan hari ini" in today and "Rp1.500.000" in today
    assert "Pilih periode" in await say(api, user, "/earnings kemarin", lang="id")


async def test_no_chart_without_money(api: FakeBotApi, app: PTBApplication) -> None:
    user = 6004
    await say(api, user, "/earnings semua", lang="id")
    assert not [c for c in api.calls if c.method == "sendPhoto" and c.params["chat_id"] == user]


def table(raw: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    """A CSV file (UTF-8 with a BOM) as rows keyed by the header."""
    assert raw.startswith(BOM)
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


async def documents(api: FakeBotApi, user: int, count: int) -> list[dict[str, Any]]:
    """The last `count` documents the bot sent the user, oldest first."""
    for _ in range(count):
        await api.wait_for("sendDocument", chat_id=user, timeout=15)
    return [m for m in api.messages(user) if "document" in m][-count:]


async def test_export_sends_one_csv_per_table_that_reads_back(
    api: FakeBotApi, app: PTBApplication
) -> None:
    user = 6005
    assert "Nothing to export yet" in await say(api, user, "/export")
    await say(api, user, "/earned 150rb logo untuk Bu Siti — kopi «Sedap»")
    await add_rows(
        app,
        Application(
            user_id=user,
            number=1,
            title='=HYPERLINK("http://evil")',
            url="https://projects.co.id/x/1",
            status="paid",
            skill="desain logo",
            agreed_amount=Decimal("150000"),
            received_amount=Decimal("135000.50"),
            currency="IDR",
            applied_at=datetime(2026, 11, 2, 20, tzinfo=UTC),
            paid_at=datetime(2026, 11, 3, 1, tzinfo=UTC),
            note="Klien ramah, bayar cepat",
        ),
    )
    api.user_sends(user, "/export")
    apps_doc, earnings_doc = await documents(api, user, 2)
    names = [apps_doc["document"]["file_name"], earnings_doc["document"]["file_name"]]
    assert re.fullmatch(r"sambilan-applications-\d{4}-\d{2}-\d{2}\.csv", names[0])
    assert re.fullmatch(r"sambilan-earnings-\d{4}-\d{2}-\d{2}\.csv", names[1])
    assert "Your applications (1)" in apps_doc["caption"]
    assert "Asia/Jakarta" in apps_doc["caption"] and "/export semicolon" in apps_doc["caption"]
    assert "Your earnings entries (1)" in earnings_doc["caption"]
    [application] = table(api.file_content(apps_doc["document"]["file_id"]))
    assert application["title"] == '\'=HYPERLINK("http://evil")'  # never a live formula
    assert application["status"] == "Paid" and application["skill"] == "desain logo"
    assert (application["agreed amount"], application["currency"]) == ("150000", "IDR")
    assert application["received amount"] == "135000.50"
    # ISO dates in the user's time zone (Asia/Jakarta, UTC+7).
    assert application["applied at"] == "2026-11-03 03:00:00"
    assert application["paid at"] == "2026-11-03 08:00:00"
    assert application["note"] == "Klien ramah, bayar cepat"
    [earning] = table(api.file_content(earnings_doc["document"]["file_id"]))
    assert (earning["amount"], earning["currency"]) == ("150000", "IDR")
    assert earning["note"] == "logo untuk Bu Siti — kopi «Sedap»"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", earning["received at"])


async def test_export_in_indonesian_uses_semicolons(api: FakeBotApi, app: PTBApplication) -> None:
    user = 6006
    await say(api, user, "/earned 20,5 USD", lang="id")
    api.user_sends(user, "/export", language_code="id")
    [doc] = await documents(api, user, 1)
    assert "Catatan penghasilanmu (1)" in doc["caption"] and "/export koma" in doc["caption"]
    assert doc["document"]["file_name"].endswith("-semicolon.csv")
    raw = api.file_content(doc["document"]["file_id"])
    assert raw.decode("utf-8-sig").splitlines()[0] == (
        "tanggal diterima;nominal;mata uang;catatan;nomor lamaran"
    )
    [row] = table(raw, ";")
    assert (row["nominal"], row["mata uang"]) == ("20.50", "USD")
    api.user_sends(user, "/export koma", language_code="id")
    [doc] = await documents(api, user, 1)
    [row] = table(api.file_content(doc["document"]["file_id"]))
    assert row["nominal"] == "20.50"


async def confirmation(api: FakeBotApi, user: int, lang: str = "en") -> dict[str, Any]:
    """Send /delete_me and return the confirmation message with its buttons."""
    api.user_sends(user, "/delete_me", language_code=lang)
    await api.wait_for(
        "sendMessage", chat_id=user, predicate=lambda p: "reply_markup" in p, timeout=15
    )
    return [m for m in api.messages(user) if buttons(m)][-1]


async def answer(api: FakeBotApi, user: int) -> dict[str, Any]:
    return await api.wait_for(
        "answerCallbackQuery",
        predicate=lambda p: str(p["callback_query_id"]).startswith(f"{user}-"),
        timeout=15,
    )


async def test_delete_me_asks_first_and_deletes_once(api: FakeBotApi, app: PTBApplication) -> None:
    user, other = 6007, 6008
    await say(api, user, "/earned 150rb")
    await add_rows(app, Skill(user_id=user, name="logo", key="logo"))
    await say(api, other, "/earned 20 USD")

    message = await confirmation(api, user)
    assert "cannot be undone" in message["text"]
    yes, no = buttons(message)
    assert (yes["text"], no["text"]) == ("Yes, delete everything", "No, keep")

    api.user_presses(user, message["message_id"], no["callback_data"])
    assert "Nothing was deleted" in (await answer(api, user))["text"]
    await api.wait_for("editMessageText", chat_id=user, timeout=15)
    assert "Nothing was deleted" in api.messages(user)[-1]["text"]
    assert await count(app, Earning, user) == 1 and await count(app, Skill, user) == 1

    # Another user forging the Yes data on a message in their own chat is refused.
    own = await confirmation(api, other)
    forged = {
        "id": f"{other}-forged",
        "from": api.add_user(other),
        "message": own,
        "chat_instance": "1",
        "data": yes["callback_data"],
    }
    api._open_callback_queries.add(forged["id"])  # what user_presses does for real presses
    api._queue_update({"callback_query": forged})  # no public way to send foreign data
    refusal = await answer(api, other)
    assert refusal["text"] == "This button is not for you." and refusal["show_alert"] is True
    assert await count(app, User, user) == 1 and await count(app, Earning, user) == 1

    # Yes pressed twice before the first press is handled: deleted once, no harm the second time.
    stale = await confirmation(api, user)
    message = await confirmation(api, user)
    yes, _no = buttons(message)
    api.user_presses(user, message["message_id"], yes["callback_data"])
    api.user_presses(user, message["message_id"], yes["callback_data"])
    first, second = await answer(api, user), await answer(api, user)
    assert first["text"] == "Everything is deleted."
    assert second["text"] == "This button is not valid any more."
    done = api.messages(user)[-1]["text"]
    assert "1 skills" in done and "1 earnings entries" in done and "/start" in done
    assert buttons(api.messages(user)[-1]) == []
    await api.wait_updates_confirmed()
    for model in (User, Skill, Earning, Application):
        assert await count(app, model, user) == 0, model
    # The other user's data is untouched.
    assert await count(app, Earning, other) == 1

    # A confirmation from before the deletion cannot delete the account begun afresh.
    await say(api, user, "/earned 5rb")
    api.user_presses(user, stale["message_id"], buttons(stale)[0]["callback_data"])
    assert "not valid" in (await answer(api, user))["text"]
    assert await count(app, Earning, user) == 1


async def test_delete_me_in_indonesian(api: FakeBotApi, app: PTBApplication) -> None:
    user = 6009
    message = await confirmation(api, user, lang="id")
    assert "Tidak bisa dibatalkan" in message["text"]
    yes, no = buttons(message)
    assert (yes["text"], no["text"]) == ("Ya, hapus semuanya", "Tidak, simpan")
    api.user_presses(user, message["message_id"], yes["callback_data"])
    assert (await answer(api, user))["text"] == "Semuanya sudah dihapus."
    await api.wait_for("editMessageText", chat_id=user, timeout=15)
    assert "Kirim /start" in api.messages(user)[-1]["text"]
    assert await count(app, User, user) == 0
