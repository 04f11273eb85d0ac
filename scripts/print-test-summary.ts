// Prints vitest's JSON report as the plain closing line CI reads ("vitest: N passed, N failed, N skipped"):
// vitest's own summary is not one of the closing lines the CI harness recognises.
import { readFileSync } from 'node:fs';

const [reportPath] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: npx tsx scripts/print-test-summary.ts <vitest-json-report>');
  process.exit(2);
}
interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests?: number;
  numTodoTests?: number;
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as VitestJsonReport;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`vitest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
