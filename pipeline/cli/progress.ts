/**
 * Progress for long work: on a terminal one status line redrawn in place (with elapsed time and
 * an estimate of what is left); otherwise plain lines, one per event, so CI logs stay readable.
 */
import { escapeLines, escapeText, type Progress } from '../core/index.js';

export { type Progress, silentProgress } from '../core/index.js';

/** Narrowest terminal width (columns) the status line is cut to; below it the width is not believed. */
const minColumns = 20;

/**
 * `isTty`: redraw in place with escape sequences; off when the stream is not a terminal or TERM is
 * "dumb" (a terminal that does not understand them). Messages may carry text from files (trial
 * reasons): they are escaped (`escapeLines`). The status line is cut to the terminal's width when
 * the terminal reports a usable one (some report 0 columns: then the line is not cut).
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, isTty = Boolean(stream.isTTY) && process.env.TERM !== 'dumb'): Progress {
  const startedMs = Date.now();
  let lastStatus = '';
  const clear = () => {
    if (isTty && lastStatus) stream.write('\r\x1b[2K');
  };
  const fitWidth = (line: string) => {
    const columns = stream.columns;
    return typeof columns === 'number' && columns >= minColumns ? line.slice(0, columns - 1) : line;
  };
  const redraw = () => {
    if (isTty && lastStatus) stream.write(`\r\x1b[2K${fitWidth(lastStatus)}`);
  };
  return {
    info(message) {
      clear();
      stream.write(`${escapeLines(message)}\n`);
      redraw();
    },
    status(message) {
      lastStatus = escapeText(message, 1000);
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
