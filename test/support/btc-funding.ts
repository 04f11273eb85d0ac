// Moved to scripts/sandbox/ so the Tatum sandbox and the demo can use it; re-exported for the tests.
export * from '../../scripts/sandbox/btc-funding.js';
