/**
 * Lessons, end to end in Chromium against the real main-process handlers:
 *  - a student answers a built-in lesson wrong, sees the right answer drawn, retries, answers
 *    right, finishes; the main process is then killed (SIGKILL) and started again on the same
 *    user-data folder, and her progress is still there;
 *  - a teacher builds a pack from a generated melody, exports it, imports it again, previews
 *    it as a student; a hostile pack is refused with a clear message.
 * The right answers are worked out here, in Node, from the pack's notes and the analysis, not
 * read from the page: the page only tells which notes it marked.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { analyzeMelody } from '../../src-core/analysis/analyze.ts';
import { readPackArchive } from '../../src-core/lessons/pack-files.ts';
import { validatePack } from '../../src-core/lessons/validate.ts';
import { makeMelody, parseNotes } from '../../src-core/music/melody.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-results/screenshots');
const PORT = 5201;
const BASE = `http://127.0.0.1:${PORT}`;

/** Bridges this file started; any left running (a test that timed out) are killed after it. */
const running = new Set<ChildProcess>();
test.afterEach(async () => {
  for (const child of running) await kill(child);
});

/** A bridge of our own, so the test can kill it like a crash and start it again. */
async function startBridge(userData: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/e2e/host-bridge.ts', String(PORT)], {
    cwd: ROOT,
    env: { ...process.env, CANTUS_USER_DATA: userData },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, failed) => {
    const timer = setTimeout(() => failed(new Error('the bridge did not start')), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Cantus test bridge on')) {
        clearTimeout(timer);
        ready();
      }
    });
    child.once('exit', (code) => failed(new Error(`the bridge exited with ${code}`)));
  });
  running.add(child);
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  running.delete(child);
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });
}

const pack = JSON.parse(readFileSync(join(ROOT, 'lessons/intervals/pack.json'), 'utf8')) as {
  lessons: { title: string; melody: { notes: string; meter: { numerator: number; denominator: number } } }[];
};
const lesson = pack.lessons[0]!;
const analysis = analyzeMelody(
  makeMelody({
    notes: parseNotes(lesson.melody.notes),
    meter: lesson.melody.meter,
    tempo: 96,
    key: { tonic: 'C', mode: 'major' },
  }),
);

/**
 * The motifs pack's first lesson and the motif its question marks: the first melodic one that
 * comes back (as a teacher would pick), worked out here from the pack's notes.
 */
function motifLesson() {
  const motifs = JSON.parse(readFileSync(join(ROOT, 'lessons/motifs/pack.json'), 'utf8')) as {
    lessons: {
      id: string;
      title: string;
      melody: {
        notes: string;
        meter: { numerator: number; denominator: number };
        key?: { tonic: string; mode: 'major' | 'minor' };
      };
    }[];
  };
  const first = motifs.lessons.find((l) => l.id === 'motifs-what-is-a-motif')!;
  const a = analyzeMelody(
    makeMelody({
      notes: parseNotes(first.melody.notes),
      meter: first.melody.meter,
      tempo: 100,
      key: first.melody.key ?? null,
    }),
  );
  const motif = a.motifs.find((m) => m.kind === 'melodic' && m.occurrences.length >= 2)!;
  return { first, analysis: a, motif };
}

/** The notes the question marked "?", from the score's overlay. */
async function markedNotes(page: Page): Promise<number[]> {
  const rects = page.locator('[data-testid=score] svg.marks rect[data-mark="?"]');
  await expect(rects.first()).toBeVisible();
  const notes = await rects.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-note'))));
  return [...new Set(notes)].sort((a, b) => a - b);
}

/** Step, skip or leap between two marked neighbours, from the analysis worked out here. */
function motionBetween([from, to]: number[]): string {
  const iv = analysis.intervals.find((i) => i.from === from && i.to === to);
  if (!iv) throw new Error(`no interval between notes ${from} and ${to}`);
  return iv.motion;
}

