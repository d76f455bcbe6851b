"""The dashboard in a real headless Chromium (the system's package, driven by Playwright):
a stand-in window.Telegram.WebApp carries initData signed with the test token. The pages
load, show the totals /earnings shows, move a gig that /applied then shows at its new step,
render in both languages and both themes, and refuse a forged sign-in. Screenshots go to
tests/artifacts/dashboard (or $SAMBILAN_TEST_ARTIFACTS)."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy import select

from bot.app.runtime import runtime_of
from bot.store.models import Application
from tests.support.chat import deliver, seen
from tests.support.dashboard import DashboardBot, dashboard_bot, init_data
from tests.support.db import temporary_database

pytestmark = pytest.mark.timeout(120)

USER = 7101
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARTIFACTS = (
    Path(os.environ.get("SAMBILAN_TEST_ARTIFACTS", Path(__file__).parents[1] / "artifacts"))
    / "dashboard"
)
THEMES = {
    "light": {
        "bg_color": "#ffffff",
        "secondary_bg_color": "#efeff3",
        "text_color": "#000000",
        "hint_color": "#999999",
        "link_color": "#2481cc",
        "button_color": "#2481cc",
        "button_text_color": "#ffffff",
    },
    "dark": {
        "bg_color": "#17212b",
        "secondary_bg_color": "#0e1621",
        "text_color": "#f5f5f5",
        "hint_color": "#708499",
        "link_color": "#6ab3f3",
        "button_color": "#5288c1",
        "button_text_color": "#ffffff",
    },
}
WORDS = {
    "en": {
        "pipeline": "Pipeline",
        "profile": "Skills and filters",
        "replied": "Replied",
        "rates": "Market rates",
    },
    "id": {
        "pipeline": "Alur proyek",
        "profile": "Keahlian & filter",
        "replied": "Dibalas",
        "rates": "Tarif pasar",
    },
}


def chromium() -> str | None:
    """The system's Chromium: $SAMBILAN_CHROMIUM, else the first one on PATH."""
    given = os.environ.get("SAMBILAN_CHROMIUM")
    if given:
        return given if Path(given).exists() else None
    return next((found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))), None)


CHROMIUM = chromium()
if CHROMIUM is None:
    pytest.skip(
        "no Chromium found (install Debian's package: apt-get install chromium, or set "
        "SAMBILAN_CHROMIUM to its path); the dashboard's browser tests need one",
        allow_module_level=True,
    )


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless Chromium from the system's package (Playwright downloads no browser)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def dash(tmp_path: Path) -> AsyncIterator[DashboardBot]:
    """The bot with its dashboard on SQLite (the API tests cover PostgreSQL too)."""
    async with (
        temporary_database("sqlite", tmp_path) as url,
        dashboard_bot(url) as running,
    ):
        yield running


def stand_in(data: str, language: str, theme: str) -> str:
    """A script giving the page what Telegram's client gives a Mini App."""
    web_app = {
        "initData": data,
        "initDataUnsafe": {"user": {"id": USER, "first_name": "Ana", "language_code": language}},
        "themeParams": THEMES[theme],
        "colorScheme": theme,
        "platform": "android",
        "version": "8.0",
    }
    return (
        "window.Telegram = {WebApp: Object.assign(" + json.dumps(web_app) + ", {"
        "ready: function () { window.__tgReady = true; },"
        "expand: function () {}, onEvent: function () {}})};"
    )


async def open_app(
    browser: Browser,
    dash: DashboardBot,
    language: str,
    theme: str,
    width: int = 390,
    data: str | None = None,
) -> Page:
    """The dashboard as a phone opens it, signed for USER."""
    page = await browser.new_page(viewport={"width": width, "height": 844})
    signed = init_data(USER, language=language) if data is None else data
    await page.add_init_script(script=stand_in(signed, language, theme))
    await page.goto(f"{dash.base}/app/")
    await page.wait_for_selector("body[data-state=ready], body[data-state=unauthorized]")
    return page


async def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


async def seed(dash: DashboardBot, language: str) -> None:
    """Income in two currencies, a won gig with an agreed amount, an applied and a saved one;
    all through the chat, as a user does it."""
    bot = dash.bot
    await bot.send(USER, "/start", language_code=language)
    await bot.send(USER, "/subscribe logo", language_code=language)
    await bot.send(USER, "/earned 150rb", language_code=language)
    await bot.send(USER, "/earned 20 USD logo for Budi", language_code=language)
    gigs = await deliver(bot, USER, ["Desain logo kedai kopi", "Logo toko roti", "Maskot logo"])
    for gig_id in gigs[:2]:
        await bot.press(USER, f"ap:{gig_id}", language_code=language)
    await bot.press(USER, f"sv:{gigs[2]}", language_code=language)
    await bot.send(USER, "/won 1 500rb 3 hari", language_code=language)


