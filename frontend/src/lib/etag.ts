/** The ETag of a row as a list delivered it: the services build it from id and version (registry_kit.etag). */
export const etagOf = (row: { id: string; version: number }) => `"${row.id}.${row.version}"`;

/** The If-Match header a PATCH or DELETE of that row sends: a 412 comes back when someone changed it since. */
export const ifMatch = (row: { id: string; version: number }) => ({ "if-match": etagOf(row) });
