/**
 * Progress for long work: on a terminal one status line redrawn in place (with elapsed time and
 * an estimate of what is left); otherwise plain lines, one per event, so CI logs stay readable.
 */
export interface Progress {
  /** A line that stays (an event worth keeping in the log). */
  info(message: string): void;
  /** The transient status (trial n of N, current step). */
  status(message: string): void;
  /** Trial-level progress: done of total, with an ETA from the mean trial time so far. */
  step(done: number, total: number, label: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, isTty = Boolean(stream.isTTY)): Progress {
  const startedMs = Date.now();
  let lastStatus = '';
  const clear = () => {
    if (isTty && lastStatus) stream.write('\r\x1b[2K');
  };
  const redraw = () => {
    if (isTty && lastStatus) stream.write(`\r\x1b[2K${lastStatus.slice(0, (stream.columns ?? 120) - 1)}`);
  };
  return {
    info(message) {
      clear();
      stream.write(`${message}\n`);
      redraw();
    },
    status(message) {
      lastStatus = message;
      if (isTty) redraw();
      else stream.write(`${message}\n`);
    },
    step(done, total, label) {
      const elapsedS = (Date.now() - startedMs) / 1000;
      const etaS = done > 0 ? (elapsedS / done) * (total - done) : NaN;
      const eta = Number.isFinite(etaS) ? `, ~${formatDuration(etaS)} left` : '';
      this.status(`[${done}/${total}] ${label} (${formatDuration(elapsedS)} elapsed${eta})`);
    },
    done() {
      clear();
      lastStatus = '';
    },
  };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export const silentProgress: Progress = { info: () => {}, status: () => {}, step: () => {}, done: () => {} };
