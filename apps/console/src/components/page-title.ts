import { useEffect } from 'react';

/** The browser tab's title (and what a screen reader announces first) follows the page. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ContractNest Ops` : 'ContractNest Ops';
  }, [title]);
}
