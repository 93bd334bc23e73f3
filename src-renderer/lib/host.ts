/**
 * The renderer's one door to the main process. In Electron the preload provides
 * `window.cantus`; as a plain page (end-to-end tests) the same calls go over HTTP to a
 * bridge that runs the real main-process handlers (test/e2e/host-bridge.ts).
 */
import type { HostApi } from '../../src-core/ipc/contract.ts';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../src-core/ipc/channels.ts';
import { fromWire, toWire } from '../../src-core/ipc/wire.ts';

declare global {
  interface Window {
    cantus?: HostApi;
  }
}

function httpHost(base: string): HostApi {
  const api: Record<string, unknown> = {};
  for (const channel of INVOKE_CHANNELS) {
    api[channel] = async (...args: unknown[]) => {
      const response = await fetch(`${base}/__host/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(toWire(args)),
      });
      const body: unknown = fromWire(await response.json());
      if (!response.ok) throw new Error(String((body as { error?: unknown }).error ?? response.statusText));
      return body;
    };
  }
  // One event stream for every listener: browsers allow only a few connections per host.
  const listeners = new Set<{ event: string; listener: (payload: unknown) => void }>();
  let source: EventSource | null = null;
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!(EVENT_CHANNELS as readonly string[]).includes(event)) throw new Error(`Unknown event ${event}`);
    if (!source) {
      source = new EventSource(`${base}/__host/events`);
      source.addEventListener('message', (e: MessageEvent<string>) => {
        const message = JSON.parse(e.data) as { event: string; payload: unknown };
        const payload = fromWire(message.payload);
        for (const l of [...listeners]) if (l.event === message.event) l.listener(payload);
      });
    }
    const entry = { event, listener };
    listeners.add(entry);
    return () => void listeners.delete(entry);
  };
  return api as HostApi;
}

export const host: HostApi = window.cantus ?? httpHost('');
