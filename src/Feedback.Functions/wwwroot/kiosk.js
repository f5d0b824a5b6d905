// The in-store kiosk: tap a score, optionally say why, send; thank-you (with the reward when the store
// gives one at the kiosk); back to a blank start. Answers go into a queue in IndexedDB first and upload
// in batches, so the kiosk keeps working offline, across reloads and power cuts, and catches up when
// the network returns. A service worker keeps the page itself, so the kiosk also starts offline.
"use strict";

(() => {
  const { h, newId, loadTexts, format, sleep } = window.Feedback;
  const page = document.body.dataset;
  const query = new URLSearchParams(location.search);
  const app = document.getElementById("app");
  const VERSION = new URL(document.currentScript.src).searchParams.get("v") || "dev";
  const KEY = "feedback.kiosk.deviceKey";
  const LANG = "feedback.kiosk.language";
  const CONFIG = "feedback.kiosk.config";
  const LAST_REWARD = "feedback.kiosk.lastRewardAt";
  const LEGACY_QUEUE = "feedback.kiosk.queue"; // where earlier versions kept the queue
  const seconds = (text, fallback, max) => { const n = Number(text); return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback; };
  const IDLE_MS = Number(page.idleMs) || 45000;
  const THANKS_MS = Number(page.thanksMs) || 6000;
  const REWARD_MS = seconds(query.get("reward"), 15, 120) * 1000; // how long an issued code stays on screen
  const REWARD_WAIT_MS = 15000; // how long the thank-you waits for the server to issue it
  const GUARD_MS = 400; // a person does not tap twice within this; a bouncing finger does
  const BATCH = 100;
  const MIN_HEARTBEAT_MS = 60000;
  const languages = page.languages.split(",");
  // The chain's optional questions about the customer, asked after the score (titles in every language: the kiosk switches).
  const segments = JSON.parse(page.segments || "[]");
  const texts = {};

  let lang;
  let answer;
  let screen;
  let idleTimer = 0;
  let thanksTimer = 0;
  let lastTap = { target: null, at: 0 };
  let keyRejected = false;
  let lastError = null;
  let queued = 0;
  const status = h("footer", { class: "staff", "aria-live": "polite" });

  const urls = JSON.parse(page.i18n);
  Promise.all(languages.map(async l => { texts[l] = await loadTexts(urls[l]); })).then(start, () => {
    app.replaceChildren(h("p", { class: "error", role: "alert" }, "Please reload the page."));
  });

  async function start() {
    if (location.hash.startsWith("#key=")) {
      // Provisioning link: the key travels in the fragment, which is never sent to a server.
      localStorage.setItem(KEY, decodeURIComponent(location.hash.slice(5)));
      history.replaceState(null, "", location.pathname + location.search);
    }
    document.body.append(status);
    document.addEventListener("click", guard, true);
    for (const type of ["pointerdown", "keydown", "input"]) document.addEventListener(type, armIdle, true);
    // A kiosk is not a web page to copy from: no selection, no long-press or right-click menu.
    document.addEventListener("contextmenu", e => e.preventDefault());
    document.addEventListener("selectstart", e => { if (!e.target.closest?.("textarea, input")) e.preventDefault(); });
    document.addEventListener("visibilitychange", keepAwake);
    window.addEventListener("online", () => { showStatus(); uploader.kick(); heartbeat.soon(); });
    window.addEventListener("offline", showStatus);
    window.addEventListener("hashchange", () => { if (location.hash === "#setup") setup(); });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/kiosk-sw.js", { scope: "/kiosk" }).catch(e => note("service worker: " + e.message));
    }
    // Waiting answers and the offline copy must not be evicted when the tablet runs short of space.
    navigator.storage?.persist?.().catch(() => {});
    if (!localStorage.getItem(KEY) || location.hash === "#setup") setup(); else reset();
    await queue.migrate();
    await refreshCount();
    uploader.kick();
    heartbeat.soon();
    keepAwake();
  }

  const defaultLanguage = () => {
    const stored = localStorage.getItem(LANG);
    return languages.includes(stored) ? stored : page.lang;
  };

  const config = () => {
    try { return JSON.parse(localStorage.getItem(CONFIG)) || {}; } catch { return {}; }
  };

  const note = message => { lastError = `${new Date().toISOString()} ${message}`.slice(0, 500); };

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

  // The screen stays on while the kiosk is shown, where the browser allows it (it drops the lock when hidden).
  let wakeLock = null;
  async function keepAwake() {
    if (document.visibilityState !== "visible" || !navigator.wakeLock || (wakeLock && !wakeLock.released)) return;
    try { wakeLock = await navigator.wakeLock.request("screen"); } catch { /* not allowed here: the tablet's own setting applies */ }
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
    answer = { id: newId(), score: null, reasons: new Set(), segments: {}, sent: false };
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
    showStatus();
    armIdle();
  }

  function details() {
    screen = "details";
    const t = texts[lang];
    const comment = h("textarea", { id: "kiosk-comment", maxlength: 2000, rows: 2, placeholder: t.commentPlaceholder });
    render(h("section", { class: "screen details", "data-testid": "details" },
      h("p", { class: "chosen" }, format(t.kiosk.yourScore, { score: answer.score })),
      segments.flatMap(q => [
        h("h2", {}, q.title[lang] || q.title.en),
        h("div", { class: "chips", "data-segment": q.key }, q.options.map(o =>
          h("button", { type: "button", class: "chip", "data-option": o.value, "aria-pressed": "false", onclick: e => {
            const on = answer.segments[q.key] !== o.value;
            if (on) answer.segments[q.key] = o.value; else delete answer.segments[q.key];
            for (const chip of e.currentTarget.parentElement.children) chip.setAttribute("aria-pressed", String(on && chip === e.currentTarget));
          } }, o.title[lang] || o.title.en)))]),
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

  async function send(comment) {
    if (answer.sent) return;
    answer.sent = true;
    const item = { id: answer.id, score: answer.score, language: lang, submittedAt: new Date().toISOString() };
    if (answer.reasons.size) item.reasons = [...answer.reasons];
    if (Object.keys(answer.segments).length) item.segments = { ...answer.segments };
    if (comment.trim()) item.comment = comment.trim();
    thanks(item.id, rewardOutlook());
    try {
      await queue.add(item);
    } catch (e) {
      note("queue: " + (e && e.message));
    }
    await refreshCount();
    uploader.kick();
  }

  // What the thank-you may say about a reward: nothing (no kiosk reward at this store, or this kiosk had
  // one moments ago), that none is possible (offline), or that one is on its way.
  function rewardOutlook() {
    const { kioskRewards, rewardIntervalSeconds = 0 } = config();
    if (!kioskRewards) return "none";
    if (!navigator.onLine) return "offline";
    const last = Number(localStorage.getItem(LAST_REWARD)) || 0;
    return Date.now() - last < rewardIntervalSeconds * 1000 ? "none" : "wait";
  }

  function thanks(id, outlook) {
    screen = "thanks";
    const t = texts[lang];
    clearTimeout(idleTimer);
    const extra = outlook === "offline" ? h("p", { class: "reward-note", "data-testid": "reward-offline" }, t.kiosk.rewardOffline)
      : outlook === "wait" ? h("p", { class: "waiting", "data-testid": "reward-waiting" }, t.rewardWaiting)
      : null;
    const section = h("section", { class: "screen thanks", "data-testid": "thanks" }, h("h1", {}, t.thanksTitle), h("p", {}, t.kiosk.thanksText), extra);
    render(section);
    if (outlook === "wait") waitForReward(id, section, extra); else thanksTimer = setTimeout(reset, THANKS_MS);
  }

  // The reward is minted from a queue a moment after the upload: wait for the server to accept this
  // answer, then poll its status briefly. Only a code the server issued is ever shown.
  async function waitForReward(id, section, waiting) {
    const t = texts[lang];
    const current = () => screen === "thanks" && answer.id === id;
    const deadline = Date.now() + REWARD_WAIT_MS;
    let reward = null;
    let statusUrl = null;
    let processedAt = 0;
    for (let delay = 300; Date.now() < deadline && current() && !reward; delay = Math.min(delay * 1.5, 2000)) {
      statusUrl ??= uploader.statusUrlOf(id);
      if (statusUrl) {
        try {
          const response = await fetch(statusUrl, { credentials: "omit", cache: "no-store" });
          const answerStatus = response.ok ? await response.json() : {};
          reward = answerStatus.reward || null;
          // The reward follows the processed answer within moments; long after, none is coming (cap, interval).
          if (answerStatus.status === "processed" && !reward && (processedAt ||= Date.now()) < Date.now() - 5000) break;
        } catch {
          // keep polling until the deadline
        }
      } else if (!navigator.onLine) {
        break;
      }
      if (!reward) await sleep(delay);
    }
    if (!current()) return;
    if (!reward) {
      waiting.replaceWith(h("p", { class: "reward-note", "data-testid": "reward-none" }, statusUrl || navigator.onLine ? t.kiosk.rewardNone : t.kiosk.rewardOffline));
      thanksTimer = setTimeout(reset, THANKS_MS);
      return;
    }
    localStorage.setItem(LAST_REWARD, String(Date.now()));
    const expires = new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(new Date(reward.expiresAt));
    waiting.replaceWith(h("div", { class: "reward kiosk-reward", "data-testid": "reward" },
      h("div", {},
        h("h2", {}, t.rewardTitle),
        h("p", { class: "reward-title" }, reward.title),
        h("p", { class: "code", "data-testid": "reward-code" }, reward.code),
        h("p", { class: "hint" }, t.kiosk.rewardHint),
        h("p", { class: "expires" }, format(t.rewardExpires, { date: expires }))),
      h("img", { class: "qr", "data-testid": "reward-qr", alt: t.kiosk.rewardQr, width: 200, height: 200,
        src: `/api/rewards/${encodeURIComponent(reward.code)}/qr` })));
    section.classList.add("rewarded");
    thanksTimer = setTimeout(reset, REWARD_MS);
  }

  function setup() {
    screen = "setup";
    clearTimeout(idleTimer);
    clearTimeout(thanksTimer);
    lang = defaultLanguage();
    const t = texts[lang];
    // The key is typed into a password field and never put on screen, not even when one is stored.
    const key = h("input", { id: "device-key", type: "password", autocomplete: "off", spellcheck: "false", required: true });
    const select = h("select", { id: "kiosk-language" }, languages.map(l => h("option", { value: l, selected: l === lang }, l.toUpperCase())));
    render(h("form", { class: "screen setup card", "data-testid": "setup", onsubmit: e => {
      e.preventDefault();
      if (!key.value.trim()) return;
      localStorage.setItem(KEY, key.value.trim());
      localStorage.setItem(LANG, select.value);
      localStorage.removeItem(CONFIG);
      keyRejected = false;
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
      document.documentElement.requestFullscreen?.().catch(() => {});
      reset();
      uploader.kick();
      heartbeat.soon(true);
    } },
      h("h1", {}, t.kiosk.setupTitle),
      h("p", {}, t.kiosk.setupText),
      h("label", { class: "label", for: "device-key" }, t.kiosk.deviceKey), key,
      h("label", { class: "label", for: "kiosk-language" }, t.kiosk.language), select,
      h("button", { type: "submit", class: "primary" }, t.kiosk.save)));
  }

  // Waiting answers in IndexedDB, in the order they were given (auto-increment key), one per answer id.
  // Writes are committed with strict durability, so an answer on the thank-you screen survives a power cut.
  const queue = (() => {
    let opened = null;
    const done = request => new Promise((resolve, reject) => { request.onsuccess = () => resolve(request.result); request.onerror = () => reject(request.error); });
    const committed = tx => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = tx.onabort = () => reject(tx.error); });
    const open = () => opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open("feedback-kiosk", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("answers", { keyPath: "seq", autoIncrement: true }).createIndex("id", "id", { unique: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => { opened = null; reject(request.error); };
    });
    const store = async mode => (await open()).transaction("answers", mode, { durability: "strict" });

    return {
      async add(item) {
        const tx = await store("readwrite");
        const request = tx.objectStore("answers").add({ id: item.id, item });
        // The same id again (a double tap that got through) is the same answer: keep the first.
        request.onerror = e => { if (request.error && request.error.name === "ConstraintError") e.preventDefault(); };
        await committed(tx);
      },
      async first(n) {
        const tx = await store("readonly");
        return done(tx.objectStore("answers").getAll(null, n));
      },
      async remove(seqs) {
        if (!seqs.length) return;
        const tx = await store("readwrite");
        for (const seq of seqs) tx.objectStore("answers").delete(seq);
        await committed(tx);
      },
      // In one transaction, so an answer is never neither here nor there.
      async replace(entries) {
        if (!entries.length) return;
        const tx = await store("readwrite");
        for (const { seq, item } of entries) {
          tx.objectStore("answers").delete(seq);
          tx.objectStore("answers").add({ id: item.id, item });
        }
        await committed(tx);
      },
      async count() {
        const tx = await store("readonly");
        return done(tx.objectStore("answers").count());
      },
      // Answers an earlier version left in localStorage move over once.
      async migrate() {
        let legacy = [];
        try { legacy = JSON.parse(localStorage.getItem(LEGACY_QUEUE)) || []; } catch { /* unreadable: nothing to move */ }
        try {
          for (const item of legacy) await this.add(item);
          localStorage.removeItem(LEGACY_QUEUE);
        } catch (e) {
          note("queue: " + (e && e.message));
        }
      },
    };
  })();

  async function refreshCount() {
    try { queued = await queue.count(); } catch (e) { note("queue: " + (e && e.message)); }
    showStatus();
  }

  // Uploads the queue in batches, one request at a time, with exponential backoff after failures.
  // An item leaves the queue only when the server accepted it or rejected it for good; its id makes
  // a repeat after a lost response harmless.
  const uploader = (() => {
    let busy = false;
    let again = false;
    let failures = 0;
    let timer = 0;
    const accepted = new Map(); // answer id → status URL, for the thank-you screen

    const schedule = ms => { clearTimeout(timer); timer = setTimeout(run, ms); };
    const backoff = () => Math.min(60000, 1000 * 2 ** Math.min(failures - 1, 6)) * (0.5 + Math.random() / 2);
    // Field errors will not go away on a retry; an "item" error (rate limit) will.
    const permanent = result => result.status === "rejected" && Object.keys(result.errors || {}).some(field => field !== "item");
    // The segment questions changed while the answer waited: send it again without them rather than lose its score.
    const segmentsOnly = result => result.status === "rejected" && Object.keys(result.errors || {}).length > 0
      && Object.keys(result.errors).every(field => field.startsWith("segments."));

    async function run() {
      if (busy) { again = true; return; }
      const key = localStorage.getItem(KEY);
      if (!key) return;
      busy = true;
      again = false;
      let complete = false;
      let left = 0;
      try {
        const batch = await queue.first(BATCH);
        if (batch.length === 0) { busy = false; return; }
        const response = await fetch("/api/feedback/batch", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Device-Key": key },
          body: JSON.stringify({ items: batch.map(entry => entry.item) }),
          credentials: "omit",
          cache: "no-store",
        });
        keyRejected = response.status === 401;
        if (response.ok) {
          const { results } = await response.json();
          const resend = batch.filter((entry, i) => results[i] && entry.item.segments && segmentsOnly(results[i]));
          await queue.replace(resend.map(({ seq, item: { segments, ...item } }) => ({ seq, item })));
          const done = batch.filter((entry, i) => results[i] && !resend.includes(entry) && (results[i].status === "accepted" || permanent(results[i])));
          for (const [i, entry] of batch.entries()) if (results[i] && results[i].statusUrl) accepted.set(entry.id, results[i].statusUrl);
          // Only the newest matter (the answer on the thank-you screen); a kiosk runs for weeks.
          for (const id of accepted.keys()) { if (accepted.size <= BATCH) break; accepted.delete(id); }
          await queue.remove(done.map(entry => entry.seq));
          complete = done.length + resend.length === batch.length;
          if (complete) lastError = null;
        } else {
          note(`upload: HTTP ${response.status}`);
        }
      } catch (e) {
        // offline or unreachable: everything stays queued
        if (navigator.onLine) note("upload: " + (e && e.message));
      }
      busy = false;
      failures = complete ? 0 : failures + 1;
      await refreshCount();
      left = queued;
      if (left) schedule(complete || again ? 0 : backoff());
    }

    return {
      kick() { failures = 0; schedule(0); },
      statusUrlOf: id => accepted.get(id) || null,
    };
  })();

  // At most one heartbeat a minute (or as the server asks, never more often): last seen, version,
  // answers waiting, last error. Its answer is the store's kiosk settings, kept for offline starts.
  const heartbeat = (() => {
    let timer = 0;
    let lastAt = 0;

    async function send() {
      const key = localStorage.getItem(KEY);
      if (!key || !navigator.onLine) return;
      lastAt = Date.now();
      try {
        const response = await fetch("/api/devices/heartbeat", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Device-Key": key },
          body: JSON.stringify({ appVersion: VERSION, queued, lastError }),
          credentials: "omit",
          cache: "no-store",
        });
        if (response.status === 401) { keyRejected = true; showStatus(); }
        if (response.ok) localStorage.setItem(CONFIG, JSON.stringify(await response.json()));
      } catch {
        // offline: the server will notice the silence
      }
    }

    function every() {
      return Math.max(MIN_HEARTBEAT_MS, (config().heartbeatSeconds || 60) * 1000);
    }

    function loop() {
      clearTimeout(timer);
      timer = setTimeout(async () => { await send(); loop(); }, Math.max(0, lastAt + every() - Date.now()));
    }

    return {
      // Now if the last one was long enough ago (or a new key was just set up), else at the next turn.
      soon(force = false) {
        if (force) lastAt = 0;
        loop();
      },
    };
  })();

  function showStatus() {
    const t = texts[lang || defaultLanguage()];
    if (!t) return;
    status.replaceChildren(...[
      !navigator.onLine && h("span", { class: "offline", "data-testid": "offline" }, t.kiosk.offline),
      queued > 0 && h("span", { class: "queued", "data-testid": "queued", "data-count": queued }, format(t.kiosk.queued, { n: queued })),
      keyRejected && h("span", { class: "rejected", role: "alert" }, t.kiosk.keyRejected),
    ].filter(Boolean));
  }
})();
