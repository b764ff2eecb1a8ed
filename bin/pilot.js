#!/usr/bin/env -S node --max-old-space-size=768
// Installed entry point: runs the compiled CLI (npm run build writes dist/).
//
// The heap ceiling is a memory policy, not a limit Pilot comes near: a 10,000-app
// repository keeps 35-80 MB live, and webhook bodies in flight are capped at 50 MB.
// V8 lets the heap grow to a multiple of the live data that rises with the ceiling
// (up to 4x at its default of several GB), so a lower ceiling keeps a long-running
// daemon's resident memory near what it uses: at 10,000 apps ~170 MB instead of ~300.
// For a larger ceiling: node --max-old-space-size=N "$(command -v pilot)" ...
import '../dist/main.js';
