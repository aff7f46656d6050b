/** The ETag of a row as a list delivered it: the services build it from id and version (registry_kit.etag). */
export const etagOf = (row: { id: string; version: number }) => `"${row.id}.${row.version}"`;