test('a student answers wrong then right, finishes, and her progress survives a crash', async ({ page }) => {
  test.setTimeout(120_000);
  const userData = mkdtempSync(join(tmpdir(), 'cantus-lessons-'));
  let bridge = await startBridge(userData);
  try {
    await page.goto(`${BASE}/index.html`);
    await page.getByTestId('lessons').click();
    const panel = page.getByTestId('lessons-panel');
    await panel.getByRole('button', { name: 'Add a student…' }).click();
    await panel.getByLabel("New student's name").fill('Ana');
    await panel.getByTestId('add-student').click();
    await expect(panel.getByTestId('student')).toHaveValue(/.+/);

    await panel.getByTestId('lesson').filter({ hasText: lesson.title }).click();
    await expect(panel.getByTestId('lesson-title')).toHaveText(lesson.title);
    await expect(panel.getByTestId('lesson-intro')).toContainText('interval');
    await expect(page.getByTestId('document-name')).toHaveText(`${lesson.title} (lesson)`);

    // Question 1, wrong first: the feedback says so and the right answer is drawn.
    const question = panel.getByTestId('question');
    await expect(question).toHaveAttribute('data-kind', 'step-skip-leap');
    const marked = await markedNotes(page);
    expect(marked).toHaveLength(2);
    const right = motionBetween(marked);
    const wrong = ['step', 'skip', 'leap'].find((m) => m !== right)!;
    await panel.getByTestId('choice').filter({ hasText: wrong }).click();
    const feedback = panel.getByTestId('feedback');
    await expect(feedback).toHaveAttribute('data-correct', 'false');
    await expect(feedback).toContainText(right);
    const shown = page.locator('[data-testid=score] svg.marks rect[data-mark="✓"]');
    expect(
      await shown.evaluateAll((els) => [...new Set(els.map((e) => Number(e.getAttribute('data-note'))))]),
    ).toEqual(marked);
    await page.screenshot({ path: join(SHOTS, 'lesson-feedback.png') });

    // Retry, right this time, by the keyboard's number keys.
    await panel.getByTestId('retry').click();
    await expect(feedback).toHaveCount(0);
    const choices = await panel.getByTestId('choice').allTextContents();
    const key = choices.findIndex((c) => c.endsWith(` ${right}`)) + 1;
    await page.locator('body').press(String(key));
    await expect(feedback).toHaveAttribute('data-correct', 'true');
    await panel.getByTestId('next').click();

    // The other questions, answered right.
    const total = await panel.getByText(/^Question \d+ of \d+$/).textContent();
    const count = Number(/of (\d+)/.exec(total ?? '')?.[1]);
    for (let q = 2; q <= count; q++) {
      await expect(panel.getByText(`Question ${q} of ${count}`)).toBeVisible();
      const answer = motionBetween(await markedNotes(page));
      await panel.getByTestId('choice').filter({ hasText: answer }).click();
      await expect(feedback).toHaveAttribute('data-correct', 'true');
      await panel.getByTestId('next').click();
    }
    await expect(panel.getByTestId('lesson-done')).toContainText(
      `scored ${Math.round(((count - 1) / count) * 100)}%`,
    );

    // The window says when main has the answers; then a crash of the main process, and a fresh
    // start on the same folder.
    await expect(panel.getByTestId('answers-saved')).toHaveText('Your answers are kept.');
    await kill(bridge);
    bridge = await startBridge(userData);
    await page.reload();
    await page.getByTestId('lessons').click();
    await expect(panel.getByTestId('student').locator('option', { hasText: 'Ana' })).toHaveCount(1);
    await expect(panel.getByTestId('student')).not.toHaveValue('');
    // Progress keeps first answers: one wrong, the others right (the retry after the answer
    // was shown does not count), so not mastered yet. The lesson list shows the whole run's
    // score, the figure the class summary shows below (not the best single answer).
    await expect(panel.getByTestId('lesson').filter({ hasText: lesson.title })).toContainText(
      `1 run: ${Math.round(((count - 1) / count) * 100)}%`,
    );
    await page.screenshot({ path: join(SHOTS, 'lesson-progress.png') });

    // The teacher saves everyone's progress and reads it back as a class summary.
    const csv = join(userData, 'room-4.csv');
    await page.request.post(`${BASE}/__test/dialog`, { data: { save: csv } });
    await panel.getByTestId('export-all').click();
    await expect(panel.getByTestId('progress-message')).toContainText('room-4.csv');
    expect(readFileSync(csv, 'utf8')).toContain('Ana');
    await page.request.post(`${BASE}/__test/dialog`, { data: { csv: [csv] } });
    await panel.getByTestId('class-summary').click();
    const row = panel.getByTestId('class-summary-table').getByRole('row').filter({ hasText: lesson.title });
    // Ana's first answers: one wrong, the rest right: 1 student, nobody struggled.
    await expect(row.getByRole('cell')).toHaveText([
      lesson.title,
      '1',
      `${Math.round(((count - 1) / count) * 100)}%`,
      '—',
    ]);
  } finally {
    await kill(bridge);
  }
});

