import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { type Locale, MESSAGES, type Messages } from './messages';

/** Everyone using the system is in China: times are shown on the Asia/Shanghai clock whatever the device says. */
export const TIME_ZONE = 'Asia/Shanghai';
const LOCALE_KEY = 'srp.locale';

export interface I18n {
  locale: Locale;
  m: Messages;
  setLocale(locale: Locale): void;
  /** 11月22日 22:41 / 22 Nov 22:41 */
  dateTime(iso: string | Date): string;
  /** 22:41 */
  time(iso: string | Date): string;
  /** 11月22日 / 22 Nov */
  date(iso: string | Date): string;
  /** 1,234 / 1,234 */
  number(n: number, digits?: number): string;
  /** "12分钟" / "12 min" */
  minutes(n: number | null | undefined): string;
  /** "3分钟前" / "in 5 min": relative to now, for deadlines and last-seen times. */
  relative(iso: string, now?: number): string;
}

/** The member's own choice (the switch, or ?lang= in a link for visitors), if they made one. */
function chosenLocale(): Locale | undefined {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  const stored = localStorage.getItem(LOCALE_KEY);
  return stored === 'en' || stored === 'zh-CN' ? stored : undefined;
}

export function makeI18n(locale: Locale, setLocale: (l: Locale) => void): I18n {
  const intlLocale = locale === 'en' ? 'en-GB' : 'zh-CN';
  const dateTimeFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: TIME_ZONE, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const timeFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dateFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: TIME_ZONE, month: 'short', day: 'numeric' });
  const relativeFormat = new Intl.RelativeTimeFormat(intlLocale, { numeric: 'always', style: 'short' });
  const m = MESSAGES[locale];
  const number = (n: number, digits = 0) => n.toLocaleString(intlLocale, { maximumFractionDigits: digits });
  return {
    locale, m, setLocale,
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    time: (iso) => timeFormat.format(new Date(iso)),
    date: (iso) => dateFormat.format(new Date(iso)),
    number,
    minutes: (n) => (n === null || n === undefined ? '—' : locale === 'en' ? `${number(n, 1)} min` : `${number(n, 1)}分钟`),
    relative: (iso, now = Date.now()) => {
      const minutes = Math.round((Date.parse(iso) - now) / 60_000);
      return Math.abs(minutes) < 90 ? relativeFormat.format(minutes, 'minute') : relativeFormat.format(Math.round(minutes / 60), 'hour');
    },
  };
}

const I18nContext = createContext<I18n | null>(null);

/**
 * The pages speak the member's choice, else the city's language (config.json's `city.language`, once loaded), else
 * Chinese. Only a choice is remembered, so a city's language reaches those who never chose.
 */
export function I18nProvider({ children, cityLanguage }: { children: ReactNode; cityLanguage?: Locale }) {
  const [chosen, setChosen] = useState<Locale | undefined>(chosenLocale);
  const locale = chosen ?? cityLanguage ?? 'zh-CN';
  const setLocale = useCallback((l: Locale) => {
    localStorage.setItem(LOCALE_KEY, l);
    setChosen(l);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const i18n = useMemo(() => makeI18n(locale, setLocale), [locale, setLocale]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
