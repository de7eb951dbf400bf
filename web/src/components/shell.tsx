import { type ReactNode, useEffect } from 'react';
import { signOut } from '../app/auth';
import { maySignOut } from '../app/sign-out-guard';
import { useI18n } from '../app/i18n';
import { Link } from '../app/router';
import { mayOpen, PAGE_ROLES, type PageName, useSession } from '../app/session';
import { useConfig } from '../app/use-config';
import { NamesContext, useDirectoryNames } from '../app/use-teams';
import { WarningBanner } from './warning-banner';

/** Dark for the wall screen and for the phone at night; the station desk sits under office light. */
const THEME: Record<PageName, 'dark' | 'light'> = { coordinator: 'dark', station: 'light', patrol: 'dark', admin: 'light' };

export function Shell({ page, children }: { page: PageName; children: ReactNode }) {
  const { m, locale, setLocale } = useI18n();
  const session = useSession();
  const config = useConfig();
  useEffect(() => {
    document.documentElement.dataset.theme = THEME[page];
    document.title = `${m.pages[page]} · ${m.app.name}`;
  }, [page, m]);
  const pages = (Object.keys(PAGE_ROLES) as PageName[]).filter((p) => session && mayOpen(session, p));
  const names = useDirectoryNames(m);
  // Who is signed in, by name and team (or station): never the account's id.
  const who = session ? [m.roles[session.role], session.name, names.team(session.teamId) ?? names.station(session.stationId)].filter(Boolean).join(' · ') : '';
  return (
    <div className={`shell shell-${page}`}>
      <a className="skip-link" href="#main">{m.app.skip}</a>
      <header className="shell-header">
        <span className="shell-title">{m.app.name}</span>
        {pages.length > 1 && (
          <nav aria-label={m.app.name}>
            <ul className="shell-nav">
              {pages.map((p) => (
                <li key={p}><Link href={`/${p}`} aria-current={p === page ? 'page' : undefined}>{m.pages[p]}</Link></li>
              ))}
            </ul>
          </nav>
        )}
        <span className="shell-user" data-testid="signed-in-as">
          {who}
        </span>
        <button type="button" className="button-quiet" lang={locale === 'en' ? 'zh-CN' : 'en'} title={m.app.languageLabel} onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
          {m.app.language}
        </button>
        <button type="button" className="button-quiet" onClick={() => void maySignOut().then((ok) => (ok ? signOut(config) : undefined))}>{m.app.signOut}</button>
      </header>
      {session && <WarningBanner />}
      <main id="main" tabIndex={-1} className="shell-main"><NamesContext.Provider value={names}>{children}</NamesContext.Provider></main>
    </div>
  );
}