test('a teacher builds a pack from a generated melody, exports, imports and previews it', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  const userData = mkdtempSync(join(tmpdir(), 'cantus-teacher-'));
  const out = mkdtempSync(join(tmpdir(), 'cantus-pack-'));
  const bridge = await startBridge(userData);
  try {
    await page.goto(`${BASE}/index.html`);
    await page.getByTestId('lessons').click();
    await page.getByTestId('teacher').click();
    const editor = page.getByTestId('pack-editor');
    await editor.getByTestId('new-pack').click();
    await editor.getByTestId('pack-title').fill('Okafor intervals');
    await editor.getByTestId('pack-author').fill('Mr Okafor');
    await editor.getByTestId('lesson-title-input').fill('Steps in a new tune');
    // Ctrl+Z is the editor's one undo, even with the cursor in another field.
    await editor.getByTestId('pack-title').focus();
    await page.keyboard.press('Control+z');
    await expect(editor.getByTestId('lesson-title-input')).toHaveValue('Lesson 1');
    await expect(editor.getByTestId('pack-title')).toHaveValue('Okafor intervals');
    await page.keyboard.press('Control+Shift+z');
    await expect(editor.getByTestId('lesson-title-input')).toHaveValue('Steps in a new tune');

    // Candidates under a constraint, written by the model; keep the second.
    await editor.getByTestId('constraint-ends-on-tonic').check();
    await editor.getByTestId('generate-candidates').click();
    await expect(editor.getByTestId('candidate')).toHaveCount(4, { timeout: 120_000 });
    const chosen = editor.getByTestId('candidate').nth(1);
    const notes = await chosen.locator('[role=option]').count();
    expect(notes).toBeGreaterThan(4);
    await chosen.getByTestId('use-candidate').click();
    await editor.getByTestId('kind-step-skip-leap').check();
    await editor.getByTestId('count-step-skip-leap').fill('3');
    await editor.getByTestId('count-step-skip-leap').press('Tab');
    // A question the melody cannot carry is pointed out before a class meets it.
    await editor.getByTestId('kind-which-repeats-more').check();
    await editor.getByTestId('validate').click();
    await expect(editor.getByTestId('pack-problems')).toContainText(
      'students will not get “Of two variations, which repeats itself more”',
    );
    await editor.getByTestId('kind-which-repeats-more').uncheck();
    await editor.getByTestId('validate').click();
    await expect(editor.getByTestId('editor-message')).toHaveText('The pack is ready to share.');
    await expect(editor.getByTestId('pack-problems')).toHaveCount(0);
    await expect(editor.getByTestId('save-state')).toHaveText('All changes kept.');
    await page.screenshot({ path: join(SHOTS, 'pack-editor.png') });

    // Export: one zip that Cantus's own checks accept, holding the chosen melody.
    const zip = join(out, 'okafor.zip');
    await page.request.post(`${BASE}/__test/dialog`, { data: { save: zip } });
    await editor.getByTestId('export-pack').click();
    await expect(editor.getByTestId('editor-message')).toContainText('okafor.zip');
    expect(existsSync(zip)).toBe(true);
    const read = readPackArchive(new Uint8Array(readFileSync(zip)), 'okafor.zip');
    expect(read.problems).toEqual([]);
    const checked = validatePack(read.files!, 'okafor.zip');
    expect(checked.problems).toEqual([]);
    const exported = checked.pack!;
    expect(exported.title).toBe('Okafor intervals');
    expect(exported.lessons[0]!.melody.source).toBe('fixed');
    expect(exported.lessons[0]!.questions.map((q) => q.id)).toEqual([
      'q-interval-name',
      'q-step-skip-leap',
      'q-step-skip-leap-2',
      'q-step-skip-leap-3',
    ]);
    const kept = exported.lessons[0]!.melody;
    expect(kept.source === 'fixed' && parseNotes(kept.notes!).length).toBe(notes);

    // A hostile pack is refused, with the reason; nothing is added.
    const hostile = join(out, 'hostile.zip');
    writeFileSync(hostile, zipSync({ '../escape.mid': strToU8('x'), 'pack.json': strToU8('{}') }));
    await page.request.post(`${BASE}/__test/dialog`, { data: { pack: hostile } });
    await editor.getByTestId('import-pack').click();
    await expect(editor.getByTestId('editor-message')).toContainText('hostile.zip');
    await expect(editor.getByTestId('editor-message')).toContainText('..');

    // The draft outlives the page.
    await page.reload();
    await page.getByTestId('lessons').click();
    await page.getByTestId('teacher').click();
    await expect(editor.getByTestId('pack-title')).toHaveValue('Okafor intervals');
    await expect(editor.getByTestId('lesson-title-input')).toHaveValue('Steps in a new tune');

    // Import the exported pack as a colleague would; it joins the lessons list.
    await page.request.post(`${BASE}/__test/dialog`, { data: { pack: zip } });
    await editor.getByTestId('import-pack').click();
    await expect(editor.getByTestId('editor-message')).toContainText('Imported “Okafor intervals”');

    // Preview the draft as a student: the chosen melody, nothing saved.
    await editor.getByTestId('preview').click();
    const panel = page.getByTestId('lessons-panel');
    await expect(panel.getByTestId('lesson-title')).toHaveText('Steps in a new tune');
    await expect(panel.getByText('Preview: nothing is saved')).toBeVisible();
    await expect(page.locator('[data-testid=score] [role=option]')).toHaveCount(notes);
    await expect(panel.getByTestId('question')).toBeVisible();

    // And the imported copy works from the list.
    await panel.getByRole('button', { name: 'Close lesson' }).click();
    await panel.getByTestId('lesson').filter({ hasText: 'Steps in a new tune' }).click();
    await expect(panel.getByTestId('question')).toBeVisible();
    await expect(page.locator('[data-testid=score] [role=option]')).toHaveCount(notes);
    expect(problems).toEqual([]);
  } finally {
    await kill(bridge);
  }
});

