import { Worker } from 'node:worker_threads';

/** One difference openapi-diff found: its code (`method.remove`, `request.body.scope.add`, …) and where. */
export interface ToolDifference {
  code: string;
  location: string;
}

/** openapi-diff's verdict on a pair of documents, or why there is none. */
export type ToolVerdict =
  | { kind: 'verdict'; breaking: ToolDifference[]; nonBreaking: ToolDifference[] }
  | { kind: 'timeout' }
  | { kind: 'error'; message: string };

type WorkerAnswer = { breaking: ToolDifference[]; nonBreaking: ToolDifference[] } | { error: string };

/** openapi-diff on two OpenAPI 3 documents, given up after `ms` milliseconds. */
export function openApiDiff(source: unknown, destination: unknown, ms: number): Promise<ToolVerdict> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./openapi-diff-worker.mjs', import.meta.url), {
      workerData: { source: JSON.stringify(source), destination: JSON.stringify(destination) },
    });
    const finish = (verdict: ToolVerdict) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(verdict);
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
    }, ms);
    worker.on('message', (answer: WorkerAnswer) => {
      finish('error' in answer ? { kind: 'error', message: answer.error } : { kind: 'verdict', ...answer });
    });
    worker.on('error', (error) => {
      finish({ kind: 'error', message: error.message });
    });
  });
}
