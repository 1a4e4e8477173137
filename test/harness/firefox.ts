/** Moved to the shipped runtime code (check --confirm uses it too); re-exported for the test suite. */
export * from '../../src/confirm/engines/firefox.ts';
