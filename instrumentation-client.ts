import { config } from "zod/v4/core";

// Runs in the browser before the app's code. The CSP (proxy.ts) allows no eval, and zod probes `new Function`
// to compile faster parsers: the browser refuses it and reports a CSP violation, although zod catches the
// error. The forms' schemas parse just as correctly without it, so the browser skips the probe (the server,
// where parsing is hot, keeps its compiled parsers).
config({ jitless: true });
