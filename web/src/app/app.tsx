import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import { Shell } from '../components/shell';
import { SignInPage } from '../pages/sign-in';
import { setApiBase } from './api';
import { loadConfig, type WebConfig } from './config';
import { I18nProvider, useI18n } from './i18n';
import { navigate, usePath } from './router';
import { homePageOf, mayOpen, type PageName, type Session, useSession } from './session';
import { ConfigContext, useConfig } from './use-config';

// Each page is its own chunk: a patrol phone on one bar of signal never downloads the wall's map and charts.
const CoordinatorPage = lazy(() => import('../pages/coordinator/coordinator-page'));
const StationPage = lazy(() => import('../pages/station/station-page'));
const PatrolPage = lazy(() => import('../pages/patrol/patrol-page'));
const AdminPage = lazy(() => import('../pages/admin/admin-page'));

const PAGES: Record<PageName, () => ReactNode> = {
  coordinator: () => <CoordinatorPage />,
  station: () => <StationPage />,
  patrol: () => <PatrolPage />,
  admin: () => <AdminPage />,
};

export function App() {
  const [config, setConfig] = useState<WebConfig>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    loadConfig().then((c) => { setApiBase(c.apiBase); setConfig(c); }, (error: Error) => setFailure(error.message));
  }, []);
  return (
    <I18nProvider {...(config ? { cityLanguage: config.city.language } : {})}>
      {failure ? <p role="alert" className="page-message">{failure}</p>
        : !config ? <Loading />
          : <ConfigContext.Provider value={config}><Routes /></ConfigContext.Provider>}
    </I18nProvider>
  );
}

function Loading() {
  const { m } = useI18n();
  return <p className="page-message" role="status">{m.app.loading}</p>;
}

/** Cloud: the hour-long ID token is renewed with the refresh token a few minutes before it expires. */
function useTokenRenewal(config: WebConfig, session: Session | null) {
  useEffect(() => {
    if (!session || config.auth.mode !== 'cognito') return undefined;
    const auth = config.auth;
    const timer = setTimeout(() => {
      void import('./auth').then(({ renewCognitoSession }) => renewCognitoSession(auth)).catch(() => undefined);
    }, Math.max(0, session.expiresAt - RENEW_MARGIN_MS - Date.now()));
    return () => clearTimeout(timer);
  }, [config, session]);
}

/** Renewed this long before expiry: a wall screen or a phone on one bar needs the margin. */
const RENEW_MARGIN_MS = 5 * 60_000;

function Routes() {
  const path = usePath();
  const session = useSession();
  useTokenRenewal(useConfig(), session);
  const page = (path.split('/')[1] ?? '') as PageName | 'sign-in' | '';
  useEffect(() => {
    if (page === 'sign-in') return;
    if (!session) navigate(`/sign-in?next=${encodeURIComponent(path)}`, { replace: true });
    else if (page === '' || !(page in PAGES)) navigate(`/${homePageOf(session.role)}`, { replace: true });
  }, [page, session, path]);
  if (page === 'sign-in' || !session) return <SignInPage />;
  if (!(page in PAGES)) return <Loading />;
  const name = page as PageName;
  return (
    <Shell page={name}>
      {mayOpen(session, name) ? <Suspense fallback={<Loading />}>{PAGES[name]()}</Suspense> : <Forbidden />}
    </Shell>
  );
}

function Forbidden() {
  const { m } = useI18n();
  return <p role="alert" className="page-message">{m.signIn.forbidden}</p>;
}
