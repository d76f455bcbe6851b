"""The dashboard on the bot's aiohttp server: /app/ (static pages) and /app/api/ (JSON).

Every API request must carry ``Authorization: tma <initData>`` signed for this bot; the
user it names is the only user whose rows the request reads or changes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import Bot
from telegram.error import TelegramError

from bot.app.runtime import Runtime
from bot.domain import tracking
from bot.handlers.common import Turn
from bot.handlers.common.cards import CardEdit, card_edit, redraw
from bot.handlers.common.steps import advance, explain
from bot.store.models import utcnow
from bot.store.repos import UserRepo
from bot.store.tracking_repo import TrackingRepo
from bot.ui.i18n import LANGUAGES, language_for, translator
from bot.ui.render import plain_text
from bot.webapp import views
from bot.webapp.auth import InitDataError, WebAppUser, parse_authorization, validate
from bot.webapp.texts import texts_for

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
PREFIX = "/app"
MAX_FIELD = 100
SECURITY_HEADERS = {
    # Everything the pages use comes from this server; Telegram shows them in a frame.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _json(data: Any, status: int = 200) -> web.Response:
    response = web.json_response(
        data, status=status, dumps=lambda d: json.dumps(d, ensure_ascii=False)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


class Dashboard:
    """Routes of the Mini App for one bot token, on the process's runtime."""

    def __init__(
        self,
        runtime: Runtime,
        bot: Bot,
        *,
        token: str,
        max_age_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.runtime = runtime
        self.bot = bot
        self.token = token
        self.max_age_seconds = max_age_seconds
        self.clock = clock

    def add_routes(self, app: web.Application) -> None:
        """Mount the pages and the API (API routes first: the static route takes the rest)."""
        router = app.router
        router.add_get(f"{PREFIX}/api/texts", self._texts)
        router.add_get(f"{PREFIX}/api/profile", self._profile)
        router.add_get(f"{PREFIX}/api/summary", self._summary)
        router.add_get(f"{PREFIX}/api/pipeline", self._pipeline)
        router.add_get(f"{PREFIX}/api/rates", self._rates)
        router.add_post(f"{PREFIX}/api/applications/{{app_id:\\d{{1,18}}}}/step", self._step)
        router.add_route("*", f"{PREFIX}/api/{{rest:.*}}", self._no_such_api)
        router.add_get(PREFIX, self._to_index)
        router.add_get(f"{PREFIX}/", self._index)
        router.add_static(PREFIX, STATIC_DIR, append_version=False)
        app.on_response_prepare.append(self._headers)

    async def _headers(self, request: web.Request, response: web.StreamResponse) -> None:
        if request.path == PREFIX or request.path.startswith(f"{PREFIX}/"):
            response.headers.update(SECURITY_HEADERS)

    async def _to_index(self, _request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently(f"{PREFIX}/")

    async def _index(self, _request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    async def _no_such_api(self, _request: web.Request) -> web.Response:
        return _json({"error": "not_found"}, 404)

    # ------------------------------------------------------------------ auth

    def authenticate(self, request: web.Request) -> WebAppUser:
        """The user the request's initData was signed for; 401 when it proves nothing."""
        try:
            init_data = parse_authorization(request.headers.get("Authorization"))
            return validate(init_data, self.token, self.max_age_seconds, now=self.clock())
        except InitDataError as error:
            log.info("dashboard request refused: %s", error.reason)
            raise web.HTTPUnauthorized(
                text=json.dumps({"error": "unauthorized", "reason": error.reason}),
                content_type="application/json",
                headers={"WWW-Authenticate": "tma"},
            ) from None

    @asynccontextmanager
    async def turn(
        self, request: web.Request, who: WebAppUser | None = None
    ) -> AsyncIterator[Turn]:
        """A transaction and the signed-in user's row (created as /start would)."""
        who = who or self.authenticate(request)
        settings = self.runtime.settings
        async with self.runtime.db.transaction() as session:
            user, created = await UserRepo(session).ensure(
                who.id,
                who.id,  # the private chat with a user has the user's id
                first_name=who.first_name,
                language=language_for(who.language_code),
                timezone=settings.bot.timezone,
                currency=settings.bot.currency,
            )
            yield Turn(session, user, created, translator(user.language), self.runtime)

    # ------------------------------------------------------------------ API

    async def _texts(self, request: web.Request) -> web.Response:
        language = request.query.get("lang", "en")
        return _json(texts_for(language if language in LANGUAGES else "en"))

    async def _profile(self, request: web.Request) -> web.Response:
        async with self.turn(request) as t:
            return _json(await views.profile(t))

    async def _summary(self, request: web.Request) -> web.Response:
        period = request.query.get("period", "month")
        if period not in views.PERIODS:
            return _json({"error": "bad_period", "periods": sorted(views.PERIODS)}, 400)
        async with self.turn(request) as t:
            return _json(await views.summary(t, period, utcnow()))

    async def _pipeline(self, request: web.Request) -> web.Response:
        async with self.turn(request) as t:
            return _json(await views.pipeline(t))

    async def _rates(self, request: web.Request) -> web.Response:
        async with self.turn(request) as t:
            return _json(await views.rates(t))

    async def _step(self, request: web.Request) -> web.Response:
        """Move one of the user's gigs, exactly as the chat's buttons and commands do."""
        app_id = int(request.match_info["app_id"])
        who = self.authenticate(request)  # before reading the body
        body = await _body(request)
        target = body.get("to") if body is not None else None
        if body is None or target not in tracking.STATUSES:
            return _json({"error": "bad_request", "statuses": list(tracking.STATUSES)}, 400)
        words = _step_words(target, body)
        if words is None:
            return _json({"error": "bad_request"}, 400)
        card: CardEdit | None = None
        async with self.turn(request, who) as t:
            _ = t._
            app = await TrackingRepo(t.session).own(who.id, app_id)
            if app is None:  # not there, or someone else's: nothing is revealed
                message = _("This button is not valid any more.")
                return _json({"error": "not_found", "message": message}, 404)
            verdict = tracking.check(app.status, target)
            if verdict is not tracking.Verdict.OK:
                message = explain(verdict, app, target, _)
                return _json({"error": verdict.value, "message": message}, 409)
            before = app.status
            text, moved_app, moved, _previous = await advance(t, target, [str(app.number), *words])
            message = plain_text(text).removeprefix("⚠️ ").removeprefix("ℹ️ ")
            if not moved or moved_app is None:
                raced = moved_app is not None and moved_app.status != before
                return _json(
                    {"error": "moved" if raced else "input", "message": message},
                    409 if raced else 422,
                )
            card = await card_edit(t, moved_app)
            gigs = await TrackingRepo(t.session).gigs_of([moved_app])
            item = views.application_item(moved_app, gigs.get(moved_app.gig_id or 0), t)
            t.user.updated_at = utcnow()  # as every chat turn does
        with contextlib.suppress(TelegramError):
            await redraw(self.bot, card)  # the alert card in the chat shows the new step
        return _json({"moved": True, "message": message, "application": item})


async def _body(request: web.Request) -> dict[str, Any] | None:
    """The JSON object a POST carries, or None."""
    try:
        data = await request.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text_field(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_FIELD:
        return None
    return value.strip()


def _step_words(target: str, body: dict[str, Any]) -> list[str] | None:
    """What the chat would read after '/won <number>' or '/paid <number>'; None if unreadable."""
    amount, deadline, fee = (_text_field(body, key) for key in ("amount", "deadline", "fee"))
    if amount is None or deadline is None or fee is None:
        return None
    if target == tracking.WON:
        return [*amount.split(), *deadline.split()]
    if target == tracking.PAID:
        return [*amount.split(), *(["fee", *fee.split()] if fee else [])]
    return []
