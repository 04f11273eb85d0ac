export * from './documents.js';
export { connectMongo, DatabaseUnavailableError } from './mongo.js';
export {
  MIGRATIONS,
  runMigrations,
  type Migration,
  type MigrationRunOptions,
  type MigrationRunResult,
} from './migrations.js';
export { ClaimStore, type Claim, type ClaimDoc } from './claims.js';
