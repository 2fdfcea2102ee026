import { useId, useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../api/api';
import { claimsOf, isExpired } from './claims';

/**
 * Sign-in with a bearer token from the identity provider (in development: the one `npm start` prints, or
 * `npm run token`). The token is checked against the gateway before it is kept.
 */
export function SignInPage({ onSignIn, reason }: { onSignIn: (token: string) => void; reason?: string }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const hintId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    const claims = claimsOf(value);
    if (!claims) return setError('That is not a token: a JWT has three parts separated by dots.');
    if (isExpired(claims)) return setError('That token has expired.');
    if (!claims.tenantId) return setError('That token names no tenant.');
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch(`${window.location.origin}/v1/contracts?limit=1`, { headers: { authorization: `Bearer ${value}` } });
      if (!res.ok) {
        const problem = await res.json().catch(() => undefined);
        throw new ApiError(res.status, problem);
      }
      onSignIn(value);
    } catch (err) {
      const platformOnly = claims.roles.length > 0 && claims.roles.every((r) => r === 'platform_admin');
      setError(
        platformOnly
          ? 'A platform administrator’s token serves no tenant: sign in as a person of a tenant.'
          : `The gateway refused this token: ${messageOf(err)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      {/* submit reports every failure itself (try/catch/finally). */}
      <form className="card sign-in-card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">ContractNest Ops console</h1>
        <p>Sign in with a bearer token for your tenant.</p>
        {reason && (
          <p className="warning" role="status">
            {reason}
          </p>
        )}
        <label htmlFor={fieldId}>Bearer token</label>
        <textarea
          id={fieldId}
          aria-describedby={hintId}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          rows={5}
          spellCheck={false}
          autoComplete="off"
          required
        />
        <p id={hintId} className="muted small">
          In development, <code>npm start</code> prints a sign-in link, and <code>npm run token</code> prints a token. The token stays in this tab only.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
