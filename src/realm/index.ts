/** The realm engine: documents (RFC/ADR lifecycle, ARCHITECTURE §9) and realm (contracts, bindings, check, sync, §10). */
export * from './documents/index.ts';
export * from './realm/index.ts';
