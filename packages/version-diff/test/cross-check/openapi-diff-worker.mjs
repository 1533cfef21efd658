// Runs Atlassian's openapi-diff on two OpenAPI 3 documents in a worker thread, so that the caller
// can give up on a pair that takes too long (its schema diff can run for minutes on large schemas).
import { parentPort, workerData } from 'node:worker_threads';
import openapiDiff from 'openapi-diff';

const where = (difference) =>
  (difference.sourceSpecEntityDetails[0] ?? difference.destinationSpecEntityDetails[0] ?? {}).location ?? '';

const spec = (content, location) => ({ content, location, format: 'openapi3' });

openapiDiff
  .diffSpecs({
    sourceSpec: spec(workerData.source, 'source'),
    destinationSpec: spec(workerData.destination, 'destination'),
  })
  .then((outcome) =>
    parentPort.postMessage({
      breaking: (outcome.breakingDifferencesFound ? outcome.breakingDifferences : []).map((d) => ({
        code: d.code,
        location: where(d),
      })),
      nonBreaking: outcome.nonBreakingDifferences.map((d) => ({ code: d.code, location: where(d) })),
    }),
  )
  .catch((error) => parentPort.postMessage({ error: String(error?.message ?? error) }));
