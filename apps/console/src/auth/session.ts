import { Claims, claimsOf } from './claims';

const KEY = 'cn.console.token';

/**
 * The signed-in person's token, kept in sessionStorage: it lives as long as the tab and is not shared with
 * other tabs or kept on disk after the browser closes. `#token=<jwt>` in the address (the link `npm start`
 * prints) signs in and is removed from the address at once, so it stays out of the history.
 */
export const session = {
  token(): string | undefined {
    return sessionStorage.getItem(KEY) ?? undefined;
  },
  claims(): Claims | undefined {
    const token = session.token();
    return token ? claimsOf(token) : undefined;
  },
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token.trim());
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
  },
  /** Takes a token from `#token=…`, signs in with it and removes it from the address. */
  takeTokenFromAddress(): boolean {
    const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    const token = params.get('token');
    if (!token) return false;
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`);
    session.signIn(token);
    return true;
  },
};
