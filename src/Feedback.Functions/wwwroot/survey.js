// The survey a QR code opens: one NPS question, optional details, submit, thank-you with the reward.
"use strict";

(() => {
  const { h, newId, loadTexts, format, sleep, scale } = window.Feedback;
  const page = document.body.dataset;
  const app = document.getElementById("app");
  const REWARD_WAIT_MS = 30000;

  // Minted once per tab and QR code and kept until the server has taken the answer: every retry, extra tap or
  // reload sends the same id, so it stays one answer, and a receipt claimed by a request that failed after the
  // claim is still this answer's on the retry. The day the page was first opened on is kept with it: the answer and
  // its retries count on that day, even when one is sent after the store's midnight.
  const ID_KEY = `feedback.survey.id.${page.token}`;
  const [keptId, keptDay] = (stored() || "").split(" ");
  // The server takes a page's day for 7 days; an answer kept longer starts again.
  const kept = keptId && (!keptDay || Date.parse(page.day) - Date.parse(keptDay) < 7 * 864e5);
  const answer = { id: kept ? keptId : newId(), day: kept && keptDay || page.day, score: null, csat: null, reasons: new Set(), segments: {} };
  const segments = JSON.parse(page.segments || "[]");
  keep(answer);
  let t;
  let sending = false;
  let sent = false;

  loadTexts(page.i18n).then(texts => { t = texts; renderForm(); }, () => {
    app.replaceChildren(h("p", { class: "error", role: "alert" }, "Please reload the page."));
  });

  function header() {
    const languages = (page.languages || "").split(",").filter(Boolean);
    return h("header", { class: "top" },
      h("p", { class: "store" }, page.store),
      languages.length > 1 && h("nav", { class: "langs" }, languages.map(lang =>
        h("a", { href: `?lang=${lang}`, hreflang: lang, lang, "aria-current": lang === page.lang && "true" }, lang.toUpperCase()))));
  }

  function renderForm() {
    const error = h("p", { class: "error", role: "alert", hidden: true, "data-testid": "error" });
    const submit = h("button", { type: "submit", class: "primary", disabled: true, "data-testid": "submit" }, t.submit);
    const comment = h("textarea", { id: "comment", name: "comment", maxlength: 2000, rows: 3, placeholder: t.commentPlaceholder });
    const reasons = h("fieldset", { class: "reasons" },
      h("legend", {}, t.reasonsQuestion, " ", h("small", {}, `(${t.optional})`)),
      h("div", { class: "chips" }, Object.entries(t.reasons).map(([key, label]) =>
        h("label", { class: "chip", "data-reason": key },
          h("input", { type: "checkbox", name: "reasons", value: key, class: "sr",
            onchange: e => e.target.checked ? answer.reasons.add(key) : answer.reasons.delete(key) }),
          h("span", {}, label)))));
    // The chain's optional questions about the customer (first visit or regular, …), one choice each, in the page's language.
    const segmentQuestions = segments.map(q => h("fieldset", { class: "reasons segment", "data-segment": q.key },
      h("legend", {}, q.title[page.lang] || q.title.en, " ", h("small", {}, `(${t.optional})`)),
      h("div", { class: "chips" }, q.options.map(o =>
        h("label", { class: "chip", "data-option": o.value },
          h("input", { type: "radio", name: `segment-${q.key}`, value: o.value, class: "sr",
            onchange: () => { answer.segments[q.key] = o.value; } }),
          h("span", {}, o.title[page.lang] || o.title.en))))));
    const more = h("div", { class: "more", hidden: true },
      segmentQuestions,
      scale({ name: "csat", legend: `${t.csatQuestion} (${t.optional})`, from: 1, to: 5, low: t.csatLow, high: t.csatHigh,
        onPick: value => { answer.csat = value; } }),
      reasons,
      h("label", { class: "label", for: "comment" }, t.commentLabel, " ", h("small", {}, `(${t.optional})`)),
      comment);
    const ui = { error, submit, comment };
    const form = h("form", { class: "card", novalidate: true, onsubmit: e => { e.preventDefault(); send(ui); } },
      scale({ name: "score", legend: t.npsQuestion, from: 0, to: 10, low: t.npsLow, high: t.npsHigh, testid: "nps",
        onPick: value => { answer.score = value; more.hidden = false; submit.disabled = false; error.hidden = true; } }),
      more, error, submit);
    app.replaceChildren(header(), form);
  }

  async function send(ui) {
    if (sending || sent) return;
    if (answer.score === null) { fail(ui, t.chooseScore, t.submit); return; }
    sending = true;
    ui.submit.disabled = true;
    ui.submit.textContent = t.sending;
    ui.error.hidden = true;

    const body = { id: answer.id, token: page.token, score: answer.score, language: page.lang };
    if (answer.day) body.day = answer.day;
    if (answer.csat !== null) body.csat = answer.csat;
    if (answer.reasons.size) body.reasons = [...answer.reasons];
    if (Object.keys(answer.segments).length) body.segments = { ...answer.segments };
    const comment = ui.comment.value.trim();
    if (comment) body.comment = comment;

    let status = 0;
    let accepted = null;
    try {
      const response = await fetch("/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
      });
      status = response.status;
      if (status === 202) accepted = await response.json();
    } catch {
      status = 0; // offline, or the connection dropped: the same id makes a retry safe
    }
    sending = false;

    if (accepted || status === 409 || status === 401 || status === 403) keep(null);
    if (accepted) { sent = true; thanks(accepted.statusUrl, body); return; }
    if (status === 409) { sent = true; notice(t.answeredTitle, t.answeredText); return; }
    if (status === 401) { sent = true; notice(t.expiredTitle, t.expiredText); return; }
    if (status === 403) { sent = true; notice(t.withdrawnTitle, t.withdrawnText); return; }
    fail(ui, status === 429 ? t.errorBusy : t.errorNetwork, t.retry);
  }

  function stored() {
    try { return sessionStorage.getItem(ID_KEY); } catch { return null; }
  }

  function keep(kept) {
    try {
      if (kept) sessionStorage.setItem(ID_KEY, `${kept.id} ${kept.day || ""}`); else sessionStorage.removeItem(ID_KEY);
    } catch {
      // storage turned off: the id lives as long as the page
    }
  }

  function fail(ui, message, buttonText) {
    ui.error.textContent = message;
    ui.error.hidden = false;
    ui.submit.textContent = buttonText;
    ui.submit.disabled = answer.score === null;
  }

  function notice(title, text) {
    const heading = h("h1", { tabindex: -1 }, title);
    app.replaceChildren(header(), h("section", { class: "card notice", "data-testid": "notice" }, heading, h("p", {}, text)));
    heading.focus();
  }

  function thanks(statusUrl, body) {
    const rewardBox = h("section", { class: "reward", hidden: true, "aria-live": "polite", "data-testid": "reward" });
    const waiting = h("p", { class: "waiting", hidden: page.reward !== "true", "data-testid": "reward-waiting" }, t.rewardWaiting);
    const heading = h("h1", { tabindex: -1 }, t.thanksTitle);
    app.replaceChildren(header(), h("section", { class: "card thanks", "data-testid": "thanks" },
      heading,
      h("p", {}, t.thanksText),
      waiting,
      rewardBox,
      h("dl", { class: "recap" },
        h("dt", {}, t.yourScore), h("dd", { "data-testid": "recap-score" }, `${body.score}/10`),
        body.comment && [h("dt", {}, t.yourComment), h("dd", { class: "comment", "data-testid": "recap-comment" }, body.comment)])));
    heading.focus();
    if (page.reward === "true") pollReward(statusUrl, rewardBox, waiting);
  }

  // The reward is minted from a queue a moment after the answer: poll the status briefly.
  async function pollReward(statusUrl, box, waiting) {
    const deadline = Date.now() + REWARD_WAIT_MS;
    for (let delay = 300; Date.now() < deadline; delay = Math.min(delay * 1.5, 2000)) {
      await sleep(delay);
      try {
        const response = await fetch(statusUrl, { credentials: "omit", cache: "no-store" });
        const status = response.ok ? await response.json() : null;
        if (status && status.reward) { showReward(box, status.reward); break; }
      } catch {
        // keep polling until the deadline
      }
    }
    waiting.hidden = true;
  }

  function showReward(box, reward) {
    const expires = new Intl.DateTimeFormat(page.lang, { dateStyle: "long" }).format(new Date(reward.expiresAt));
    box.replaceChildren(
      h("h2", {}, t.rewardTitle),
      h("p", { class: "reward-title" }, reward.title),
      h("p", { class: "code", "data-testid": "reward-code" }, reward.code),
      h("p", { class: "hint" }, t.rewardHint),
      h("p", { class: "expires" }, format(t.rewardExpires, { date: expires })));
    box.hidden = false;
  }
})();
