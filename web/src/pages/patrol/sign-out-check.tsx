import { useEffect, useState } from 'react';
import { useI18n } from '../../app/i18n';
import { setSignOutGuard } from '../../app/sign-out-guard';
import { sendNow, unsentItems } from '../../outbox/outbox';
import { fill } from '../../app/words';
import { ModalDialog } from './modal-dialog';

/** How long signing out waits for the waiting reports to go, with signal, before asking the member. */
const SEND_BEFORE_SIGN_OUT_MS = 15_000;

type Check =
  | { step: 'sending'; n: number }
  | { step: 'asking'; waiting: number; failed: number; answer: (signOut: boolean) => void };

/**
 * Nothing written on the phone is lost at sign-out. With signal, what waits is sent first; whatever is still unsent
 * is named and the member chooses: stay, or sign out knowing it stays on this phone, theirs, and goes when they
 * sign in again (another member signing in neither sees nor sends it).
 */
export function SignOutCheck() {
  const { m } = useI18n();
  const words = m.patrol.signOut;
  const [check, setCheck] = useState<Check>();

  useEffect(() => setSignOutGuard(async () => {
    let unsent = await unsentItems();
    if (!unsent.length) return true;
    if (navigator.onLine && unsent.some((item) => item.state === 'pending')) {
      setCheck({ step: 'sending', n: unsent.length });
      unsent = await sendNow(SEND_BEFORE_SIGN_OUT_MS);
      if (!unsent.length) {
        setCheck(undefined);
        return true;
      }
    }
    const failed = unsent.filter((item) => item.state === 'failed').length;
    return new Promise<boolean>((resolve) => setCheck({
      step: 'asking', waiting: unsent.length - failed, failed,
      answer: (signOut) => {
        setCheck(undefined);
        resolve(signOut);
      },
    }));
  }), []);

  if (!check) return null;
  if (check.step === 'sending') {
    return (
      <ModalDialog title={words.title} onClose={() => undefined}>
        <p role="status" className="patrol-dialog-text">{fill(words.sending, { n: check.n })}</p>
      </ModalDialog>
    );
  }
  return (
    <ModalDialog title={words.title} onClose={() => check.answer(false)}>
      <div className="patrol-dialog-text" data-testid="sign-out-check">
        <p role="alert">
          {[check.waiting ? fill(words.waiting, { n: check.waiting }) : '', check.failed ? fill(words.failed, { n: check.failed }) : '']
            .filter(Boolean).join(' ')}
        </p>
        <p>{words.kept}</p>
      </div>
      <div className="patrol-form-footer patrol-row">
        <button type="button" className="button-primary button-large" autoFocus onClick={() => check.answer(false)}>{words.stay}</button>
        <button type="button" className="button-large" onClick={() => check.answer(true)}>{words.signOutAnyway}</button>
      </div>
    </ModalDialog>
  );
}
