import { useEffect, useState } from 'react';
import { ApiError } from '../app/api';
import { finishCognitoSignIn, signInAsDemoMember, signOut, startCognitoSignIn } from '../app/auth';
import { type Enrolment, finishEnrolment, startEnrolment } from '../app/authenticator-enrolment';
import { DEMO_MEMBERS, type DemoMember } from '../app/demo-members';
import { useI18n } from '../app/i18n';
import { navigate } from '../app/router';
import { homePageOf, mayOpen, type PageName, type Session } from '../app/session';
import { useConfig } from '../app/use-config';

/** After signing in: the page asked for, if this role may open it, else the role's own page. */
function landOn(session: Session) {
  const next = new URLSearchParams(location.search).get('next') ?? '';
  const page = next.split('/')[1] as PageName | undefined;
  const allowed = page && ['coordinator', 'station', 'patrol'].includes(page) && mayOpen(session, page);
  navigate(allowed ? next : `/${homePageOf(session.role)}`, { replace: true });
}

export function SignInPage() {
  const { m, locale, setLocale } = useI18n();
  const config = useConfig();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [enrolment, setEnrolment] = useState<Enrolment>();

  useEffect(() => {
    document.documentElement.dataset.theme = 'dark';
    document.title = `${m.signIn.title} · ${m.app.name}`;
  }, [m]);

  useEffect(() => {
    if (config.auth.mode !== 'cognito') return;
    setBusy(true);
    finishCognitoSignIn(config.auth).then((result) => {
      if (result && 'accessToken' in result) {
        setEnrolment(result);
        setBusy(false);
      } else if (result) landOn(result);
      else setBusy(false);
    }, (e: Error) => {
      setError(e.message);
      setBusy(false);
    });
  }, [config]);

  const pick = async (member: DemoMember) => {
    setBusy(true);
    setError(undefined);
    try {
      landOn(await signInAsDemoMember(member));
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.detail : (e as Error).message);
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card">
        <h1>{m.app.name}</h1>
        <button type="button" className="button-quiet sign-in-language" lang={locale === 'en' ? 'zh-CN' : 'en'} title={m.app.languageLabel} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
          {m.app.language}
        </button>
        <h2>{enrolment ? m.signIn.enrol.title : m.signIn.title}</h2>
        {enrolment ? <AuthenticatorEnrolment enrolment={enrolment} /> : config.auth.mode === 'local' ? (
          <>
            <p>{m.signIn.localHint}</p>
            <ul className="member-list">
              {DEMO_MEMBERS.map((member) => (
                <li key={member.sub}>
                  <button type="button" className="member" disabled={busy} onClick={() => void pick(member)} data-role={member.role}>
                    <span className="member-role">{m.roles[member.role]}</span>
                    <span className="member-name">{member.name[locale]}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <button type="button" className="button-primary button-large" disabled={busy}
            onClick={() => config.auth.mode === 'cognito' && void startCognitoSignIn(config.auth)}>
            {busy ? m.signIn.signingIn : m.signIn.cognito}
          </button>
        )}
        {error && <p role="alert" className="error">{m.signIn.failed}: {error}</p>}
      </div>
    </main>
  );
}

/**
 * A station, coordinator or admin member signs in for the first time without an authenticator app: they add one
 * (the secret, or the otpauth:// link a phone opens), type a code from it, and sign in again, now with the app's code.
 */
function AuthenticatorEnrolment({ enrolment }: { enrolment: Enrolment }) {
  const { m } = useI18n();
  const config = useConfig();
  const words = m.signIn.enrol;
  const [secret, setSecret] = useState<{ secret: string; link: string }>();
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    startEnrolment(enrolment, m.app.name).then(setSecret, (e: Error) => setProblem(e.message));
  }, [enrolment, m]);
  const confirm = async () => {
    setProblem(undefined);
    try {
      await finishEnrolment(enrolment, code);
      setDone(true);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  if (done) {
    return (
      <>
        <p role="status">{words.done}</p>
        <button type="button" className="button-primary button-large" onClick={() => void signOut(config)}>{words.signInAgain}</button>
      </>
    );
  }
  return (
    <>
      <p>{words.why}</p>
      {secret && (
        <>
          <p>{words.addSecret} <code data-testid="totp-secret">{secret.secret.replace(/(.{4})/g, '$1 ').trim()}</code></p>
          <p><a href={secret.link}>{words.openApp}</a></p>
          <label>{words.code} <input inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} /></label>
          <button type="button" className="button-primary button-large" disabled={code.replace(/\s+/g, '').length < 6} onClick={() => void confirm()}>{words.confirm}</button>
        </>
      )}
      {problem && <p role="alert" className="error">{problem}</p>}
    </>
  );
}