async def earnings_lines(dash: DashboardBot, language: str) -> list[str]:
    """What /earnings says, line by line."""
    calls = await dash.bot.send(USER, "/earnings", language_code=language)
    return seen(calls).splitlines()


def line_with(lines: list[str], start: str) -> str:
    """The one line that starts with `start`."""
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, (start, lines)
    return found[0]


async def background(page: Page, selector: str) -> str:
    """The computed background colour of an element."""
    return await page.eval_on_selector(selector, "node => getComputedStyle(node).backgroundColor")


def rgb(color: str) -> str:
    """'#0e1621' as the browser reports it: 'rgb(14, 22, 33)'."""
    value = color.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgb({red}, {green}, {blue})"


async def fits(page: Page) -> bool:
    """No sideways scrolling of the page itself (the pipeline scrolls inside its row)."""
    return await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize(
    ("language", "theme", "width"), [("en", "light", 360), ("id", "dark", 430)]
)
async def test_pages_show_what_earnings_shows_in_each_language_and_theme(
    browser: Browser, dash: DashboardBot, language: str, theme: str, width: int
) -> None:
    await seed(dash, language)
    lines = await earnings_lines(dash, language)
    page = await open_app(browser, dash, language, theme, width)
    assert await page.evaluate("window.__tgReady") is True
    assert await page.get_attribute("html", "data-theme") == theme
    assert await page.get_attribute("html", "lang") == language
    assert await background(page, "body") == rgb(THEMES[theme]["secondary_bg_color"])
    assert await background(page, ".top") == rgb(THEMES[theme]["bg_color"])

    total = await page.inner_text("[data-testid=total]")
    rates = await page.inner_text("[data-testid=rates-date]")
    total_line = line_with(lines, "Total: ")
    assert total_line.startswith(f"Total: {total} ") and total == "Rp482.000"
    assert total_line.endswith(" ".join(rates.split()[-3:]))  # the same rate date
    received = await page.inner_text("[data-testid=received]")
    assert "Rp150.000" in received and ("$20.00" in received or "US$20" in received)
    for amount in re.findall(r"(?:Rp|US\$|\$)[\d.,]+", received):
        assert any(amount in line for line in lines), (amount, lines)
    unpaid = await page.inner_text("[data-testid=unpaid]")
    assert unpaid.strip() == "Rp500.000" and "Rp500.000" in line_with(lines, "⏳")
    win = await page.inner_text("[data-testid=win-rate]")
    assert win.strip() in line_with(lines, "🎯") and "50" in win
    assert await page.inner_text("[data-testid=gigs-paid]") == "0"
    assert await fits(page)
    await shot(page, f"earnings-{language}-{theme}-{width}")

    await page.click("#tab-pipeline")
    assert (await page.inner_text("#tab-pipeline")) == WORDS[language]["pipeline"]
    columns = await page.eval_on_selector_all(
        ".column", "nodes => nodes.map(n => n.getAttribute('data-status'))"
    )
    assert columns == ["saved", "applied", "replied", "won", "delivered", "paid"]
    won = page.locator(".column[data-status=won] .gig")
    assert await won.count() == 1
    won_text = await won.inner_text()
    assert "Desain logo kedai kopi" in won_text and "Rp500.000" in won_text
    saved_text = await page.inner_text(".column[data-status=saved] .gig")
    assert "Maskot logo" in saved_text and "Rp150.000" in saved_text  # the listing's budget
    assert await fits(page)
    await shot(page, f"pipeline-{language}-{theme}-{width}")

    await page.click("#tab-profile")
    assert (await page.inner_text("#tab-profile")) == WORDS[language]["profile"]
    assert "logo" in (await page.inner_text("[data-testid=skills]")).lower()
    # The same lines /filters shows: words, budget types, languages, sources, work types,
    # workplaces and scam-warned gigs.
    assert await page.locator("[data-testid=filters] li").count() == 7
    assert await fits(page)
    await shot(page, f"profile-{language}-{theme}-{width}")

    await page.click("#tab-rates")
    assert (await page.inner_text("#tab-rates")) == WORDS[language]["rates"]
    market = await page.inner_text("#page-rates")
    assert "logo" in market.lower() and "/rates" in market
    assert await page.locator("[data-testid=rates-lines] li").count() >= 1
    assert await fits(page)
    await shot(page, f"rates-{language}-{theme}-{width}")


