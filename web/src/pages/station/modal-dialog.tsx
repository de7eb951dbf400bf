import { type ReactNode, useEffect, useRef, useState } from 'react';

/**
 * A native modal <dialog>, open while mounted: the browser traps focus and closes it on Escape; focus goes back to
 * the control that opened it (or to the page's main region when that control is gone, e.g. its case moved on).
 */
export function ModalDialog({ labelledBy, onClose, className, children }: {
  labelledBy: string;
  onClose: () => void;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Read while rendering, before the dialog takes the focus (an effect run twice would read the dialog's own control).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (opener?.isConnected) opener.focus();
      else document.getElementById('main')?.focus();
    };
  }, [opener]);
  return (
    <dialog ref={ref} aria-labelledby={labelledBy} className={`station-dialog ${className ?? ''}`} onClose={onClose}>
      {children}
    </dialog>
  );
}
