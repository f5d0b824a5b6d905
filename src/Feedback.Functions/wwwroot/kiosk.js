// The in-store kiosk: tap a score, optionally say why, send; thank-you; back to a blank start.
// Answers go into a queue in localStorage first and upload in batches, so the kiosk keeps working
// offline and catches up when the network returns.
"use strict";

(() => {
  const { h, newId, loadTexts, format } = window.Feedback;
  const page = document.body.dataset;
  const app = document.getElementById("app");
  const KEY = "feedback.kiosk.deviceKey";
  const LANG = "feedback.kiosk.language";
  const QUEUE = "feedback.kiosk.queue";
  const IDLE_MS = Number(page.idleMs) || 45000;
  const THANKS_MS = Number(page.thanksMs) || 6000;
  const GUARD_MS = 400; // a person does not tap twice within this; a bouncing finger does
  const BATCH = 100;
  const languages = page.languages.split(",");
  const texts = {};

  let lang;
  let answer;
  let screen;
  let idleTimer = 0;
  let thanksTimer = 0;
  let lastTap = { target: null, at: 0 };
  let keyRejected = false;
  const status = h("footer", { class: "staff", "aria-live": "polite" });

  const urls = JSON.parse(page.i18n);
  Promise.all(languages.map(async l => { texts[l] = await loadTexts(urls[l]); })).then(start, () => {
    app.replaceChildren(h("p", { class: "error", role: "alert" }, "Please reload the page."));
  });

  function start() {
    if (location.hash.startsWith("#key=")) {
      // Provisioning link: the key travels in the fragment, which is never sent to a server.
      localStorage.setItem(KEY, decodeURIComponent(location.hash.slice(5)));
      history.replaceState(null, "", location.pathname + location.search);
    }
    document.body.append(status);
    document.addEventListener("click", guard, true);
    for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, armIdle, true);
    window.addEventListener("online", () => uploader.kick());
    window.addEventListener("offline", showStatus);
    window.addEventListener("hashchange", () => { if (location.hash === "#setup") setup(); });
    if (!localStorage.getItem(KEY) || location.hash === "#setup") setup(); else reset();
    uploader.kick();
  }

  const defaultLanguage = () => {
    const stored = localStorage.getItem(LANG);
    return languages.includes(stored) ? stored : page.lang;
  };

  // Taps on the same control faster than a person repeats them are dropped, and so is any tap in the
  // moment after the screen changed (a double tap must not answer the next screen too).
  function guard(event) {
    const target = event.target.closest("button, label, input, a");
    const now = performance.now();
    if (target && target === lastTap.target && now - lastTap.at < GUARD_MS) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    lastTap = { target, at: now };
  }

  function render(section) {
    app.replaceChildren(section);
    const controls = [...section.querySelectorAll("button, input, textarea, select")];
    for (const control of controls) control.disabled = true;
    section.classList.add("settling");
    setTimeout(() => {
      for (const control of controls) control.disabled = false;
      section.classList.remove("settling");
    }, GUARD_MS);
  }

  function armIdle() {
    clearTimeout(idleTimer);
    const dirty = screen === "details" || (screen === "start" && lang !== defaultLanguage());
    if (dirty) idleTimer = setTimeout(reset, IDLE_MS);
  }

  // A blank start: a new id, nothing selected, nothing of the previous customer's answer on screen.
  function reset() {
    clearTimeout(idleTimer);
    clearTimeout(thanksTimer);
    lang = defaultLanguage();
    answer = { id: newId(), score: null, reasons: new Set(), sent: false };
    startScreen();
  }

  function startScreen() {
    screen = "start";
    const t = texts[lang];
    document.documentElement.lang = lang;
    render(h("section", { class: "screen start", "data-testid": "start" },
      h("nav", { class: "langs" }, languages.map(l =>
        h("button", { type: "button", lang: l, "aria-pressed": String(l === lang), onclick: () => { lang = l; startScreen(); armIdle(); } },
          l.toUpperCase()))),
      h("h1", {}, t.npsQuestion),
      h("div", { class: "scores" }, Array.from({ length: 11 }, (_, value) =>
        h("button", { type: "button", class: "score", "data-value": value, onclick: () => { answer.score = value; details(); } }, value))),
      h("div", { class: "ends", "aria-hidden": "true" }, h("span", {}, t.npsLow), h("span", {}, t.npsHigh))));
    armIdle();
  }

  function details() {
    screen = "details";
    const t = texts[lang];
    const comment = h("textarea", { id: "kiosk-comment", maxlength: 2000, rows: 2, placeholder: t.commentPlaceholder });
    render(h("section", { class: "screen details", "data-testid": "details" },
      h("p", { class: "chosen" }, format(t.kiosk.yourScore, { score: answer.score })),
      h("h2", {}, t.reasonsQuestion),
      h("div", { class: "chips" }, Object.entries(t.reasons).map(([key, label]) =>
        h("button", { type: "button", class: "chip", "data-reason": key, "aria-pressed": "false", onclick: e => {
          const on = !answer.reasons.has(key);
          if (on) answer.reasons.add(key); else answer.reasons.delete(key);
          e.currentTarget.setAttribute("aria-pressed", String(on));
        } }, label))),
      h("label", { class: "label", for: "kiosk-comment" }, t.commentLabel, " ", h("small", {}, `(${t.optional})`)),
      comment,
      h("div", { class: "actions" },
        h("button", { type: "button", class: "secondary", onclick: reset }, t.kiosk.cancel),
        h("button", { type: "button", class: "primary", "data-testid": "send", onclick: () => send(comment.value) }, t.submit))));
    armIdle();
  }

  function send(comment) {
    if (answer.sent) return;
    answer.sent = true;
    const item = { id: answer.id, score: answer.score, language: lang, submittedAt: new Date().toISOString() };
    if (answer.reasons.size) item.reasons = [...answer.reasons];
    if (comment.trim()) item.comment = comment.trim();
    queue.add(item);
    thanks();
    uploader.kick();
  }

  function thanks() {
    screen = "thanks";
    const t = texts[lang];
    clearTimeout(idleTimer);
    render(h("section", { class: "screen thanks", "data-testid": "thanks" }, h("h1", {}, t.thanksTitle), h("p", {}, t.kiosk.thanksText)));
    thanksTimer = setTimeout(reset, THANKS_MS);
  }

  function setup() {
    screen = "setup";
    clearTimeout(idleTimer);
    clearTimeout(thanksTimer);
    lang = defaultLanguage();
    const t = texts[lang];
    const key = h("input", { id: "device-key", type: "password", autocomplete: "off", spellcheck: "false", required: true });
    const select = h("select", { id: "kiosk-language" }, languages.map(l => h("option", { value: l, selected: l === lang }, l.toUpperCase())));
    render(h("form", { class: "screen setup card", "data-testid": "setup", onsubmit: e => {
      e.preventDefault();
      if (!key.value.trim()) return;
      localStorage.setItem(KEY, key.value.trim());
      localStorage.setItem(LANG, select.value);
      keyRejected = false;
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
      document.documentElement.requestFullscreen?.().catch(() => {});
      reset();
      uploader.kick();
    } },
      h("h1", {}, t.kiosk.setupTitle),
      h("p", {}, t.kiosk.setupText),
      h("label", { class: "label", for: "device-key" }, t.kiosk.deviceKey), key,
      h("label", { class: "label", for: "kiosk-language" }, t.kiosk.language), select,
      h("button", { type: "submit", class: "primary" }, t.kiosk.save)));
  }

  const queue = {
    all() {
      try { return JSON.parse(localStorage.getItem(QUEUE)) || []; } catch { return []; }
    },
    save(items) {
      try { localStorage.setItem(QUEUE, JSON.stringify(items)); } catch { /* storage full: keep what is stored */ }
      showStatus();
    },
    add(item) { this.save([...this.all(), item]); },
    remove(ids) { this.save(this.all().filter(item => !ids.has(item.id))); },
  };

  // Uploads the queue in batches, one request at a time, with exponential backoff after failures.
  // An item leaves the queue only when the server accepted it or rejected it for good; its id makes
  // a repeat after a lost response harmless.
  const uploader = (() => {
    let busy = false;
    let again = false;
    let failures = 0;
    let timer = 0;

    const schedule = ms => { clearTimeout(timer); timer = setTimeout(run, ms); };
    const backoff = () => Math.min(60000, 1000 * 2 ** Math.min(failures - 1, 6)) * (0.5 + Math.random() / 2);
    // Field errors will not go away on a retry; an "item" error (rate limit) will.
    const permanent = result => result.status === "rejected" && Object.keys(result.errors || {}).some(field => field !== "item");

    async function run() {
      const key = localStorage.getItem(KEY);
      const batch = queue.all().slice(0, BATCH);
      if (busy) { again = true; return; }
      if (!key || batch.length === 0) return;
      busy = true;
      again = false;
      let complete = false;
      try {
        const response = await fetch("/api/feedback/batch", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Device-Key": key },
          body: JSON.stringify({ items: batch }),
          credentials: "omit",
          cache: "no-store",
        });
        keyRejected = response.status === 401;
        if (response.ok) {
          const { results } = await response.json();
          const done = new Set(batch.filter((item, i) => results[i] && (results[i].status === "accepted" || permanent(results[i]))).map(item => item.id));
          queue.remove(done);
          complete = done.size === batch.length;
        }
      } catch {
        // offline or unreachable: everything stays queued
      }
      busy = false;
      failures = complete ? 0 : failures + 1;
      if (queue.all().length) schedule(complete || again ? 0 : backoff());
      showStatus();
    }

    return { kick() { failures = 0; schedule(0); } };
  })();

  function showStatus() {
    const t = texts[lang || defaultLanguage()];
    if (!t) return;
    const queued = queue.all().length;
    status.replaceChildren(
      !navigator.onLine && h("span", { class: "offline", "data-testid": "offline" }, t.kiosk.offline),
      queued > 0 && h("span", { class: "queued", "data-testid": "queued", "data-count": queued }, format(t.kiosk.queued, { n: queued })),
      keyRejected && h("span", { class: "rejected", role: "alert" }, t.kiosk.keyRejected));
  }
})();
