import type { I18n } from './i18n';
import { fill } from './messages';

/** "850 米" / "6.3 公里": how far a case or a hot spot is, on the phone and on the timelines of every page. */
export function distanceText(metres: number, i18n: I18n) {
  const words = i18n.m.patrol.cases;
  return metres < 1000 ? fill(words.distanceM, { n: i18n.number(Math.round(metres / 10) * 10) }) : fill(words.distanceKm, { n: i18n.number(metres / 1000, 1) });
}