test('answers on the score: clicking the notes of a motif; by ear, the score stays hidden until the answer', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const userData = mkdtempSync(join(tmpdir(), 'cantus-score-answers-'));
  const bridge = await startBridge(userData);
  try {
    const { first, motif } = motifLesson();
    const others = motif.occurrences.slice(1).flatMap((o) => o.notes);

    await page.goto(`${BASE}/index.html`);
    // The Library lists the packs; choosing one opens the Lessons panel at its first lesson.
    await expect(page.getByTestId('library-pack')).toHaveCount(4);
    await page.getByTestId('library-pack').filter({ hasText: 'Motifs and sequences' }).click();
    const panel = page.getByTestId('lessons-panel');
    await expect(panel.getByTestId('lesson').filter({ hasText: first.title })).toBeFocused();
    // From the keyboard: the list is one Tab stop; arrows move in it; Enter starts a lesson,
    // whose title then has the focus.
    const items = panel.getByTestId('lesson');
    await expect(items.first()).toHaveAttribute('tabindex', '0');
    await expect(items.nth(1)).toHaveAttribute('tabindex', '-1');
    await items.first().focus();
    await page.keyboard.press('End');
    await expect(items.last()).toBeFocused();
    const target = (await items.allTextContents()).findIndex((t) => t.includes(first.title));
    await page.keyboard.press('Home');
    for (let k = 0; k < target; k++) await page.keyboard.press('ArrowDown');
    await expect(items.nth(target)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(panel.getByTestId('lesson-title')).toBeFocused();
    await expect(panel.getByTestId('question')).toHaveAttribute('data-kind', 'find-motif');
    expect(await markedNotes(page)).toEqual(motif.occurrences[0]!.notes);
    // Click the drawn notes where they are, as a student does (the notehead and its hit area
    // overlap, so Playwright's own click would wait for one to stop covering the other).
    for (const note of others) {
      const box = await page.locator(`#main-score-note-${note}`).boundingBox();
      if (!box) throw new Error(`note ${note} is not drawn`);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }
    await expect(page.locator('[data-testid=score] svg.marks rect[data-mark="you"]')).toHaveCount(
      others.length,
    );
    await panel.getByTestId('check').click();
    await expect(panel.getByTestId('feedback')).toHaveAttribute('data-correct', 'true');
    await page.screenshot({ path: join(SHOTS, 'lesson-motif.png') });

    // By ear: no score until the answer; then the two notes are drawn with the answer.
    const byEar = JSON.parse(readFileSync(join(ROOT, 'lessons/intervals/pack.json'), 'utf8')).lessons.find(
      (l: { id: string }) => l.id === 'intervals-by-ear',
    ) as { title: string };
    await panel.getByRole('button', { name: 'Close lesson' }).click();
    await panel.getByTestId('lesson').filter({ hasText: byEar.title }).click();
    await expect(panel.getByTestId('question')).toHaveAttribute('data-kind', 'interval-by-ear');
    await expect(page.getByTestId('score-hidden')).toBeVisible();
    await expect(page.getByTestId('score')).toHaveCount(0);
    await expect(panel.getByTestId('play-marked')).toBeVisible();
    await panel.getByTestId('choice').first().click();
    await expect(panel.getByTestId('feedback')).toBeVisible();
    await expect(page.getByTestId('score')).toBeVisible();
    await expect(page.locator('[data-testid=score] svg.marks rect[data-mark="✓"]')).not.toHaveCount(0);
  } finally {
    await kill(bridge);
  }
});

