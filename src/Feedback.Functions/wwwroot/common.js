// Shared by the survey and the kiosk. No framework; every text goes into the page as a text node.
"use strict";

window.Feedback = (() => {
  // Builds an element. Strings become text nodes, never markup, so customer text cannot become HTML.
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }

  // One id per answer: the API's idempotency key (8–64 of [A-Za-z0-9_-]), so a double tap or a
  // retry is still one answer. 16 random bytes as base64url; crypto.randomUUID needs https.
  function newId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function loadTexts(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`Texts: HTTP ${response.status}`);
    return response.json();
  }

  const format = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

  // A 0–10 or 1–5 scale as native radio buttons: keyboard, screen readers and forms work as usual.
  function scale({ name, legend, from, to, low, high, onPick, testid }) {
    const options = [];
    for (let value = from; value <= to; value++) {
      const input = h("input", { type: "radio", name, value, class: "sr", onchange: () => onPick(value) });
      options.push(h("label", { class: "opt", "data-value": value }, input, h("span", { "aria-hidden": "true" }, value),
        h("span", { class: "sr" }, value === from ? low : value === to ? high : value)));
    }
    return h("fieldset", { class: `scale ${name}`, "data-testid": testid },
      h("legend", {}, legend),
      h("div", { class: "opts" }, options),
      h("div", { class: "ends", "aria-hidden": "true" }, h("span", {}, low), h("span", {}, high)));
  }

  return { h, newId, loadTexts, format, sleep, scale };
})();
