/**
 * `cantus likelihood FILE.mid... [--model DIR|URL] [--json]`: how expected each melody is to
 * the model: the mean natural-log probability per 16th-note step of its events, after moving it
 * into the model's key and range as for generation. --json prints
 * [{ file, meanLogLikelihood, steps }] (or { file, error } for a file that cannot be used).
 */
import { parseArgs } from 'node:util';
import { melodyLogLikelihood } from '../../src-core/model/generate.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { readMelodyFile } from '../files.ts';

export const likelihoodCommand: Command = {
  name: 'likelihood',
  summary: 'How expected each melody is to the model (mean log-likelihood per step)',
  help: [
    'Usage: cantus likelihood FILE.mid... [--model DIR|URL] [--json]',
    '',
    'Prints, for each file, the mean natural-log likelihood per 16th-note step of its melody',
    'under the model, and the number of steps scored. Higher (nearer 0) means more expected.',
  ].join('\n'),
  async run(args, out) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: { model: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (positionals.length === 0) throw new UsageError('give at least one MIDI file');
    // tfjs loads only when a melody is to be scored (see generate.ts).
    const { loadStepModel } = await import('../../src-engine/node-model.ts');
    const model = await loadStepModel(values.model);
    if (!model.ok) {
      out.stderr(`cantus: ${model.error.message}\n`);
      return EXIT.failed;
    }
    const rows: (
      { file: string; meanLogLikelihood: number; steps: number } | { file: string; error: string }
    )[] = [];
    try {
      for (const file of positionals) {
        const melody = await readMelodyFile(file);
        if (!melody.ok) {
          rows.push({ file, error: melody.error.message });
          continue;
        }
        const score = await melodyLogLikelihood(model.value, melody.value);
        rows.push(
          score.ok
            ? { file, meanLogLikelihood: score.value.meanLogLikelihood, steps: score.value.steps }
            : { file, error: `cannot score ${file}: ${score.error.message}` },
        );
      }
    } finally {
      model.value.dispose();
    }
    // Scores on standard output (all of them as JSON with --json); each failure as one line on standard error.
    if (values.json) out.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    for (const r of rows) {
      if ('error' in r) out.stderr(`cantus: ${r.error}\n`);
      else if (!values.json)
        out.stdout(`${r.file}: ${r.meanLogLikelihood.toFixed(4)} nats per step over ${r.steps} steps\n`);
    }
    return rows.some((r) => 'error' in r) ? EXIT.failed : EXIT.ok;
  },
};
