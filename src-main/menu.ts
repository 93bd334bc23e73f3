/** The application menu. Commands go to the window as `menu:command` events. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../src-core/ipc/contract.ts';

export function menuTemplate(
  send: (command: MenuCommand) => void,
  options: { isMac: boolean; isDev: boolean },
): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (options.isMac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: '&File',
      submenu: [
        { label: 'Open MIDI File…', accelerator: 'CmdOrCtrl+O', click: () => send('open') },
        { label: 'Save as MIDI…', accelerator: 'CmdOrCtrl+S', click: () => send('save') },
        { type: 'separator' },
        options.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&Playback',
      submenu: [
        // Space is handled in the window so it still types spaces in text fields.
        { label: 'Play / Stop (Space)', click: () => send('play-toggle') },
        { label: 'Stop', accelerator: 'Escape', click: () => send('stop') },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(options.isDev
          ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  );
  return template;
}
