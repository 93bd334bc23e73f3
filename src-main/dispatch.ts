/**
 * The border: every call from a window passes through `dispatch`, which checks the channel
 * and the arguments against the contract and never lets an exception's text escape.
 */
import { contract, parseArgs } from '../src-core/ipc/contract.ts';
import { INVOKE_CHANNELS, type InvokeChannel } from '../src-core/ipc/channels.ts';
import type { Handlers } from './host-handlers.ts';

export class RejectedCall extends Error {
  override name = 'RejectedCall';
}

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

/**
 * Runs one call. Bad channels and bad arguments throw RejectedCall (a programming error or a
 * hostile page, never a user's mistake); a handler's own failure is logged and answered with a
 * plain message. The result is checked against the contract too, so main cannot leak extra data.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  args: unknown,
  log: (message: string, err: unknown) => void = () => undefined,
): Promise<unknown> {
  if (!isInvokeChannel(channel)) throw new RejectedCall(`Unknown channel ${String(channel).slice(0, 60)}`);
  const parsed = parseArgs(channel, args);
  if (!parsed.ok) throw new RejectedCall(parsed.message);
  let reply: unknown;
  try {
    const handler = handlers[channel] as (...a: unknown[]) => Promise<unknown>;
    reply = await handler(...(parsed.args as unknown[]));
  } catch (err) {
    log(`Handler for ${channel} failed`, err);
    return {
      ok: false,
      error: {
        code: 'host/failed',
        message: 'Something went wrong in Cantus. Try again; if it keeps happening, restart Cantus.',
      },
    };
  }
  const checked = contract[channel].result.safeParse(reply);
  if (!checked.success) {
    log(`Reply for ${channel} does not match the contract`, checked.error);
    throw new RejectedCall(`Reply for ${channel} does not match the contract`);
  }
  return checked.data;
}
