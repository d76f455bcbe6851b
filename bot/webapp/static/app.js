// Sambilan dashboard: plain JavaScript, no build step, nothing fetched from elsewhere.
// Every API call carries "Authorization: tma <initData>"; the server checks Telegram's
// signature and answers with this user's rows only.
(function () {
  "use strict";

  var tg = telegramWebApp();
  var state = { language: "en", texts: {}, period: "month", tab: "earnings" };

  // ---------------------------------------------------------------- Telegram

  // Telegram's own script sets window.Telegram.WebApp; without it the client's launch
  // parameters are read from the URL fragment, as Telegram passes them.
  function telegramWebApp() {
    if (window.Telegram && window.Telegram.WebApp) return window.Telegram.WebApp;
    var launch = new URLSearchParams(window.location.hash.slice(1));
    var initData = launch.get("tgWebAppData") || "";
    var user = parseJson(new URLSearchParams(initData).get("user")) || {};
    return {
      initData: initData,
      initDataUnsafe: { user: user },
      themeParams: parseJson(launch.get("tgWebAppThemeParams")) || {},
      colorScheme: null,
      ready: function () { postEvent("web_app_ready", {}); },
      expand: function () { postEvent("web_app_expand", {}); }
    };
  }

  function postEvent(type, data) {
    var payload = JSON.stringify(data);
    if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
      window.TelegramWebviewProxy.postEvent(type, payload);
    } else if (window.parent && window.parent !== window) {
      window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), "*");
    }
  }

  function parseJson(text) {
    if (!text) return null;
    try { return JSON.parse(text); } catch (error) { return null; }
  }

  // ---------------------------------------------------------------- theme

  var THEME_VARS = {
    bg_color: "--bg",
    secondary_bg_color: "--bg2",
    section_bg_color: "--section",
    text_color: "--text",
    hint_color: "--hint",
    link_color: "--link",
    button_color: "--button",
    button_text_color: "--button-text",
    destructive_text_color: "--danger"
  };

  function applyTheme() {
    var params = tg.themeParams || {};
    var root = document.documentElement;
    Object.keys(THEME_VARS).forEach(function (key) {
      var value = params[key];
      if (typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value)) {
        root.style.setProperty(THEME_VARS[key], value);
      } else {
        root.style.removeProperty(THEME_VARS[key]);
      }
    });
    var scheme = tg.colorScheme;
    if (scheme !== "light" && scheme !== "dark") {
      scheme = isDark(params.bg_color) ? "dark" : "light";
    }
    root.setAttribute("data-theme", scheme);
  }

  function isDark(color) {
    var match = /^#([0-9a-fA-F]{6})$/.exec(color || "");
    if (!match) {
      return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
    }
    var n = parseInt(match[1], 16);
    var luminance = 0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255);
    return luminance < 128;
  }

  // ---------------------------------------------------------------- texts

  function languageOf(code) {
    code = (code || "").toLowerCase();
    return code.indexOf("id") === 0 || code.indexOf("in") === 0 ? "id" : "en";
  }

  function t(key, values) {
    var text = state.texts[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(values[name]));
    });
    return text;
  }

  function loadTexts(language) {
    return fetch("api/texts?lang=" + encodeURIComponent(language)).then(function (response) {
      if (!response.ok) throw new Error("texts " + response.status);
      return response.json();
    }).then(function (texts) {
      state.language = language;
      state.texts = texts;
      document.documentElement.lang = language;
      document.title = texts.title;
      document.getElementById("title").textContent = texts.title;
      Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (node) {
        node.textContent = t(node.getAttribute("data-text"));
      });
    });
  }

  // ---------------------------------------------------------------- API

  function ApiError(status, body) {
    this.status = status;
    this.body = body || {};
  }

  function api(path, options) {
    options = options || {};
    var headers = { Authorization: "tma " + (tg.initData || "") };
    if (options.body) headers["Content-Type"] = "application/json";
    return fetch("api/" + path, {
      method: options.method || "GET",
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
      cache: "no-store"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new ApiError(response.status, body);
        return body;
      });
    });
  }

  // ---------------------------------------------------------------- DOM helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "onclick") node.addEventListener("click", value);
      else if (name === "onsubmit") node.addEventListener("submit", value);
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function replace(container, children) {
    container.textContent = "";
    children.forEach(function (child) { if (child) container.appendChild(child); });
  }

  function setStatus(text, retry) {
    var status = document.getElementById("status");
    status.textContent = text || "";
    status.hidden = !text;
    if (retry) {
      status.appendChild(document.createTextNode(" "));
      status.appendChild(el("button", { type: "button", text: t("retry"), onclick: start }));
    }
  }

  function toast(text) {
    var box = document.getElementById("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 4000);
  }

  function card(title, children, extra) {
    return el("article", Object.assign({ "class": "card" }, extra || {}), [
      el("h2", { text: title })
    ].concat(children));
  }

  // ---------------------------------------------------------------- earnings page

  function amountsList(items, testid) {
    if (!items.length) return el("p", { "class": "hint", text: "—", "data-testid": testid });
    return el("ul", { "class": "amounts", "data-testid": testid }, items.map(function (item) {
      var entries = item.entries === undefined ? null
        : (item.entries === 1 ? t("entry") : t("entries", { n: item.entries }));
      return el("li", {}, [
        el("span", { "class": "money", text: item.text }),
        entries ? el("span", { "class": "hint", text: " · " + entries }) : null
      ]);
    }));
  }

  function renderEarnings(data) {
    var totalCard = card(t("total"), [
      el("p", { "class": "big", id: "total", "data-testid": "total", text: data.total.text }),
      data.converted ? el("p", {
        "class": "hint", id: "rates-date", "data-testid": "rates-date",
        text: t("rates_of", { date: data.rates_date_text })
      }) : null,
      data.unconverted.length ? el("p", {
        "class": "warn", text: t("no_rate", { currencies: data.unconverted.join(", ") })
      }) : null,
      el("h3", { text: t("received") }),
      amountsList(data.received, "received")
    ]);
    var unpaidItems = data.unpaid.slice();
    var unpaid = card(t("unpaid"), [
      amountsList(unpaidItems, "unpaid"),
      data.unpaid_without_amount ? el("p", {
        "class": "hint", text: t("unpaid_without_amount", { n: data.unpaid_without_amount })
      }) : null
    ]);
    var rate = data.win_rate;
    var winCard = card(t("win_rate"), [
      el("p", { "class": "big", "data-testid": "win-rate", text: rate ? rate.text : "—" }),
      rate ? el("p", {
        "class": "hint", text: t("won_of_applied", { won: rate.won, applied: rate.applied })
      }) : null
    ]);
    var paidCard = card(t("gigs_paid"), [
      el("p", { "class": "big", "data-testid": "gigs-paid", text: String(data.gigs_paid) }),
      data.average ? el("p", { "class": "hint", text: t("average", { amount: data.average.text }) })
        : null,
      data.best_skill ? el("p", {}, [
        el("strong", { text: t("best_skill") + ": " }),
        data.best_skill.skill + " (" + data.best_skill.text + ")"
      ]) : null
    ]);
    replace(document.getElementById("earnings"), [
      totalCard, el("div", { "class": "pair" }, [winCard, paidCard]), unpaid, monthsCard(data)
    ]);
  }

  function monthsCard(data) {
    var largest = Math.max.apply(null, data.months.map(function (m) {
      return parseFloat(m.total.amount) || 0;
    }).concat([0]));
    var rows = data.months.slice().reverse().map(function (month) {
      var value = parseFloat(month.total.amount) || 0;
      var bar = el("span", { "class": "bar" });
      bar.style.width = largest > 0 ? Math.round(100 * value / largest) + "%" : "0";
      var perCurrency = month.received.map(function (item) { return item.text; }).join(" · ");
      return el("li", { "class": "month", "data-month": month.month }, [
        el("div", { "class": "month-head" }, [
          el("span", { text: month.label }),
          el("strong", { "class": "money", text: month.total.text })
        ]),
        el("div", { "class": "track" }, [bar]),
        perCurrency && (month.received.length > 1 || month.received[0].currency !== data.currency)
          ? el("p", { "class": "hint", text: perCurrency }) : null
      ]);
    });
    return card(t("per_month") + " (" + data.currency + ")", [
      el("ul", { "class": "months" }, rows),
      el("p", { "class": "hint", text: t("rates_of", { date: data.rates_date_text }) })
    ]);
  }

  function loadEarnings() {
    return api("summary?period=" + state.period).then(renderEarnings);
  }

  // ---------------------------------------------------------------- pipeline page

  function renderPipeline(data) {
    var columns = data.columns.map(function (column) {
      var items = column.items.map(gigCard);
      if (!items.length) items = [el("p", { "class": "hint", text: t("empty_column") })];
      if (column.more) items.push(el("p", { "class": "hint", text: t("more", { n: column.more }) }));
      return el("section", { "class": "column", "data-status": column.status }, [
        el("h2", {}, [
          column.emoji + " " + column.label + " ",
          el("span", { "class": "count", text: String(column.items.length + column.more) })
        ])
      ].concat(items));
    });
    replace(document.getElementById("pipeline"), columns);
  }

  function gigCard(item) {
    var title = item.url
      ? el("a", { href: item.url, target: "_blank", rel: "noopener noreferrer", text: item.title })
      : el("span", { text: item.title });
    var facts = [];
    if (item.budget) facts.push(el("p", {}, [el("span", { "class": "hint", text: t("budget") + ": " }), item.budget]));
    if (item.deadline) facts.push(el("p", {}, [el("span", { "class": "hint", text: t("deadline") + ": " }), item.deadline]));
    var node = el("article", { "class": "gig", "data-app-id": String(item.id), "data-status": item.status }, [
      el("h3", {}, [el("span", { "class": "number", text: "#" + item.number + " " }), title])
    ].concat(facts));
    if (item.next) {
      var label = item.next.emoji + " " + t("move_to", { status: item.next.label });
      node.appendChild(el("button", {
        type: "button", "class": "step", "data-step": item.next.status, text: label,
        onclick: function () {
          if (item.next.needs_amount) showStepForm(node, item);
          else move(node, item, {});
        }
      }));
    }
    return node;
  }

  function showStepForm(node, item) {
    if (node.querySelector("form")) return;
    var won = item.next.status === "won";
    var amount = el("input", {
      name: "amount", required: true, autocomplete: "off", inputmode: "text",
      placeholder: t("amount_hint"), maxlength: "100"
    });
    var extra = el("input", {
      name: won ? "deadline" : "fee", autocomplete: "off", maxlength: "100",
      placeholder: won ? t("deadline_hint") : t("fee_hint")
    });
    var form = el("form", { "class": "step-form" }, [
      el("label", {}, [t("amount"), amount]),
      el("label", {}, [won ? t("deadline_optional") : t("fee_optional"), extra]),
      el("p", { "class": "warn", role: "alert", hidden: true }),
      el("div", { "class": "actions" }, [
        el("button", { type: "submit", text: t("save") }),
        el("button", { type: "button", "class": "secondary", text: t("cancel"), onclick: function () { form.remove(); } })
      ])
    ]);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = { amount: amount.value };
      body[won ? "deadline" : "fee"] = extra.value;
      move(node, item, body, form);
    });
    node.appendChild(form);
    amount.focus();
  }

  function move(node, item, fields, form) {
    var buttons = node.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    var body = Object.assign({ to: item.next.status }, fields);
    return api("applications/" + item.id + "/step", { method: "POST", body: body })
      .then(function (answer) {
        toast(answer.message);
        return Promise.all([loadPipeline(), loadEarnings()]);
      })
      .catch(function (error) {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        var message = (error.body && error.body.message) || t("error_load");
        var place = form && form.querySelector("[role=alert]");
        if (place) { place.textContent = message; place.hidden = false; } else { toast(message); }
        if (error.status === 401) setStatus(t("error_auth"));
      });
  }

  function loadPipeline() {
    return api("pipeline").then(renderPipeline);
  }

  // ---------------------------------------------------------------- market rates page

  function renderRates(data) {
    var cards = data.skills.map(function (entry) {
      if (!entry.known) {
        return card(entry.skill, [el("p", { "class": "hint", text: t("no_market") })]);
      }
      return card(entry.skill, [el("ul", { "class": "plain", "data-testid": "rates-lines" },
        entry.lines.slice(1).map(function (line) {
          return el("li", { "class": line.strong ? "strong" : "", text: line.text });
        }))]);
    });
    var empty = data.skills.length ? null : el("p", { "class": "hint", text: t("no_skills") });
    replace(document.getElementById("rates"), [
      el("p", { "class": "hint", text: t("rates_hint") })
    ].concat(cards, [empty]));
  }

  function loadRates() {
    return api("rates").then(renderRates);
  }

  // ---------------------------------------------------------------- profile page

  function renderProfile(data) {
    var skills = data.skills.length
      ? el("ul", { "class": "chips", "data-testid": "skills" }, data.skills.map(function (name) {
        return el("li", { text: name });
      }))
      : el("p", { "class": "hint", "data-testid": "skills", text: t("no_skills") });
    var settings = el("dl", { "class": "rows" }, [].concat.apply([], data.settings.map(function (row) {
      return [el("dt", { text: row[0] }), el("dd", { text: row[1] })];
    })));
    var filters = el("ul", { "class": "plain", "data-testid": "filters" }, data.filters.map(function (line) {
      return el("li", { text: line });
    }));
    replace(document.getElementById("profile"), [
      card(t("skills"), [skills]),
      card(t("filters"), [filters]),
      card(t("settings"), [settings]),
      el("p", { "class": "hint", text: t("change_in_chat") })
    ]);
  }

  // ---------------------------------------------------------------- navigation

  function showTab(name) {
    state.tab = name;
    Array.prototype.forEach.call(document.querySelectorAll("[data-tab]"), function (tab) {
      var on = tab.getAttribute("data-tab") === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      document.getElementById("page-" + tab.getAttribute("data-tab")).hidden = !on;
    });
  }

  function wire() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tab]"), function (tab) {
      tab.addEventListener("click", function () { showTab(tab.getAttribute("data-tab")); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-period]"), function (button) {
      button.addEventListener("click", function () {
        state.period = button.getAttribute("data-period");
        Array.prototype.forEach.call(document.querySelectorAll("[data-period]"), function (b) {
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
        loadEarnings().catch(failed);
      });
    });
    if (tg.onEvent) tg.onEvent("themeChanged", applyTheme);
  }

  function failed(error) {
    var auth = error instanceof ApiError && error.status === 401;
    setStatus(auth ? t("error_auth") : t("error_load"), !auth);
    document.body.setAttribute("data-state", auth ? "unauthorized" : "error");
  }

  function start() {
    setStatus(t("loading"));
    document.body.setAttribute("data-state", "loading");
    return api("profile").then(function (profile) {
      var texts = profile.language === state.language ? null : loadTexts(profile.language);
      return Promise.resolve(texts).then(function () {
        renderProfile(profile);
        return Promise.all([loadEarnings(), loadPipeline(), loadRates()]);
      });
    }).then(function () {
      setStatus("");
      document.body.setAttribute("data-state", "ready");
    }).catch(failed);
  }

  applyTheme();
  wire();
  var user = (tg.initDataUnsafe && tg.initDataUnsafe.user) || {};
  loadTexts(languageOf(user.language_code)).catch(function () { /* English ids stay */ })
    .then(function () {
      if (tg.ready) tg.ready();
      if (tg.expand) tg.expand();
      return start();
    });
})();
