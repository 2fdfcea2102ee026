import { useEffect, useRef } from 'react';

/**
 * A detail panel that opens beside (or, on a phone, below) a list takes the focus once its content is
 * there, so keyboard and screen-reader users land on what they chose; the returned ref goes on its heading
 * (with tabIndex -1).
 */
export function useFocusOnArrival<T extends HTMLElement>(ready: boolean) {
  const ref = useRef<T>(null);
  const done = useRef(false);
  useEffect(() => {
    if (!ready || done.current) return;
    done.current = true;
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [ready]);
  return ref;
}
