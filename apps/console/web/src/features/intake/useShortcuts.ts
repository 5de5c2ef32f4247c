import { useEffect, useRef } from 'react';

/** Keyboard shortcuts on a screen: `alt+n`, `ctrl+enter`, `alt+1`… (documented in the screen's help). */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const key = [e.ctrlKey || e.metaKey ? 'ctrl' : '', e.altKey ? 'alt' : '', e.shiftKey ? 'shift' : '', e.key.toLowerCase()]
        .filter(Boolean)
        .join('+');
      // Alt+letter types a special character on some layouts: match on the physical key as well.
      const code = e.altKey && /^Key[A-Z]$/.test(e.code) ? key.replace(/[^+]+$/, e.code.slice(3).toLowerCase()) : key;
      const handler = ref.current[key] ?? ref.current[code];
      if (handler) {
        e.preventDefault();
        handler(e);
      }
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
}
