import type { Principal } from './principal';

/** Why a request was refused: for the log and the audit trail only; the client always sees the same 401. */
export interface AuthenticationFailure {
  username?: string;
  /** The client address, as Express sees it (`req.ip`, which follows the `trust proxy` setting). */
  ip?: string;
  reason: string;
  /** The credential presented when it is not a username's password: a client certificate's SHA-256 fingerprint. */
  certificate?: string;
  /**
   * Refused without checking the password: the username or address is locked, or too many checks
   * wait already. The lock itself is audited once; each refusal during a flood is only logged.
   */
  refusedUnchecked?: boolean;
}

/** What a verify function of a strategy settles to; the strategy reports it through passport. */
export type AuthenticationOutcome = { principal: Principal } | { failure: AuthenticationFailure };
