/**
 * The registry proxy in a worker thread, so that a benchmark's proxy does not share an event loop
 * with the sync it measures. Start it with {@link startProxyWorker}; counters come back by message.
 */
import { isMainThread, parentPort, workerData, Worker } from 'node:worker_threads';
import { startProxy, type ProxyOptions, type SeenRequest } from './registry-proxy.ts';

/** A proxy running in a worker thread. */
export interface ProxyWorker {
  url: string;
  host: string;
  reset(): Promise<void>;
  stats(): Promise<{ requests: SeenRequest[]; issuedTokens: number }>;
  stop(): Promise<void>;
}

type Message =
  | { type: 'ready'; url: string; host: string }
  | { type: 'stats'; requests: SeenRequest[]; issuedTokens: number }
  | { type: 'done' };

/** Start the proxy in a worker thread. */
export async function startProxyWorker(
  upstream: string,
  options: ProxyOptions,
): Promise<ProxyWorker> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { upstream, options } });
  const next = () => new Promise<Message>((resolve) => worker.once('message', resolve));
  const ready = (await next()) as Extract<Message, { type: 'ready' }>;
  return {
    url: ready.url,
    host: ready.host,
    async reset() {
      const answer = next();
      worker.postMessage('reset');
      await answer;
    },
    async stats() {
      const answer = next();
      worker.postMessage('stats');
      const message = (await answer) as Extract<Message, { type: 'stats' }>;
      return { requests: message.requests, issuedTokens: message.issuedTokens };
    },
    async stop() {
      const answer = next();
      worker.postMessage('stop');
      await answer;
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const { upstream, options } = workerData as { upstream: string; options: ProxyOptions };
  const proxy = await startProxy(upstream, options);
  port.on('message', (message: string) => {
    if (message === 'reset') {
      proxy.reset();
      port.postMessage({ type: 'done' });
    } else if (message === 'stats') {
      port.postMessage({
        type: 'stats',
        requests: proxy.requests,
        issuedTokens: proxy.issuedTokens.length,
      });
    } else if (message === 'stop') {
      void proxy.stop().then(() => port.postMessage({ type: 'done' }));
    }
  });
  port.postMessage({ type: 'ready', url: proxy.url, host: proxy.host });
}
