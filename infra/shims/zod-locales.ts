// Bundle-time stand-in for zod's locales index (infra/bundling.ts zodEnglishOnly): English only, the
// locale zod registers by default and the only one kms-signer uses (no `z.config(z.locales.…)` anywhere).
export { default as en } from 'zod/v4/locales/en.js';
