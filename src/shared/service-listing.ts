/**
 * The account's services, listed through whichever API the sign-in uses: only the options page imports it, so
 * the worker never loads the listing calls or the catalog import.
 */
import { listServices as v27ListServices } from './api';
import { answerValue, type ApiAccess } from './backend';
import { groupAccountServices, importListedDevices, type ImportedDevice } from './catalog';
import { listServices as graphqlListServices } from './graphql/client';

export async function listAccountServices(access: ApiAccess): Promise<ImportedDevice[]> {
  if (access.api === 'v27') return groupAccountServices(await v27ListServices(access.config, access.token));
  const listing = answerValue(await graphqlListServices(access.config), access.onWarning);
  return importListedDevices(listing.devices);
}
