import { isForced, type VersionDiff, type VersionDiffInput } from '@connect/contracts';
import { readVersionPair } from '@connect/db';
import { diffVersions } from '@connect/version-diff';
import { notFound } from '../api-error.js';
import type { OperationContext } from '../context.js';

/**
 * The changes from version `from` to version `to` (names or aliases) of one connector: both read in
 * one statement, compared in the Worker. `breakingOnly` keeps only the breaking changes (the
 * verdict and the suggested bump still count every change).
 */
export async function diffConnectorVersions(
  ctx: OperationContext,
  input: VersionDiffInput & { breakingOnly?: boolean | undefined },
): Promise<VersionDiff> {
  const pair = await readVersionPair(ctx.db, { organisationId: ctx.organisationId, ...input });
  if (!pair.ok) {
    if (pair.reason === 'connector_not_found') throw notFound('connector');
    throw notFound(`connector version "${pair.reason === 'from_not_found' ? input.from : input.to}"`);
  }
  const diff = diffVersions(pair.value.from, pair.value.to);
  return input.breakingOnly ? { ...diff, changes: diff.changes.filter((c) => c.breaking) } : diff;
}

/** The `breaking` query parameter of the diff route: `true` or `false` in any case, `1` or `0`. */
export const breakingOnlyOf = (value: string | undefined): boolean => isForced(value);
