/**
 * tfjs on its WebAssembly backend in Node: the one file that sets the engine up for training
 * and the command line. The .wasm binaries ship inside @tensorflow/tfjs-backend-wasm's dist folder.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready: Promise<typeof tf> | null = null;

/** tfjs with the wasm backend active; throws if wasm cannot start (no silent fallback to cpu). */
export function wasmTf(): Promise<typeof tf> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(`${join(dist, 'dist')}/`);
    const ok = await tf.setBackend('wasm');
    if (!ok || tf.getBackend() !== 'wasm') {
      throw new Error('The tfjs wasm backend did not start (tf.setBackend("wasm") returned false).');
    }
    await tf.ready();
    return tf;
  })();
  return ready;
}

export type Tf = typeof tf;
export type Tensor = tf.Tensor;
export type Tensor2D = tf.Tensor2D;
export type Tensor1D = tf.Tensor1D;
export type TensorContainer = tf.TensorContainer;
