import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../../app/i18n';

/**
 * A full-screen modal on the phone: the native <dialog> (focus kept inside, Escape closes it), opened when mounted;
 * focus goes back to the button that opened it when it closes.
 */
export function ModalDialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { m } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // A native listener, removed before the cleanup closes the dialog: that close is not the member's.
    const closed = () => close.current();
    dialog.addEventListener('close', closed);
    dialog.showModal();
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className="patrol-dialog" aria-labelledby={titleId}>
      <div className="patrol-dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="patrol-dialog-close" aria-label={m.app.close} onClick={() => ref.current?.close()}>✕</button>
      </div>
      {children}
    </dialog>
  );
}
