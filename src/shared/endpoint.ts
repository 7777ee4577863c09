/**
 * The host remote.it's own current code uses for v27; api.remot3.it is its older name and still accepted. Its
 * own module, so the settings' default does not pull the API client into pages that never call it.
 */
export const DEFAULT_ENDPOINT = 'https://api.remote.it/apv/v27';
