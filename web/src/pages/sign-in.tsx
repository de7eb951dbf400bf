import { useEffect, useState } from 'react';
import { ApiError } from '../app/api';
import { finishCognitoSignIn, signInAsDemoMember, startCognitoSignIn } from '../app/auth';
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

  useEffect(() => {
    document.documentElement.dataset.theme = 'dark';
    document.title = `${m.signIn.title} · ${m.app.name}`;
  }, [m]);

  useEffect(() => {
    if (config.auth.mode !== 'cognito') return;
    setBusy(true);
    finishCognitoSignIn(config.auth).then((session) => (session ? landOn(session) : setBusy(false)), (e: Error) => {
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
        <h2>{m.signIn.title}</h2>
        {config.auth.mode === 'local' ? (
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
