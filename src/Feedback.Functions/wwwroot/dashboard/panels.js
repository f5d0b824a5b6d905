// What to fix and for whom, for the trailing 28 days: NPS by segment option, driver reasons, journeys across touchpoints.
// Every figure and every marker ("differs", "significant", "clearly weakest") is the API's own; the page only rounds
// for display and keeps the full value in data-* attributes.
"use strict";

window.FeedbackPanels = (() => {
  // ctx: { h, text, api, record, lang, reasons (the survey's reason texts), n0, signed }
  function create(ctx) {
    const { h, text, n0, signed } = ctx;
    const pct = v => text("panels.share", { value: n0(v) });
    const range = (low, high) => text("panels.range", { low: n0(low), high: n0(high) });
    const title = titles => titles?.[ctx.lang] ?? titles?.en ?? "";
    const query = (scope, date, extra) => new URLSearchParams({ scope, period: "trailing28", date, ...extra });
    const empty = () => h("p", { class: "muted", "data-testid": "empty" }, text("panels.empty"));
    const card = (testid, heading, note, ...body) => h("section", { class: "card panel", "data-testid": testid },
      h("h2", {}, heading), ...body, note ? h("p", { class: "muted small" }, note) : null);
    const table = (heads, rows) => h("div", { class: "scroll" }, h("table", { class: "table" },
      h("thead", {}, h("tr", {}, heads.map((head, i) => h("th", { scope: "col", class: i ? "num" : null }, head)))),
      h("tbody", {}, rows)));
    const share = (s, testid) => h("td", { class: "num", "data-testid": testid, "data-value": s?.share ?? "", "data-low": s?.low ?? "", "data-high": s?.high ?? "", "data-n": s?.n ?? "" },
      s ? pct(s.share) : "–", s ? h("span", { class: "muted small block" }, range(s.low, s.high)) : null);

    function segmentTable(question, body) {
      body.options.forEach(o => ctx.record("segment", `${body.segment}:${o.value}`,
        { period: body.key, n: o.n, nps: o.nps, interval: o.interval, marginOfError: o.marginOfError, lowConfidence: o.lowConfidence, change: o.vsRest }));
      const answered = body.options.some(o => o.n > 0);
      return h("div", { class: "segment", "data-segment": body.segment },
        h("h3", {}, title(question.title)),
        answered ? table([text("segments.option"), text("stores.nps"), text("stores.interval"), text("stores.n"), text("segments.vsRest")],
          body.options.map(o => h("tr", { "data-option": o.value },
            h("th", { scope: "row" }, title(o.title)),
            h("td", { class: "num", "data-testid": "nps", "data-value": o.nps ?? "" }, o.nps === null ? "–" : n0(o.nps),
              o.lowConfidence ? h("span", { class: "badge low", "data-testid": "low-confidence" }, text("lowConfidence")) : null),
            h("td", { class: "num", "data-testid": "interval", "data-low": o.interval?.[0] ?? "", "data-high": o.interval?.[1] ?? "" },
              o.interval ? `${n0(o.interval[0])} … ${n0(o.interval[1])}` : "–"),
            h("td", { class: "num", "data-testid": "n" }, n0(o.n)),
            h("td", { class: "num", "data-delta": o.vsRest?.delta ?? "" },
              o.vsRest ? signed.format(o.vsRest.delta) : "–",
              o.differs ? h("span", { class: "badge differs", "data-testid": "differs" }, text("segments.differs")) : null))))
          : empty(),
        answered ? h("p", { class: "muted small" }, text("segments.unanswered", { n: n0(body.unanswered), total: n0(body.n) })) : null);
    }

    async function segments(scope, date) {
      const { questions } = await ctx.api("/api/segments");
      const bodies = await Promise.all(questions.map(q => ctx.api(`/api/scores/segments?${query(scope, date, { segment: q.key })}`)));
      return card("segments", text("segments.title"), text("segments.note"),
        questions.length ? questions.map((q, i) => segmentTable(q, bodies[i])) : empty());
    }

    async function drivers(scope, date) {
      const body = await ctx.api(`/api/scores/drivers?${query(scope, date)}`);
      const rows = body.reasons.filter(r => r.difference);
      return card("drivers", text("drivers.title"), rows.length ? text("drivers.note") : null,
        rows.length ? table([text("drivers.reason"), text("drivers.detractors"), text("drivers.promoters"), text("drivers.difference")],
          rows.map(r => h("tr", { "data-reason": r.reason },
            h("th", { scope: "row" }, ctx.reasons?.[r.reason] ?? r.reason),
            share(r.detractorShare, "detractor-share"),
            share(r.promoterShare, "promoter-share"),
            h("td", { class: "num", "data-testid": "difference", "data-value": r.difference.difference, "data-low": r.difference.low, "data-high": r.difference.high },
              text("drivers.points", { value: signed.format(r.difference.difference) }),
              r.difference.significant ? h("span", { class: "badge significant", "data-testid": "significant" }, text("drivers.significant")) : null,
              h("span", { class: "muted small block" }, range(r.difference.low, r.difference.high))))))
          : empty(),
        rows.length ? h("p", { class: "muted small", "data-testid": "drivers-n" },
          text("drivers.n", { detractors: n0(body.detractorsWithReasons), promoters: n0(body.promotersWithReasons) })) : null);
    }

    async function journeys(scope, date) {
      const body = await ctx.api(`/api/journeys?${query(scope, date)}`);
      if (!body.steps.length) return card("journeys", text("journeys.title"), null, empty());
      const weakest = step => step.touchpoint !== body.weakestStep ? null : body.weakestClearly
        ? h("span", { class: "badge weakest clearly", "data-testid": "weakest", "data-clearly": "true" }, text("journeys.clearlyWeakest"))
        : h("span", { class: "badge weakest", "data-testid": "weakest", "data-clearly": "false" }, text("journeys.lowest"));
      const product = body.journey, observed = body.observed;
      return card("journeys", text("journeys.title"), text(body.weakestClearly ? "journeys.noteClearly" : "journeys.note"),
        table([text("journeys.step"), text("journeys.satisfied"), text("stores.n")],
          body.steps.map(s => h("tr", { "data-step": s.touchpoint },
            h("th", { scope: "row" }, text(`touchpoint.${s.touchpoint}`), weakest(s)),
            share(s.share, "step-share"),
            h("td", { class: "num", "data-testid": "n" }, n0(s.n))))),
        h("p", { "data-testid": "journey-product", "data-value": product?.product ?? "", "data-low": product?.low ?? "", "data-high": product?.high ?? "" },
          product ? text("journeys.product", { value: pct(product.product), range: range(product.low, product.high) }) : text("panels.empty")),
        h("p", { "data-testid": "journey-observed", "data-value": observed.share?.share ?? "", "data-low": observed.share?.low ?? "", "data-high": observed.share?.high ?? "", "data-n": observed.journeys },
          observed.share
            ? text("journeys.observed", { value: pct(observed.share.share), range: range(observed.share.low, observed.share.high), satisfied: n0(observed.everyStepSatisfied), n: n0(observed.journeys) })
            : text("journeys.noObserved")));
    }

    // The three panels of one scope, in page order.
    return (scope, date) => Promise.all([segments(scope, date), drivers(scope, date), journeys(scope, date)]);
  }

  return { create };
})();