test('graded picks on the score differ by shape and sign, not colour alone; partly right is not drawn wrong', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const userData = mkdtempSync(join(tmpdir(), 'cantus-picks-'));
  const bridge = await startBridge(userData);
  try {
    const { first, analysis: a, motif } = motifLesson();
    const answer = motif.occurrences.slice(1).flatMap((o) => o.notes);
    const inMotif = new Set(motif.occurrences.flatMap((o) => o.notes));
    // One place where the motif comes back clicked whole (right), the others not (missed), and
    // one note that belongs to no place of the motif (wrong): partly right.
    expect(motif.occurrences.length).toBeGreaterThanOrEqual(3);
    const right = motif.occurrences[1]!.notes;
    const missed = answer.filter((n) => !right.includes(n));
    const stray = a.intervals.map((i) => i.to).find((n) => !inMotif.has(n))!;
    expect(stray).toBeDefined();

    await page.goto(`${BASE}/index.html`);
    await page.getByTestId('lessons').click();
    const panel = page.getByTestId('lessons-panel');
    await panel.getByTestId('lesson').filter({ hasText: first.title }).click();
    await expect(panel.getByTestId('question')).toHaveAttribute('data-kind', 'find-motif');
    for (const note of [...right, stray]) {
      const box = await page.locator(`#main-score-note-${note}`).boundingBox();
      if (!box) throw new Error(`note ${note} is not drawn`);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    }
    await panel.getByTestId('check').click();
    const feedback = panel.getByTestId('feedback');
    await expect(feedback).toHaveAttribute('data-correct', 'false');
    expect(Number(await feedback.getAttribute('data-score'))).toBeGreaterThan(0);

    // Each kind of mark has its own shape, line and sign, and covers exactly its notes.
    const marks = page.locator('[data-testid=score] svg.marks');
    const notesOf = async (selector: string) =>
      [
        ...new Set(
          await marks
            .locator(selector)
            .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-note')))),
        ),
      ].sort((x, y) => x - y);
    const sorted = (xs: readonly number[]) => [...xs].sort((x, y) => x - y);
    expect(await notesOf('rect[data-symbol="✓"]')).toEqual(sorted(right));
    expect(await notesOf('rect[data-symbol="✗"]')).toEqual([stray]);
    expect(await notesOf('ellipse[data-symbol="○"]')).toEqual(sorted(missed));
    const look = (selector: string) =>
      marks
        .locator(selector)
        .first()
        .evaluate((e) => ({ dashes: e.getAttribute('stroke-dasharray'), fill: e.getAttribute('fill') }));
    const [rightLook, wrongLook, missedLook] = [
      await look('rect[data-symbol="✓"]'),
      await look('rect[data-symbol="✗"]'),
      await look('ellipse[data-symbol="○"]'),
    ];
    expect(rightLook.dashes).toBe('none');
    expect(wrongLook.dashes).not.toBe('none');
    expect(wrongLook.fill).toMatch(/^url\(#.+hatch/);
    expect(missedLook.dashes).not.toBe('none');
    expect(missedLook.dashes).not.toBe(wrongLook.dashes);
    // The signs are written on the score, one under each note.
    await expect(marks.locator('text.symbol', { hasText: '✓' })).toHaveCount(right.length);
    await expect(marks.locator('text.symbol', { hasText: '✗' })).toHaveCount(1);
    await expect(marks.locator('text.symbol', { hasText: '○' })).toHaveCount(missed.length);

    // The legend says the same in words, for a screen reader and for anyone unsure of colours.
    const legend = panel.getByRole('list', { name: 'On the score' });
    await expect(legend.locator('li[data-pick=right]')).toContainText(`✓ Right: ${right.length} note`);
    await expect(legend.locator('li[data-pick=wrong]')).toContainText('✗ Not in the answer: 1 note');
    await expect(legend.locator('li[data-pick=missed]')).toContainText(`○ Missed: ${missed.length} note`);
    await expect(feedback).toContainText('Partly right.');
    await page.screenshot({ path: join(SHOTS, 'lesson-picks-graded.png') });
  } finally {
    await kill(bridge);
  }
});
