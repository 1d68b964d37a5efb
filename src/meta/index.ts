/** Public API of the Meta Graph layer: client, SDK wiring, Meta objects (fields, schemas, parsers), usage, errors, money, token crypto. */
export * from './meta-client';
export * from './graph-api';
export * from './usage-headers';
export * from './error-classification';
export * from './redaction';
export * from './money';
export * from './wire-values';
export * from './objects';
export * from './field-budget';
export * from './filtering';
export * from './token-crypto';
export * from './object-writes';
