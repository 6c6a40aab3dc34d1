// Adds up vitest's JSON reports (argv[3..], default vitest.json) and pytest's JUnit XML files in a folder; prints "N passed, N failed, N skipped".
// Exits 1 when a report is missing or any test failed, so a crashed runner is never read as green.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.test-results';
// The vitest reports that must be there (more than one when suites ran in parallel processes).
const expected = process.argv.length > 3 ? process.argv.slice(3) : ['vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
const files = readdirSync(dir);
for (const name of expected) {
  if (!files.includes(name)) {
    console.error(`${dir}/${name} is missing: vitest did not finish.`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load (syntax error, import error) has no tests but must count as a failure.
  failed += report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
}
const xmls = files.filter((f) => f.endsWith('.xml'));
if (xmls.length === 0) {
  console.error(`no pytest report in ${dir}: pytest did not finish.`);
  failed += 1;
}
for (const f of xmls) {
  const xml = readFileSync(join(dir, f), 'utf8');
  for (const m of xml.matchAll(/<testsuite\b[^>]*>/g)) {
    const attr = (name) => Number((m[0].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [])[1] ?? 0);
    const total = attr('tests');
    const bad = attr('failures') + attr('errors');
    const skip = attr('skipped');
    failed += bad;
    skipped += skip;
    passed += total - bad - skip;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
