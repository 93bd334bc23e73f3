#!/usr/bin/env bash
# `npm test`: every check Cantus has, in order: format, lint, types, unit tests, MIDI tests
# through JACK, both builds, end-to-end tests in Chromium. Installs the Debian packages the tests need when run as root;
# otherwise prints the command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x "${CANTUS_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v jackd >/dev/null || missing+=(jackd2)
command -v jack_midi_dump >/dev/null || missing+=(jackd2)
[ -f /usr/include/jack/jack.h ] || missing+=(libjack-jackd2-dev)
[ -f /usr/include/alsa/asoundlib.h ] || missing+=(libasound2-dev)
command -v fluidsynth >/dev/null || missing+=(fluidsynth)
[ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || missing+=(timgm6mb-soundfont)
command -v sox >/dev/null || missing+=(sox)
command -v abc2midi >/dev/null || missing+=(abcmidi)
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages the tests need: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need Debian packages that are missing. Run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

step() { printf '\n== %s\n' "$1"; }
# shellcheck source=scripts/jack-midi.sh
source scripts/jack-midi.sh
step "MIDI test path (JACK)"; jack_midi_setup
step "format";     npx prettier --check . --log-level warn
step "lint";       npx eslint .
step "typecheck";  npx tsc --noEmit -p tsconfig.json && npx svelte-check --tsconfig tsconfig.json --fail-on-warnings --output human
step "unit tests"; npx vitest run --project unit
step "MIDI through JACK"; jack_midi_check && npx vitest run --project midi
step "build";      npx electron-vite build >/dev/null && npx vite build --config vite.web.config.ts --logLevel warn
step "end-to-end"; npx playwright test
