/**
 * Playing to a MIDI device from the window, through a real JACK MIDI port: choose the output,
 * press Play, the device receives every note while the score lights; unplug it and Cantus says
 * so and falls back to the in-app synth.
 */
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { loadMidiModule } from '../../src-main/midi/midi-module.ts';
import { listMidiPorts } from '../../src-main/midi/midi-system.ts';
import { jackUnavailable, Recorder } from '../support/jack.ts';

const why = jackUnavailable();
if (why && process.env['CI'] === 'true') throw new Error(`JACK MIDI tests cannot run in CI: ${why}`);

const outputs = () => {
  const ports = listMidiPorts();
  return ports.ok ? ports.value.outputs : [];
};

test('play to a MIDI device, then unplug it', async ({ page }) => {
  test.skip(why !== null, why ?? '');
  const recorder = await Recorder.start('cantus-e2e', outputs);
  try {
    await page.goto('/index.html');
    const output = page.getByTestId('output');
    await expect(output.locator(`option[value="${recorder.port}"]`)).toHaveCount(1, { timeout: 5000 });
    await output.selectOption(recorder.port);
    await page.getByRole('combobox', { name: 'MIDI channel' }).selectOption({ label: '4' });
    await page.getByTestId('play').click();
    const lit = page.locator('[data-testid=score] .note-hit.is-playing');
    await expect(lit.first()).toBeVisible();
    await expect
      .poll(async () => Number((await lit.first().getAttribute('data-note-index')) ?? -1), {
        timeout: 10_000,
      })
      .toBeGreaterThan(3);
    // The welcome tune's first notes (G4 B4 D5 G5 F#5) reached the device, on channel 4, in order.
    const ons = recorder.events.filter((e) => e.bytes[0] === 0x93 && e.bytes[2]! > 0).map((e) => e.bytes[1]);
    expect(ons.slice(0, 5)).toEqual([67, 71, 74, 79, 78]);
    await page.screenshot({
      path: resolve(import.meta.dirname, '../../test-results/screenshots/midi-output.png'),
    });

    await recorder.unplug();
    await expect(page.getByTestId('notice')).toContainText(`The MIDI output “${recorder.port}” has gone`, {
      timeout: 3000,
    });
    await expect(output).toHaveValue('');
    await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  } finally {
    recorder.stop();
  }
});

test('record a melody from a MIDI keyboard, then undo', async ({ page }) => {
  test.skip(why !== null, why ?? '');
  const midi = loadMidiModule();
  const keys = new midi.Output();
  keys.openVirtualPort('cantus-e2e-keys');
  try {
    const port = midi.Input.getPortNames().find((p) => p.endsWith(':cantus-e2e-keys'))!;
    await page.goto('/index.html');
    const input = page.getByTestId('input');
    await expect(input.locator(`option[value="${port}"]`)).toHaveCount(1, { timeout: 5000 });
    await input.selectOption(port);
    await page.getByRole('button', { name: '● Record' }).click();
    await expect(page.getByTestId('record-status')).toHaveText(/Get ready/);
    await expect(page.getByTestId('record-status')).toHaveText('Recording: play now', { timeout: 5000 });
    // Four quarter notes at the welcome tune's tempo (100 BPM: 600 ms a beat).
    for (const pitch of [60, 62, 64, 65]) {
      keys.sendMessage([0x90, pitch, 90]);
      await page.waitForTimeout(550);
      keys.sendMessage([0x80, pitch, 0]);
      await page.waitForTimeout(50);
    }
    await expect(page.locator('[data-testid=score] [role=option]')).toHaveCount(4);
    await page.screenshot({
      path: resolve(import.meta.dirname, '../../test-results/screenshots/recording.png'),
    });
    await page.getByRole('button', { name: '■ Finish' }).click();
    await expect(page.getByTestId('document-name')).toHaveText('Recorded melody');
    const labels = await page
      .locator('[data-testid=score] [role=option]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(labels.map((l) => l!.split(',')[0])).toEqual(['C4', 'D4', 'E4', 'F4']);
    await page.locator('body').press('Control+z');
    await expect(page.getByTestId('document-name')).toHaveText('Welcome tune');
    await expect(page.locator('[data-testid=score] [role=option]')).toHaveCount(34);
  } finally {
    keys.closePort();
    keys.destroy();
  }
});

test('call and response: play a phrase, pause, and Cantus answers on the device', async ({ page }) => {
  test.skip(why !== null, why ?? '');
  const midi = loadMidiModule();
  const keys = new midi.Output();
  keys.openVirtualPort('cantus-e2e-call');
  const recorder = await Recorder.start('cantus-e2e-answers', outputs);
  try {
    const port = midi.Input.getPortNames().find((p) => p.endsWith(':cantus-e2e-call'))!;
    await page.goto('/index.html');
    await expect(page.getByTestId('input').locator(`option[value="${port}"]`)).toHaveCount(1, {
      timeout: 5000,
    });
    await page.getByTestId('input').selectOption(port);
    await page.getByTestId('output').selectOption(recorder.port);
    await expect(page.getByRole('button', { name: 'Panic' })).toBeVisible(); // the device is open
    await page.getByLabel('Tempo in beats per minute').fill('200');
    await page.getByLabel('Tempo in beats per minute').press('Enter');
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('answer-status')).toHaveText(/Listening/);
    for (const pitch of [67, 71, 74, 79, 78, 74]) {
      keys.sendMessage([0x90, pitch, 90]);
      await page.waitForTimeout(140);
      keys.sendMessage([0x80, pitch, 0]);
      await page.waitForTimeout(10);
    }
    await expect(page.getByTestId('answer-status')).toContainText(
      /Last answer came \d+ ms after your phrase ended/,
      {
        timeout: 10_000,
      },
    );
    await expect(page.getByTestId('document-name')).toHaveText('Call and response');
    // The answer reaches the device (the recorder reads what JACK delivers a moment later).
    await expect
      .poll(() => recorder.events.some((e) => (e.bytes[0]! & 0xf0) === 0x90 && e.bytes[2]! > 0), {
        timeout: 5000,
      })
      .toBe(true);
    await page.screenshot({
      path: resolve(import.meta.dirname, '../../test-results/screenshots/call-and-response.png'),
    });
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('answer-status')).toHaveCount(0);
  } finally {
    recorder.stop();
    keys.closePort();
    keys.destroy();
  }
});
