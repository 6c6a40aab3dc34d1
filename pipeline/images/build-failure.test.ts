/**
 * classifyBuildFailure on build output in the words pip, apt and Docker print (lines written for this test in the
 * tools' formats, not recorded from a build; images.docker.test.ts runs a real failing build).
 */
import { describe, expect, it } from 'vitest';
import { classifyBuildFailure } from './build-failure.js';

const run = "The command '/bin/sh -c apt-get update && pip install -r /tmp/req.lock' returned a non-zero code: 100";

describe('classifyBuildFailure: one line with the cause', () => {
  it.each([
    [
      "WARNING: Retrying (Retry(total=4)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)'))': /simple/numpy/",
      /^pip or apt could not verify the package index's certificate: behind a TLS-intercepting proxy\? Set GREENRT_CA_BUNDLE/,
    ],
    [
      "Err:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'",
      /^apt could not reach the Debian mirror deb\.debian\.org: /,
    ],
    ['OSError: [Errno 28] No space left on device', /^the disk is full \(No space left on device\)/],
    [
      'ERROR: No matching distribution found for onnxruntime-gpu==1.26.0',
      /^pip found no wheel of onnxruntime-gpu==1\.26\.0 for this image's Python and architecture/,
    ],
    ['ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.', /^a downloaded package does not match the SHA-256 its lock file records/],
    [
      "WARNING: Retrying after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection>: Failed to establish a new connection: [Errno 111] Connection refused')'",
      /^pip could not reach the package index/,
    ],
  ])('%s', (output, cause) => {
    const line = classifyBuildFailure(run, ['Step 3/9 : RUN apt-get update && pip install -r /tmp/req.lock', ...output.split('\n'), 'done']);
    expect(line).toMatch(cause);
    expect(line).not.toContain('\n');
  });

  it('else the last line that reads as an error, else the daemon message, on one line', () => {
    expect(classifyBuildFailure(run, ['Step 3/9 : RUN make', 'cc: fatal error: no input files', 'compilation terminated.'])).toBe(
      'cc: fatal error: no input files',
    );
    expect(classifyBuildFailure('exit 7\nmore', ['nothing useful'])).toBe('exit 7 more');
  });
});
