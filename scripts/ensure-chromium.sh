#!/usr/bin/env bash
# Run before `npm test` (the `pretest` script). The real-browser report test (test/report/browser.test.ts)
# drives Debian's chromium through playwright-core, which never downloads a browser of its own. When that
# chromium is missing and we are root on a Debian machine (as on this project's machines and in CI), this
# installs it with apt-get, which reaches Debian's archive here (about 20 s, once); otherwise it says what
# to run and stops, rather than letting the browser test fail later with a less helpful message.
#
# Why not a browser shipped in an npm package: @sparticuz/chromium (which playwright-core can drive, and
# which does run here) declares Node >= 22.17 from version 147.0.1 on (refused under engine-strict); its
# older builds target Amazon Linux and need libnss3 and friends that a fresh Debian lacks, which is
# exactly what apt-get's chromium pulls in.
#
# MESHSIM_CHROMIUM overrides the path checked (default /usr/bin/chromium, the one the test launches).
set -euo pipefail

chromium="${MESHSIM_CHROMIUM:-/usr/bin/chromium}"
say() { printf 'meshsim pretest: %s\n' "$*" >&2; }

if [ -x "$chromium" ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  say "$chromium is missing; the real-browser report test needs Debian's chromium."
  say "Install it once as root:  apt-get update && apt-get install -y chromium"
  exit 1
fi

say "$chromium is missing; the real-browser report test needs it."
say "Installing Debian's chromium: apt-get update && apt-get install -y chromium (about 20 s, once)."
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq || ! apt-get install -y -qq chromium >/dev/null; then
  say "apt-get could not install chromium (see above); install it by hand and run npm test again."
  exit 1
fi
if [ ! -x "$chromium" ]; then
  say "apt-get installed chromium, but $chromium is still missing; set MESHSIM_CHROMIUM to its path."
  exit 1
fi
say "chromium installed: $chromium"
