/** Registers every host-API channel with Electron's ipcMain, refusing calls from unknown frames. */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS } from '../src-core/ipc/channels.ts';
import { dispatch, RejectedCall } from './dispatch.ts';
import type { Handlers } from './host-handlers.ts';
import { isTrustedUrl } from './security.ts';

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: Handlers,
  allowedOrigins: readonly string[],
  log: (message: string, err?: unknown) => void = console.error,
): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const url = event.senderFrame?.url;
      if (!isTrustedUrl(url, allowedOrigins)) {
        log(`Refused ${channel} from ${String(url)}`);
        throw new RejectedCall(`Refused ${channel}: sender not trusted`);
      }
      return dispatch(handlers, channel, args, log);
    });
  }
}
