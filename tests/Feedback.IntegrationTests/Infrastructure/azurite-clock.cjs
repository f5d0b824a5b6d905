// Preloaded into an Azurite the fault tests control (node --require): SIGUSR2 moves this process's clock
// forward by AZURITE_CLOCK_STEP_SECONDS, so a queue message's visibility lease that a killed or cut-off
// app held ends now rather than minutes later. Only the emulator's clock moves; the app's does not.
"use strict";
const RealDate = Date;
const step = Number(process.env.AZURITE_CLOCK_STEP_SECONDS || "0") * 1000;
let offset = 0;
process.on("SIGUSR2", () => { offset += step; });
const now = () => RealDate.now() + offset;
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => (args.length ? Reflect.construct(target, args, newTarget) : Reflect.construct(target, [now()], newTarget)),
  apply: () => new RealDate(now()).toString(),
  get: (target, name, receiver) => (name === "now" ? now : Reflect.get(target, name, receiver)),
});
