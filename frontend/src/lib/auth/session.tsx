import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import { changeLanguage } from "@/i18n/i18n";
import { meQueryOptions, type Me } from "@/lib/auth/me";
import { storedLanguage } from "@/lib/preferences";
import { getAccessToken, subscribeAccessToken } from "@/lib/auth/token-store";
import { restoreSession, signIn, signOut } from "@/lib/auth/tokens";

export interface Session {
  /** "restoring" while a reload asks the refresh cookie for a new access token. */
  status: "restoring" | "anonymous" | "authenticated";
  me: Me | null;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const token = useSyncExternalStore(subscribeAccessToken, getAccessToken, getAccessToken);
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    let live = true;
    void restoreSession().finally(() => live && setRestoring(false));
    return () => {
      live = false;
    };
  }, []);

  const me = useQuery({ ...meQueryOptions(), enabled: token !== null });

  // On a browser that has no language chosen yet, a person's own choice (kept with their account) applies.
  const chosen = me.data?.language;
  useEffect(() => {
    if (chosen && !storedLanguage()) void changeLanguage(chosen);
  }, [chosen]);

  const login = useCallback(
    async (username: string, password: string) => {
      await signIn(username, password);
      // What the page shows may depend on who asks (private projects, grants): fetch it again.
      await queryClient.resetQueries();
      await queryClient.fetchQuery(meQueryOptions());
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    await signOut();
    await queryClient.resetQueries();
  }, [queryClient]);

  const value = useMemo<Session>(() => {
    const authenticated = token !== null && me.data !== undefined;
    const waiting = restoring || (token !== null && me.isPending);
    return {
      status: authenticated ? "authenticated" : waiting ? "restoring" : "anonymous",
      me: authenticated ? me.data : null,
      login,
      logout,
    };
  }, [token, me.data, me.isPending, restoring, login, logout]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
