#!/usr/bin/env bash
# A real MIDI path for the tests on machines without sound hardware (sourced by scripts/test.sh):
#  - a JACK server with the dummy driver (real-time when run as root, which avoids dropouts);
#  - a build of @julusian/midi compiled for JACK, in .cache/jack-midi, used by tests only
#    (CANTUS_MIDI_MODULE); the app always uses the package as installed.
# Expects the Debian packages jackd2, libjack-jackd2-dev and libasound2-dev (scripts/test.sh
# installs them).

jack_midi_setup() {
  local root module version built
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  module="$root/.cache/jack-midi/node_modules/@julusian/midi"
  version="$(node -p "require('$root/node_modules/@julusian/midi/package.json').version")"
  built="$module/.jack-build-$version"
  if [ ! -f "$built" ]; then
    echo "Building @julusian/midi $version for JACK (tests only) in .cache/jack-midi"
    rm -rf "$module" && mkdir -p "$(dirname "$module")"
    cp -r "$root/node_modules/@julusian/midi" "$module"
    local gyp
    gyp="$(dirname "$(dirname "$(command -v npm)")")/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
    (cd "$module" && CXXFLAGS="-U__LINUX_ALSA__ -D__UNIX_JACK__" LDFLAGS="-Wl,--no-as-needed -ljack" \
      node "$gyp" rebuild --nodedir="$(npm config get nodedir)" >"$root/.cache/jack-midi-build.log" 2>&1) || {
      echo "Could not build the JACK MIDI module for the tests (see .cache/jack-midi-build.log)." >&2
      return 1
    }
    touch "$built"
  fi
  export CANTUS_MIDI_MODULE="$module"

  # `jack_wait -c` prints "running" or "not running" and exits 0 either way.
  if [ "$(jack_wait -c 2>/dev/null)" != "running" ]; then
    local rt=(--no-realtime)
    [ "$(id -u)" = "0" ] && rt=(-R -P 70)
    # Detached, so it outlives this shell's job control and keeps running for every step.
    setsid nohup jackd "${rt[@]}" -d dummy -r 48000 -p 64 >"$root/.cache/jackd.log" 2>&1 </dev/null &
    jack_wait -w -t 10 >/dev/null || {
      echo "The JACK server did not start (see .cache/jackd.log)." >&2
      return 1
    }
  fi
}

# Fails with a message when the JACK server has gone away since jack_midi_setup.
jack_midi_check() {
  [ "$(jack_wait -c 2>/dev/null)" = "running" ] && return 0
  echo "The JACK server the MIDI tests use is no longer running (see .cache/jackd.log)." >&2
  return 1
}
