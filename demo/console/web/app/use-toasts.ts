/** Short-lived messages in a corner: errors of requests and the console's notices. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Toast {
  id: number;
  level: 'info' | 'error';
  text: string;
}

/** Errors stay longer: they explain why a click did nothing. */
const LIFETIME_MS = { info: 6000, error: 20000 } as const;

export function useToasts(): { toasts: Toast[]; show: (level: Toast['level'], text: string) => void; dismiss: (id: number) => void } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback(
    (level: Toast['level'], text: string) => {
      const id = nextId.current++;
      setToasts((current) => (current.some((toast) => toast.text === text) ? current : [...current, { id, level, text }]));
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), LIFETIME_MS[level]),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return { toasts, show, dismiss };
}
