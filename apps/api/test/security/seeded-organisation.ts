import { organisation, rows } from '../helpers';
import { seedChildren, versionId } from '../seed-children';

/**
 * An organisation holding something every route case can name: connector `c`, its version `1`
 * with every kind of child, and the id `k` of its API key.
 */
export async function seededOrganisation() {
  const org = await organisation();
  const c = await org.connector();
  await org.createVersion(c, { name: '1' });
  await seedChildren(await versionId(c, '1'));
  const [key] = await rows<{ id: string }>('SELECT id FROM api_keys WHERE organisation_id = $1', [org.organisationId]);
  return { ...org, c, k: key?.id ?? '' };
}
