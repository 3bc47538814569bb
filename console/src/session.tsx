import { createContext, useContext } from 'react';
import type { SessionInfo } from './api';

export interface SessionState {
  session: SessionInfo | undefined;
  setSession: (session: SessionInfo | undefined) => void;
}

export const SessionContext = createContext<SessionState>({ session: undefined, setSession: () => undefined });

export const useSession = (): SessionState => useContext(SessionContext);
