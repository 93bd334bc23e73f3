/**
 * The preload: exposes one function per host-API channel as `window.cantus`, and a way to
 * listen to the few events main sends. Never `ipcRenderer` itself. Built as CommonJS for
 * the sandbox, so it imports nothing but electron and the channel list.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../src-core/ipc/channels.ts';

const api: Record<string, unknown> = {};
for (const channel of INVOKE_CHANNELS) {
  api[channel] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
}
api.on = (event: string, listener: (payload: unknown) => void) => {
  if (!(EVENT_CHANNELS as readonly string[]).includes(event)) throw new Error(`Unknown event ${event}`);
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => ipcRenderer.removeListener(event, wrapped);
};

contextBridge.exposeInMainWorld('cantus', Object.freeze(api));
