// The dashboard: signs in with an access key (kept in sessionStorage only) and shows what the read API gives that key.
// Every figure is the API's own; the page only rounds it for display, once, and keeps the full value in data-value.
"use strict";

(() => {
  const { h, loadTexts, format } = window.Feedback;
  const data = document.body.dataset;
  const app = document.getElementById("app");
  const lang = data.lang;
  const KEY = "feedback.dashboard.key";
  const whole = new Intl.NumberFormat(lang, { maximumFractionDigits: 0, signDisplay: "negative" });
  const tenth = new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const signed = new Intl.NumberFormat(lang, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  let t = {};
  let panels;   // the segment, driver and journey panels (panels.js)
  const csv = [];   // rows of the figures on screen, for the export

  const text = (key, values) => format(key.split(".").reduce((node, part) => node?.[part], t) ?? key, values || {});
  const n0 = v => whole.format(v);
  const time = iso => when.format(new Date(iso));
  const isoDate = d => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  const daysBefore = (date, days) => { const d = new Date(`${date}T12:00:00`); d.setDate(d.getDate() - days); return isoDate(d); };
  const today = isoDate(new Date());

  class ApiError extends Error {
    constructor(status, problem) { super(problem?.detail || problem?.title || `HTTP ${status}`); this.status = status; }
  }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", Authorization: `Bearer ${sessionStorage.getItem(KEY)}` };
    if (options.body) headers["Content-Type"] = "application/json";
    const response = await fetch(path, { ...options, headers, credentials: "omit", cache: "no-store" });
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch { /* not problem+json */ }
      throw new ApiError(response.status, problem);
    }
    return response.status === 204 ? null : response.json();
  }

  function keyFromLink() {
    const match = /^#key=(.+)$/.exec(location.hash);
    if (match) {
      sessionStorage.setItem(KEY, decodeURIComponent(match[1]));
      // The key leaves the address bar and the history at once.
      history.replaceState(null, "", location.pathname + location.search);
    }
  }

  function link(params) {
    const query = new URLSearchParams({ lang, ...params });
    return `/dashboard?${query}`;
  }

  function header(me, storeId) {
    const langs = data.languages.split(",").map(l => h("a", { href: `/dashboard?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(location.search)), lang: l })}`, "aria-current": l === lang ? "true" : false, lang: l }, l.toUpperCase()));
    const [kind, id] = me.scope.split(":");
    return h("header", { class: "top dash-top" },
      h("div", {},
        h("h1", { class: "store" }, text("title")),
        h("p", { class: "who", "data-testid": "who" }, `${me.name} · ${text(`scope.${kind}`, { id })} · ${text(`role.${me.role}`)}`)),
      h("nav", { class: "langs" }, langs,
        storeId && !me.scope.startsWith("store:") ? h("a", { href: link({}), "data-testid": "back" }, text("store.back")) : null,
        h("button", { type: "button", onclick: () => { sessionStorage.removeItem(KEY); location.href = link({}); } }, text("signOut"))));
  }

  function signIn(message) {
    const input = h("input", { id: "key", type: "password", autocomplete: "off", required: true, "data-testid": "key" });
    const form = h("form", { class: "card signin", "data-testid": "sign-in" },
      h("h1", {}, text("signIn.title")), h("p", {}, text("signIn.text")),
      h("label", { for: "key", class: "label" }, text("signIn.label")), input,
      message ? h("p", { class: "error", role: "alert" }, message) : null,
      h("button", { type: "submit", class: "primary" }, text("signIn.submit")));
    form.addEventListener("submit", event => {
      event.preventDefault();
      sessionStorage.setItem(KEY, input.value.trim());
      main();
    });
    app.replaceChildren(form);
    input.focus();
  }

  function record(section, label, p) {
    csv.push([section, label, p.period, p.n, p.nps, p.interval?.[0], p.interval?.[1], p.marginOfError, p.lowConfidence,
      p.change?.delta, p.change?.significant, p.csat, p.csatN, p.ces, p.cesN]);
  }

  // One score as the API gave it: NPS, its interval and n, and the change with its significance.
  function figures(point, testid) {
    if (point.nps === null || point.nps === undefined) {
      return h("section", { class: "card figures", "data-testid": testid }, h("p", { class: "muted" }, text("noAnswers")));
    }
    const [low, high] = point.interval;
    const change = point.change
      ? h("p", { class: point.change.significant ? "change significant" : "change", "data-testid": "change", "data-value": point.change.delta, "data-significant": String(point.change.significant) },
        text("change", { delta: signed.format(point.change.delta) }), " — ", text(point.change.significant ? "significant" : "notSignificant"))
      : h("p", { class: "change muted", "data-testid": "change" }, text("noChange"));
    return h("section", { class: "card figures", "data-testid": testid },
      h("p", { class: "period muted" }, text("period", { date: point.period })),
      h("p", { class: "big" }, h("span", { class: "label-inline" }, text("nps"), " "),
        h("strong", { "data-testid": "nps", "data-value": point.nps }, n0(point.nps)),
        point.lowConfidence ? h("span", { class: "badge low", "data-testid": "low-confidence" }, text("lowConfidence")) : null),
      h("p", { "data-testid": "interval", "data-low": low, "data-high": high }, text("interval", { low: n0(low), high: n0(high) }), " · ",
        h("span", { "data-testid": "n", "data-value": point.n }, text("n", { n: n0(point.n) }))),
      change,
      point.csat !== null ? h("p", { "data-testid": "csat", "data-value": point.csat, "data-n": point.csatN }, text("csat", { value: n0(point.csat), n: n0(point.csatN) })) : null,
      point.ces !== null ? h("p", { "data-testid": "ces", "data-value": point.ces, "data-n": point.cesN }, text("ces", { value: tenth.format(point.ces), n: n0(point.cesN) })) : null);
  }

  async function chart(scope) {
    const body = await api(`/api/scores?${new URLSearchParams({ scope, period: "week", from: daysBefore(today, 7 * 25), to: today })}`);
    body.series.forEach(p => record("weekly", scope, p));
    const any = body.series.some(p => p.nps !== null);
    return h("section", { class: "card" }, h("h2", {}, text("chart.title")),
      any ? window.FeedbackChart.draw(body.series, { title: text("chart.title"), format: n0 }) : h("p", { class: "muted" }, text("chart.empty")),
      h("p", { class: "muted small" }, text("chart.legend")));
  }

  function storesTable(ranking) {
    const rows = ranking.stores.slice();
    rows.forEach(s => record("stores", s.storeId, s.score));
    const shared = rank => rank !== null && rows.filter(s => s.rank === rank).length > 1;
    const columns = [
      ["rank", s => s.rank ?? Infinity], ["store", s => s.name], ["region", s => s.region],
      ["nps", s => s.score.nps ?? -Infinity], ["n", s => s.score.n],
    ];
    const tbody = h("tbody");
    let order = { key: "rank", dir: 1 };
    function fill() {
      const get = columns.find(c => c[0] === order.key)[1];
      rows.sort((a, b) => (get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : 0) * order.dir);
      tbody.replaceChildren(...rows.map(s => h("tr", { "data-store": s.storeId },
        h("td", { "data-testid": "rank" }, s.rank !== null && !shared(s.rank) ? s.rank : ""),
        h("td", {}, h("a", { href: link({ store: s.storeId }) }, s.name)),
        h("td", {}, s.region),
        h("td", { class: "num", "data-value": s.score.nps ?? "" }, s.score.nps === null ? "–" : n0(s.score.nps),
          s.score.lowConfidence ? h("span", { class: "badge low" }, text("lowConfidence")) : null),
        h("td", { class: "num" }, s.score.interval ? `${n0(s.score.interval[0])} … ${n0(s.score.interval[1])}` : "–"),
        h("td", { class: "num" }, n0(s.score.n)))));
    }
    const head = h("tr", {}, ...["rank", "store", "region", "nps", "interval", "n"].map(key => {
      const sortable = columns.some(c => c[0] === key);
      return h("th", { scope: "col" }, sortable ? h("button", { type: "button", class: "sort", onclick: () => { order = { key, dir: order.key === key ? -order.dir : 1 }; fill(); } }, text(`stores.${key}`)) : text(`stores.${key}`));
    }));
    fill();
    return h("section", { class: "card", "data-testid": "stores" }, h("h2", {}, text("stores.title")),
      rows.length ? h("div", { class: "scroll" }, h("table", { class: "table" }, h("thead", {}, head), tbody)) : h("p", { class: "muted" }, text("stores.empty")),
      h("p", { class: "muted small" }, text("stores.note")));
  }

  function splitTable(breakdown) {
    const rows = [["store.all", breakdown.all], ...breakdown.touchpoints.map(tp => [`touchpoint.${tp.touchpoint}`, tp.score]),
      ["store.rewarded", breakdown.rewarded], ["store.unrewarded", breakdown.unrewarded]];
    rows.forEach(([label, p]) => record("split", label.split(".")[1], p));
    return h("section", { class: "card", "data-testid": "split" }, h("h2", {}, text("store.split")),
      h("div", { class: "scroll" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, text("store.group")), h("th", { scope: "col" }, text("stores.nps")),
          h("th", { scope: "col" }, text("stores.interval")), h("th", { scope: "col" }, text("stores.n")))),
        h("tbody", {}, rows.map(([label, p]) => h("tr", { "data-split": label.split(".")[1] },
          h("th", { scope: "row" }, text(label)),
          h("td", { class: "num", "data-value": p.nps ?? "" }, p.nps === null ? "–" : n0(p.nps), p.lowConfidence ? h("span", { class: "badge low" }, text("lowConfidence")) : null),
          h("td", { class: "num" }, p.interval ? `${n0(p.interval[0])} … ${n0(p.interval[1])}` : "–"),
          h("td", { class: "num" }, n0(p.n))))))));
  }

  function comments(list) {
    return h("section", { class: "card", "data-testid": "comments" }, h("h2", {}, text("comments.title")),
      list.items.length ? h("ul", { class: "comments" }, list.items.map(c => h("li", {},
        h("p", { class: "comment" }, c.text),
        h("p", { class: "muted small" }, text("comments.meta", { time: time(c.submittedAt), score: c.score }), " · ", text(`touchpoint.${c.touchpoint}`)))))
        : h("p", { class: "muted" }, text("comments.empty")));
  }

  function caseCard(c, me) {
    const note = h("textarea", { rows: 2, maxlength: 1000, "aria-label": text("inbox.note"), placeholder: text("inbox.note"), "data-testid": "note" });
    const status = h("p", { class: "error", role: "status" });
    const card = h("li", { class: `case ${c.overdue ? "overdue" : ""} ${c.status}`, "data-case": c.caseId, "data-status": c.status },
      h("p", { class: "case-head" }, h("strong", {}, text("inbox.score", { score: c.score })),
        c.overdue ? h("span", { class: "badge overdue", "data-testid": "overdue" }, text("inbox.overdue")) : null,
        h("span", { class: "muted" }, text("inbox.due", { time: time(c.dueAt) })),
        h("span", { class: "badge", "data-testid": "status" }, text(`inbox.status.${c.status}`))),
      h("p", { class: "comment" }, c.comment || text("inbox.noComment")),
      c.callbackRequested ? h("p", {}, text("inbox.callback")) : null,
      c.contact ? h("p", { "data-testid": "contact" }, text("inbox.contact"), ": ", [c.contact.email, c.contact.phone].filter(Boolean).join(" · "))
        : h("p", { class: "muted small" }, text("inbox.noContact")),
      h("p", { class: "muted small" }, time(c.submittedAt), " · ", text(`touchpoint.${c.touchpoint}`)),
      c.notes.length ? h("ol", { class: "notes", "aria-label": text("inbox.notes") }, c.notes.map(n => h("li", {},
        h("span", { class: "muted small" }, `${time(n.at)} · ${text(`inbox.status.${n.status}`)}`), n.note ? ` — ${n.note}` : ""))) : null);
    if (c.status === "resolved") return card;
    if (!me.canChangeCases) { card.append(h("p", { class: "muted small" }, text("inbox.readOnly"))); return card; }
    const act = value => async () => {
      try {
        const updated = await api(`/api/cases/${encodeURIComponent(c.caseId)}`, { method: "PATCH", body: JSON.stringify({ status: value, note: note.value.trim() || null }) });
        card.replaceWith(caseCard(updated, me));
      } catch (e) {
        status.textContent = text("inbox.failed", { detail: e.message });
      }
    };
    card.append(h("div", { class: "case-actions" }, note,
      h("button", { type: "button", onclick: act("contacted"), "data-testid": "contacted" }, text("inbox.contacted")),
      h("button", { type: "button", class: "primary", onclick: act("resolved"), "data-testid": "resolved" }, text("inbox.resolved"))), status);
    return card;
  }

  function inbox(page, me) {
    // Overdue first, then by deadline: the order to work them in.
    const open = page.items.slice().sort((a, b) => (b.overdue - a.overdue) || a.dueAt.localeCompare(b.dueAt));
    return h("section", { class: "card", "data-testid": "inbox" }, h("h2", {}, text("inbox.title")),
      open.length ? h("ul", { class: "cases" }, open.map(c => caseCard(c, me))) : h("p", { class: "muted" }, text("inbox.empty")));
  }

  function exportButton() {
    return h("button", { type: "button", class: "csv", "data-testid": "csv", onclick: () => {
      const head = ["section", "label", "period", "n", "nps", "low", "high", "marginOfError", "lowConfidence", "change", "significant", "csat", "csatN", "ces", "cesN"];
      const quote = v => (v === null || v === undefined ? "" : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
      const blob = new Blob([[head, ...csv].map(r => r.map(quote).join(",")).join("\n") + "\n"], { type: "text/csv" });
      const a = h("a", { href: URL.createObjectURL(blob), download: `feedback-${today}.csv` });
      document.body.append(a); a.click(); a.remove();
    } }, text("csv"));
  }

  function footer(at) {
    return h("footer", { class: "dash-foot" },
      h("p", { class: "muted small", "data-testid": "as-of" }, at ? text("asOf", { time: time(at) }) : text("notYet")), exportButton());
  }

  function noAccess(me, what) {
    app.replaceChildren(header(me, null), h("section", { class: "card notice", "data-testid": "no-access" },
      h("h1", {}, text("noAccess.title")), h("p", {}, text("noAccess.text", { what }))));
  }

  async function overview(me) {
    const scope = me.scope;
    const [trailing, ranking, weekly, breakdowns] = await Promise.all([
      api(`/api/scores?${new URLSearchParams({ scope, period: "trailing28", from: today, to: today })}`),
      api(`/api/scores/stores?${new URLSearchParams({ period: "trailing28", date: today })}`),
      chart(scope), panels(scope, today)]);
    record("overview", scope, trailing.series[0]);
    app.replaceChildren(header(me, null), figures(trailing.series[0], "overview"), weekly, storesTable(ranking), ...breakdowns, footer(trailing.asOf));
  }

  async function storePage(me, storeId) {
    const scope = `store:${storeId}`;
    const [trailing, split, weekly, ranking, latest, cases, breakdowns] = await Promise.all([
      api(`/api/scores?${new URLSearchParams({ scope, period: "trailing28", from: today, to: today })}`),
      api(`/api/scores/breakdown?${new URLSearchParams({ scope, period: "trailing28", date: today })}`),
      chart(scope),
      api(`/api/scores/stores?${new URLSearchParams({ period: "trailing28", date: today })}`),
      api(`/api/comments?${new URLSearchParams({ storeId, limit: 20 })}`),
      api(`/api/cases?${new URLSearchParams({ storeId, status: "open", pageSize: 200 })}`), panels(scope, today)]);
    const name = ranking.stores.find(s => s.storeId === storeId)?.name ?? storeId;
    record("store", storeId, trailing.series[0]);
    app.replaceChildren(header(me, storeId), h("h2", { class: "store-name", "data-testid": "store-name" }, name),
      figures(trailing.series[0], "overview"), weekly, inbox(cases, me), splitTable(split.breakdown), ...breakdowns, comments(latest), footer(trailing.asOf));
  }

  async function main() {
    csv.length = 0;
    if (!sessionStorage.getItem(KEY)) return signIn();
    let me;
    try {
      me = await api("/api/access-keys/current");
    } catch (e) {
      if (e.status === 401) { sessionStorage.removeItem(KEY); return signIn(text("signIn.rejected")); }
      throw e;
    }
    const storeId = new URLSearchParams(location.search).get("store") ?? (me.scope.startsWith("store:") ? me.scope.slice(6) : null);
    try {
      await (storeId ? storePage(me, storeId) : overview(me));
    } catch (e) {
      if (e.status === 403) return noAccess(me, storeId ? text("scope.store", { id: storeId }) : me.scope);
      if (e.status === 401) { sessionStorage.removeItem(KEY); return signIn(text("signIn.rejected")); }
      throw e;
    }
  }

  (async () => {
    try {
      const [texts, survey] = await Promise.all([loadTexts(data.i18n), loadTexts(data.surveyI18n)]);
      t = texts;
      panels = window.FeedbackPanels.create({ h, text, api, record, lang, reasons: survey.reasons, n0, signed });
      document.title = text("title");
      keyFromLink();
      await main();
    } catch (e) {
      app.replaceChildren(h("p", { class: "error card", role: "alert" }, text("error", { detail: e.message })));
    }
  })();
})();
