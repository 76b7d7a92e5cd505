/** Cancellation helpers shared by the providers. */
import { BlueError } from '../core/index.ts';

/** The error every provider throws for an aborted call: `BlueError('E_CANCELLED')`. */
export function cancelledError(): BlueError {
  return new BlueError('E_CANCELLED', 'the call was cancelled');
}

/** Abortable `setTimeout` in ms. Rejects with {@link cancelledError} when `signal` aborts. */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
