/**
 * How the tests and benchmarks start Debian's Chromium (no browser is downloaded): the binary,
 * and flags that keep it off the network and off the GPU.
 */
export const CHROMIUM_PATH = process.env['CANTUS_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
