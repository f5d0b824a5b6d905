// Weekly NPS as inline SVG: the line is the API's NPS per week, the band its 95 % interval. Nothing is computed from
// the figures here but their position on the drawing; a week without answers is a gap in both.
"use strict";

window.FeedbackChart = (() => {
  const SVG = "http://www.w3.org/2000/svg";
  const W = 640, H = 240, LEFT = 40, RIGHT = 22, TOP = 12, BOTTOM = 28;

  function el(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  // Runs of consecutive weeks that have answers: each becomes one band and one line segment.
  function runs(points) {
    const out = [];
    let run = [];
    points.forEach((p, i) => {
      if (p.nps === null || p.nps === undefined) { if (run.length) out.push(run); run = []; }
      else run.push({ i, p });
    });
    if (run.length) out.push(run);
    return out;
  }

  function draw(series, { title, format }) {
    const lows = series.filter(p => p.interval).map(p => p.interval[0]);
    const highs = series.filter(p => p.interval).map(p => p.interval[1]);
    const min = Math.max(-100, Math.floor((Math.min(0, ...lows) - 5) / 20) * 20);
    const max = Math.min(100, Math.ceil((Math.max(0, ...highs) + 5) / 20) * 20);
    const x = i => LEFT + (series.length < 2 ? 0 : i * (W - LEFT - RIGHT) / (series.length - 1));
    const y = v => TOP + (max - v) * (H - TOP - BOTTOM) / (max - min);
    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": title, "data-testid": "chart" }, el("title", {}, title));

    for (let v = min; v <= max; v += 20) {
      svg.append(el("line", { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: v === 0 ? "axis zero" : "axis" }),
        el("text", { x: LEFT - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, format(v)));
    }
    series.forEach((p, i) => {
      if ((series.length - 1 - i) % 4 === 0) {
        svg.append(el("text", { x: x(i), y: H - 8, class: "tick", "text-anchor": "middle" }, p.period.slice(5)));
      }
    });
    for (const run of runs(series)) {
      const upper = run.map(({ i, p }) => `${x(i)},${y(p.interval[1])}`);
      const lower = run.slice().reverse().map(({ i, p }) => `${x(i)},${y(p.interval[0])}`);
      const band = run.length === 1
        ? el("line", { x1: x(run[0].i), x2: x(run[0].i), y1: y(run[0].p.interval[0]), y2: y(run[0].p.interval[1]), class: "band single", "data-testid": "band" })
        : el("polygon", { points: upper.concat(lower).join(" "), class: "band", "data-testid": "band" });
      svg.append(band);
      if (run.length > 1) svg.append(el("polyline", { points: run.map(({ i, p }) => `${x(i)},${y(p.nps)}`).join(" "), class: "line", "data-testid": "line" }));
      for (const { i, p } of run) {
        svg.append(el("circle", { cx: x(i), cy: y(p.nps), r: 3.5, class: p.lowConfidence ? "dot low" : "dot", "data-period": p.period, "data-nps": p.nps },
          el("title", {}, `${p.period}: NPS ${format(p.nps)} [${format(p.interval[0])}, ${format(p.interval[1])}], n = ${p.n}`)));
      }
    }
    return svg;
  }

  return { draw };
})();
