/**
 * Response bodies read with a running count, so that a body without end (or with a false
 * Content-Length) costs at most its limit: the registry transport and the forges' client read
 * every body through here.
 */

/** A body read up to a limit: its bytes, and whether that was all of it. */
export interface BoundedBody {
  /** The bytes read: the whole body, or its first bytes up to the limit. */
  bytes: Uint8Array;
  /** False when the body was longer than the limit; the rest was not read (the stream is cancelled). */
  complete: boolean;
}

/**
 * Read a response body, at most `maxBytes` of it. A declared Content-Length above the limit stops
 * before the first byte; a streamed body stops as soon as the count passes the limit. An abort of
 * `signal` (a timeout) stops the read with the signal's reason, whatever the fetch did with it.
 */
export async function readBoundedBody(
  response: Response,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<BoundedBody> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (!response.body) return { bytes: new Uint8Array(), complete: true };
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => {});
    return { bytes: new Uint8Array(), complete: false };
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const aborted = signal
    ? new Promise<never>((_, reject) => {
        const stop = () => reject(signal.reason as Error);
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      })
    : undefined;
  aborted?.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await (aborted
        ? Promise.race([reader.read(), aborted])
        : reader.read());
      if (done) break;
      if (total + value.length > maxBytes) {
        chunks.push(value.subarray(0, maxBytes - total));
        total = maxBytes;
        await reader.cancel().catch(() => {});
        return { bytes: concat(chunks, total), complete: false };
      }
      chunks.push(value);
      total += value.length;
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
  return { bytes: concat(chunks, total), complete: true };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === total) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Format a limit in bytes as people write it: `4 MiB`, `64 KiB`, `512 B`. */
export function formatLimit(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} B`;
}
