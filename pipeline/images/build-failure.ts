/**
 * A failed image build in one line: the cause classified from the build's output (pip's certificate check, an
 * unreachable mirror, a full disk, a missing wheel, a hash mismatch), else the last line that reads as an error.
 * The whole output goes to a log file of the run folder; this line is what the report and the trials carry.
 */

/** Known causes, first match wins; `fix` says what to do. Patterns are the tools' own words. */
const causes: { pattern: RegExp; cause: (m: RegExpMatchArray) => string }[] = [
  {
    pattern: /CERTIFICATE_VERIFY_FAILED|SSLCertVerificationError|certificate verify failed|SSL: CERTIFICATE|server certificate verification failed/i,
    cause: () =>
      "pip or apt could not verify the package index's certificate: behind a TLS-intercepting proxy? Set GREENRT_CA_BUNDLE to the proxy's CA bundle (a PEM file) and build again",
  },
  {
    pattern: /No space left on device/i,
    cause: () => 'the disk is full (No space left on device): free space for Docker (docker system df; docker image prune) and build again',
  },
  {
    pattern: /THESE PACKAGES DO NOT MATCH THE HASHES/,
    cause: () =>
      'a downloaded package does not match the SHA-256 its lock file records (pip --require-hashes): a mirror served other bytes, or the lock is stale',
  },
  {
    pattern: /No matching distribution found for (\S+)/,
    cause: (m) =>
      `pip found no wheel of ${m[1]} for this image's Python and architecture (No matching distribution found): pin a version that has one, or build on a host of the architecture it has wheels for`,
  },
  {
    pattern: /(?:Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect to|Could not connect to) '?([\w.-]+\.[a-z]{2,})/,
    cause: (m) =>
      `apt could not reach the Debian mirror ${m[1]}: check the network or proxy (or build offline from vendored inputs: greenrt images vendor, then greenrt images build --from)`,
  },
  {
    pattern: /(?:NewConnectionError|Failed to establish a new connection|Max retries exceeded with url|ProxyError)/,
    cause: () => 'pip could not reach the package index (a connection error): check the network or proxy (or build offline from vendored inputs)',
  },
];

/** The one-line cause of a failed build, from the daemon's error and the build's output lines. */
export function classifyBuildFailure(detail: string, lines: readonly string[]): string {
  const text = [...lines, detail].join('\n');
  for (const c of causes) {
    const m = text.match(c.pattern);
    if (m) return c.cause(m);
  }
  const errorLine = [...lines]
    .reverse()
    .map((l) => l.trim())
    .find((l) => /\b(error|failed|fatal)\b|^E: /i.test(l) && !/^(Removing intermediate container|---> )/.test(l));
  return oneLine(errorLine ?? detail);
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
