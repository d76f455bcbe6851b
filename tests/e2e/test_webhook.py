"""Webhook mode: Telegram's secret token is checked and updates are answered; health
endpoints answer in every role."""

from __future__ import annotations

import aiohttp
import pytest

from bot.app.application import build_application
from bot.app.serve import WEBHOOK_PATH, start_role, stop_role
from bot.app.web import SECRET_HEADER
from tests.support.fake_bot_api import FakeBotApi
from tests.support.running_bot import settings_for_fakes

pytestmark = pytest.mark.timeout(60)
SECRET = "webhook-secret-0123456789"


def start_update(user_id: int) -> dict:
    return {
        "update_id": 10,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }


async def test_webhook_role_bot(api: FakeBotApi, db_url: str) -> None:
    settings = settings_for_fakes(api, db_url, {})
    settings.telegram.webhook_url = "https://bot.example.org" + WEBHOOK_PATH
    settings.telegram.webhook_secret = SECRET
    settings.server.port = 0
    application = build_application(settings)
    server = await start_role(application, "bot")
    assert server is not None and server.bound_port
    base = f"http://127.0.0.1:{server.bound_port}"
    try:
        hook = await api.wait_for("setWebhook")
        assert hook["url"].endswith(WEBHOOK_PATH) and hook["secret_token"] == SECRET
        api.add_user(31)
        async with aiohttp.ClientSession() as http:
            async with http.post(base + WEBHOOK_PATH, json=start_update(31)) as response:
                assert response.status == 403
            headers = {SECRET_HEADER: SECRET}
            async with http.post(
                base + WEBHOOK_PATH, json=start_update(31), headers=headers
            ) as response:
                assert response.status == 200
            reply = await api.wait_for("sendMessage", chat_id=31)
            assert "/subscribe" in reply["text"]
            for path in ("/healthz", "/readyz"):
                async with http.get(base + path) as response:
                    assert response.status == 200
            async with http.get(base + "/metrics") as response:
                assert "sambilan_outbox_depth" in await response.text()
    finally:
        await stop_role(application, server)
    assert not application.running