async def applied_status(dash: DashboardBot, number: int) -> str:
    async with runtime_of(dash.bot.app.bot_data).db.transaction() as session:
        status = await session.scalar(
            select(Application.status).where(
                Application.user_id == USER, Application.number == number
            )
        )
    assert status is not None
    return status


@pytest.mark.parametrize("language", ["en", "id"])
async def test_a_gig_moved_in_the_app_shows_its_new_step_in_applied(
    browser: Browser, dash: DashboardBot, language: str
) -> None:
    await seed(dash, language)
    page = await open_app(browser, dash, language, "light")
    await page.click("#tab-pipeline")

    gig = page.locator(".column[data-status=applied] .gig")
    assert "Logo toko roti" in await gig.inner_text()
    await gig.locator("button.step").click()
    moved = page.locator(".column[data-status=replied] .gig")
    await moved.wait_for()
    assert "Logo toko roti" in await moved.inner_text()
    assert "#2" in await page.inner_text("#toast")
    assert await applied_status(dash, 2) == "replied"
    listing = seen(await dash.bot.send(USER, "/applied", language_code=language))
    line = next(line for line in listing.splitlines() if "Logo toko roti" in line)
    row = listing.splitlines().index(line)
    assert WORDS[language]["replied"] in "\n".join(listing.splitlines()[row : row + 3])

    # Won needs the agreed amount: the card asks for it, as the chat does.
    await moved.locator("button.step").click()
    await moved.locator("input[name=amount]").fill("750rb")
    await moved.locator("input[name=deadline]").fill("3 hari" if language == "id" else "3 days")
    await shot(page, f"pipeline-won-form-{language}")
    await moved.locator("button[type=submit]").click()
    won = page.locator(".column[data-status=won] .gig", has_text="Logo toko roti")
    await won.wait_for()
    assert "Rp750.000" in await won.inner_text()
    assert await applied_status(dash, 2) == "won"
    listing = seen(await dash.bot.send(USER, "/applied", language_code=language))
    assert "Rp750.000" in listing
    await shot(page, f"pipeline-moved-{language}")


async def test_an_unreadable_amount_is_explained_and_nothing_moves(
    browser: Browser, dash: DashboardBot
) -> None:
    await seed(dash, "en")
    page = await open_app(browser, dash, "en", "dark")
    await page.click("#tab-pipeline")
    won = page.locator(".column[data-status=won] .gig")
    await won.locator("button.step").click()  # won → delivered needs no amount
    delivered = page.locator(".column[data-status=delivered] .gig")
    await delivered.wait_for()
    await delivered.locator("button.step").click()  # delivered → paid asks the amount
    await delivered.locator("input[name=amount]").fill("lots")
    await delivered.locator("button[type=submit]").click()
    alert = delivered.locator("form [role=alert]")
    await alert.wait_for()
    assert "amount" in (await alert.inner_text()).lower()
    assert await applied_status(dash, 1) == "delivered"
    await shot(page, "pipeline-bad-amount-en")


async def test_a_forged_sign_in_shows_how_to_open_the_app(
    browser: Browser, dash: DashboardBot
) -> None:
    await seed(dash, "id")
    forged = init_data(USER, language="id", token="987654321:another-bots-token-abcdefghij")
    page = await open_app(browser, dash, "id", "light", data=forged)
    assert await page.get_attribute("body", "data-state") == "unauthorized"
    assert "tombol menu" in await page.inner_text("#status")
    assert await page.locator("[data-testid=total]").count() == 0
    await shot(page, "unauthorized-id")


async def test_launch_parameters_from_the_url_fragment(
    browser: Browser, dash: DashboardBot
) -> None:
    """A client without Telegram's script: initData and the theme come in the fragment."""
    await seed(dash, "en")
    page = await browser.new_page(viewport={"width": 390, "height": 844})
    fragment = "tgWebAppData=" + quote(init_data(USER), safe="") + "&tgWebAppThemeParams="
    fragment += quote(json.dumps(THEMES["dark"]), safe="") + "&tgWebAppVersion=8.0"
    await page.goto(f"{dash.base}/app/#{fragment}")
    await page.wait_for_selector("body[data-state=ready]")
    assert await page.get_attribute("html", "data-theme") == "dark"
    assert await page.inner_text("[data-testid=total]") == "Rp482.000"
    await shot(page, "fragment-launch-en-dark")
