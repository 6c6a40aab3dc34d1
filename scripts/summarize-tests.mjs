// Adds up vitest's JSON reports (argv[3..], default vitest.json) and pytest's JUnit XML files in a folder; names each failed test, then prints "N passed, N failed, N skipped".
// Exits 1 when a report is missing or any test failed, so a crashed runner is never read as green.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { escapeText } from '../dist/core/escape-text.js';

const dir = process.argv[2] ?? '.test-results';
// The vitest reports that must be there (more than one when suites ran in parallel processes).
const expected = process.argv.length > 3 ? process.argv.slice(3) : ['vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
// Each failed test as "file > name: first line of the message", printed above the closing line so a log's tail names them.
const failures = [];
// Test names and messages come from code under test: printed through greenrt's one escaping rule (built by `make test`).
const clean = (text) => escapeText(String(text ?? ''), 500);
const firstLine = (text) =>
  escapeText(
    String(text ?? '')
      .split('\n')
      .find((l) => l.trim() !== '') ?? '',
    300,
  );
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
  for (const suite of report.testResults) {
    const file = suite.name.replace(`${process.cwd()}/`, '');
    if (suite.status === 'failed' && suite.assertionResults.length === 0) {
      failed += 1;
      failures.push(`${clean(file)}: did not load: ${firstLine(suite.message)}`);
    }
    for (const test of suite.assertionResults) {
      if (test.status === 'failed') failures.push(`${clean(file)} > ${clean(test.fullName)}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
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
  for (const m of xml.matchAll(/<testcase\b([^>]*)>\s*<(?:failure|error)\b([^>]*)>/g)) {
    const attr = (tag, name) => (tag.match(new RegExp(`\\b${name}="([^"]*)"`)) ?? [])[1] ?? '';
    failures.push(`${clean(attr(m[1], 'classname'))} > ${clean(attr(m[1], 'name'))}: ${firstLine(attr(m[2], 'message'))}`);
  }
}
if (failures.length > 0) {
  console.log(`failed (${failures.length}):`);
  for (const line of failures) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
