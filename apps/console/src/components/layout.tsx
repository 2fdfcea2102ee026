import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { api, unwrap } from '../api/api';
import { keys } from '../api/query-keys';
import { useAuth } from '../auth/auth-context';
import type { OperationName } from '../auth/roles';
import { useLiveStatus } from '../live/live-updates';

const NAV: Array<{ to: string; label: string; needs: OperationName; end?: boolean }> = [
  { to: '/', label: 'Cockpit', needs: 'GET /cockpit', end: true },
  { to: '/contracts', label: 'Contracts', needs: 'GET /contracts' },
  { to: '/calendar', label: 'Calendar', needs: 'GET /appointments' },
  { to: '/tickets', label: 'Tickets', needs: 'GET /tickets' },
  { to: '/jtd', label: 'JTD activity', needs: 'GET /jtd' },
  { to: '/dead-letters', label: 'Dead letters', needs: 'GET /admin/dead-letters' },
  { to: '/settings', label: 'Settings', needs: 'GET /settings/event-statuses/{eventType}' },
];

const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  unavailable: 'No live updates',
  stopped: 'Offline',
} as const;

export function Layout() {
  const { claims, signOut, can } = useAuth();
  const live = useLiveStatus();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  // A page change closes the phone menu and takes the keyboard (and a screen reader) to the new page's
  // content, as a page load would; a change of the query string (an event chosen on a timeline) does not.
  const [seenPath, setSeenPath] = useState(location.pathname);
  if (seenPath !== location.pathname) {
    setSeenPath(location.pathname);
    setMenuOpen(false);
  }
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.pathname);
  useEffect(() => {
    if (location.pathname !== firstPath.current) mainRef.current?.focus();
    firstPath.current = '';
  }, [location.pathname]);
  const unread = useQuery({
    queryKey: [...keys.inbox(), 'unread-count'],
    queryFn: () => unwrap(api.GET('/inbox', { params: { query: { unread: true, limit: 200 } } })),
    select: (page) => page.items.length,
    enabled: can('GET /inbox'),
  });

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          <span>ContractNest Ops</span>
        </div>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <nav id="main-nav" aria-label="Main" className={menuOpen ? 'nav open' : 'nav'}>
          <ul>
            {NAV.filter((item) => can(item.needs)).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
            {can('GET /inbox') && (
              <li>
                <NavLink to="/inbox">
                  Inbox{' '}
                  {unread.data ? (
                    <span className="count" aria-label={`${unread.data} unread`}>
                      {unread.data}
                    </span>
                  ) : null}
                </NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="session">
          <span className={`live live-${live.state}`} role="status" aria-live="polite" title="Updates arrive through the gateway’s event stream">
            <span className="dot" aria-hidden="true" />
            {LIVE_TEXT[live.state]}
          </span>
          <p className="who">
            <span className="visually-hidden">Signed in as </span>
            <span className="who-name">{claims.name}</span>
            <span className="who-meta">
              <span title={claims.tenantId}>tenant {claims.tenantId.slice(0, 8)}</span> · <span>{claims.roles.join(', ')}</span>
            </span>
          </p>
          <button type="button" onClick={() => signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <div className="visually-hidden" aria-live="polite">
        {live.announcement}
      </div>
      <main id="main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
    </div>
  );
}
