import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** What the command has done so far, as the display shows it. */
export interface ProgressState {
  /** Objects the server has acknowledged (202), whatever their outcome. */
  sent: number;
  /** Objects in the input, when a first pass counted them; the ETA needs it. */
  total?: number;
  success: number;
  failure: number;
  pending: number;
}

export interface ProgressDisplay {
  update(state: ProgressState): void;
  /** A line for the person watching (a retry, a warning), printed without breaking the bar. */
  note(line: string): void;
  stop(): void;
}

export type ProgressMode = 'bar' | 'lines' | 'none';

function perSecond(count: number, since: number): number {
  const seconds = (Date.now() - since) / 1000;
  return seconds > 0 ? count / seconds : 0;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** One plain line, for logs and CI: nothing there can redraw a bar. */
export function progressLine(state: ProgressState, rate: number): string {
  const counts = `${state.success} succeeded, ${state.failure} failed, ${state.pending} pending`;
  if (state.total === undefined) return `publish: ${state.sent} objects sent, ${Math.round(rate)} objects/s; ${counts}`;
  const percent = state.total > 0 ? Math.floor((100 * state.sent) / state.total) : 100;
  const eta = rate > 0 ? `, ETA ${duration((state.total - state.sent) / rate)}` : '';
  return `publish: ${state.sent}/${state.total} objects sent (${percent}%), ${Math.round(rate)} objects/s${eta}; ${counts}`;
}

class BarDisplay implements ProgressDisplay {
  private readonly multi: MultiBar;
  private readonly bar: SingleBar;
  private readonly started = Date.now();

  constructor(stream: NodeJS.WriteStream, total: number | undefined) {
    const counts = '{success} ok, {failure} failed, {pending} pending';
    const format = total === undefined
      ? `publishing | {value} objects | {rate} objects/s | {duration_formatted} | ${counts}`
      : `publishing [{bar}] {percentage}% | {value}/{total} objects | {rate} objects/s | ETA {eta_formatted} | ${counts}`;
    this.multi = new MultiBar({ stream, format, hideCursor: true, etaBuffer: 50, fps: 5, clearOnComplete: false }, Presets.shades_classic);
    this.bar = this.multi.create(total ?? 0, 0, { rate: 0, success: 0, failure: 0, pending: 0 });
  }

  update(state: ProgressState): void {
    this.bar.update(state.sent, { rate: Math.round(perSecond(state.sent, this.started)), success: state.success, failure: state.failure, pending: state.pending });
  }

  note(line: string): void {
    this.multi.log(`${line}\n`);
  }

  stop(): void {
    this.multi.stop();
  }
}

class LineDisplay implements ProgressDisplay {
  private readonly started = Date.now();
  private last: ProgressState = { sent: 0, success: 0, failure: 0, pending: 0 };
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly stream: NodeJS.WritableStream, intervalMs: number) {
    this.timer = setInterval(() => this.print(), intervalMs);
    // The display must never be what keeps the process alive.
    this.timer.unref();
  }

  update(state: ProgressState): void {
    this.last = state;
  }

  note(line: string): void {
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    this.print();
  }

  private print(): void {
    this.stream.write(`${progressLine(this.last, perSecond(this.last.sent, this.started))}\n`);
  }
}

class SilentDisplay implements ProgressDisplay {
  constructor(private readonly stream: NodeJS.WritableStream) {}
  update(): void {}
  note(line: string): void {
    this.stream.write(`${line}\n`);
  }
  stop(): void {}
}

/** A bar on a terminal, plain periodic lines otherwise (a log file, a CI job, a test), or notes only. */
export function createProgress(mode: ProgressMode, stream: NodeJS.WriteStream, total: number | undefined, intervalMs: number): ProgressDisplay {
  if (mode === 'bar') return new BarDisplay(stream, total);
  if (mode === 'lines') return new LineDisplay(stream, intervalMs);
  return new SilentDisplay(stream);
}
