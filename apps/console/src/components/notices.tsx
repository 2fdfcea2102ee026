import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

interface Notices {
  /** Says what an action did, in the polite live region (and visibly, for a while). */
  notify(message: string): void;
}

const NoticeContext = createContext<Notices>({ notify: () => undefined });

export const useNotify = () => useContext(NoticeContext).notify;

export function NoticesProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const notify = useCallback((text: string) => {
    setMessage(text);
    window.setTimeout(() => setMessage((current) => (current === text ? '' : current)), 6000);
  }, []);
  const value = useMemo(() => ({ notify }), [notify]);
  return (
    <NoticeContext.Provider value={value}>
      {children}
      <div className="notice" role="status" aria-live="polite">
        {message}
      </div>
    </NoticeContext.Provider>
  );
}
