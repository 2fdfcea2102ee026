import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError, whenUnauthenticated } from './api/api';
import { AuthContext, authOf } from './auth/auth-context';
import { isExpired } from './auth/claims';
import { session } from './auth/session';
import { SignInPage } from './auth/sign-in.page';
import { Layout } from './components/layout';
import { NoticesProvider } from './components/notices';
import { LiveUpdatesProvider } from './live/live-updates';
import { CalendarPage } from './pages/calendar.page';
import { CockpitPage } from './pages/cockpit.page';
import { ContractPage } from './pages/contract.page';
import { ContractsPage } from './pages/contracts.page';
import { DeadLettersPage } from './pages/dead-letters.page';
import { InboxPage } from './pages/inbox.page';
import { JtdPage } from './pages/jtd.page';
import { NotFoundPage } from './pages/not-found.page';
import { SettingsPage } from './pages/settings.page';
import { TicketPage } from './pages/ticket.page';
import { TicketsPage } from './pages/tickets.page';

// A link from `npm start` (`/console/#token=…`) signs in before anything renders, and leaves the address.
session.takeTokenFromAddress();

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // The stream says when something changed; until then what is on screen is current.
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
      },
    },
  });
}

export function App() {
  const [token, setToken] = useState(() => session.token());
  const [signOutReason, setSignOutReason] = useState<string>();
  const [queryClient, setQueryClient] = useState(newQueryClient);
  const claims = useMemo(() => (token ? session.claims() : undefined), [token]);

  const signOut = useCallback(
    (why?: string) => {
      session.signOut();
      queryClient.clear();
      setQueryClient(newQueryClient());
      setSignOutReason(why);
      setToken(undefined);
    },
    [queryClient],
  );
  const signIn = useCallback((value: string) => {
    session.signIn(value);
    setSignOutReason(undefined);
    setToken(session.token());
  }, []);
  const refused = useCallback(() => signOut('The gateway no longer accepts your token (expired or revoked). Sign in again.'), [signOut]);
  useEffect(() => whenUnauthenticated(refused), [refused]);

  const auth = useMemo(() => (claims && !isExpired(claims) ? authOf(claims, signOut) : undefined), [claims, signOut]);

  return (
    <QueryClientProvider client={queryClient}>
      <NoticesProvider>
        <BrowserRouter basename="/console">
          {!auth ? (
            <SignInPage onSignIn={signIn} reason={claims && isExpired(claims) ? 'Your token has expired. Paste a new one.' : signOutReason} />
          ) : (
            <AuthContext.Provider value={auth}>
              <LiveUpdatesProvider onUnauthenticated={refused}>
                <Routes>
                  <Route element={<Layout />}>
                    <Route index element={<CockpitPage />} />
                    <Route path="contracts" element={<ContractsPage />} />
                    <Route path="contracts/:id" element={<ContractPage />} />
                    <Route path="calendar" element={<CalendarPage />} />
                    <Route path="tickets" element={<TicketsPage />} />
                    <Route path="tickets/:id" element={<TicketPage />} />
                    <Route path="jtd" element={<JtdPage />} />
                    <Route path="dead-letters" element={<DeadLettersPage />} />
                    <Route path="inbox" element={<InboxPage />} />
                    <Route path="settings" element={<SettingsPage />} />
                    <Route path="sign-in" element={<Navigate to="/" replace />} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Route>
                </Routes>
              </LiveUpdatesProvider>
            </AuthContext.Provider>
          )}
        </BrowserRouter>
      </NoticesProvider>
    </QueryClientProvider>
  );
}
