import { isSettled, parseStatus, type StatusResource } from '../../server/taxii/status-reader';
import type { TaxiiConnection } from './taxii-http';

export interface StatusWait {
  /**
   * Give up waiting at this instant (epoch ms); what is still pending is reported as pending. Asked
   * each time, because it is only set once the whole input has been sent.
   */
  deadline: () => number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Each poll's answer, so the progress display can move while a server works through a queue. */
  onUpdate?: (status: StatusResource) => void;
  /** Stop waiting early (the user pressed Ctrl-C). */
  stopped?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Polls the status resource until no object is pending (§4.3: a server may answer 202 before it has
 * processed the envelope), backing off from `firstDelayMs` to `maxDelayMs` so that a long queue on
 * the server costs it few requests.
 */
export async function waitForStatus(connection: TaxiiConnection, statusUrl: URL, initial: StatusResource, wait: StatusWait): Promise<StatusResource> {
  const sleep = wait.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  let status = initial;
  let delay = wait.firstDelayMs;
  while (!isSettled(status) && Date.now() + delay <= wait.deadline() && !(wait.stopped?.() ?? false)) {
    await sleep(delay);
    delay = Math.min(wait.maxDelayMs, Math.round(delay * 1.5));
    status = parseStatus(await connection.getJson(statusUrl, `status ${initial.id}`), `status ${initial.id}`);
    wait.onUpdate?.(status);
  }
  return status;
}
