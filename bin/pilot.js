#!/usr/bin/env -S node --max-old-space-size=1024
// Installed entry point: runs the compiled CLI (npm run build writes dist/).
//
// The heap ceiling is a memory policy, not a limit Pilot comes near: a 10,000-app
// repository keeps ~35-60 MB live. Node sizes its heap's growth by the ceiling (up to
// 4x the live data at its default of several GB, about 1.6x at 1 GiB), so this keeps
// a daemon's resident memory near what it uses (README, "Performance and reliability").
// For a larger ceiling: node --max-old-space-size=N "$(command -v pilot)" ...
import '../dist/main.js';
