import type { CaseDetail } from '../app/api';
import { useI18n } from '../app/i18n';
import { fill } from '../app/words';

/** At most this many crops a case: the most confident hot spots, each a different look at the same place. */
const SHOWN = 6;

/**
 * The crops of the analysed thermal frames a case's hot spots were found in, the likely person boxed: what the drone
 * saw there, for whoever goes or decides. Nothing is shown for a case without analysed frames.
 */
export function ThermalCrops({ detail, className }: { detail: CaseDetail; className: string }) {
  const i18n = useI18n();
  const { m } = i18n;
  const crops = detail.detections
    .filter((d): d is typeof d & { cropUrl: string } => typeof d.cropUrl === 'string')
    .toSorted((a, b) => b.confidence - a.confidence)
    .slice(0, SHOWN);
  if (crops.length === 0) return null;
  return (
    <>
      <h3>{m.thermal.title}</h3>
      <ul className={className}>
        {crops.map((d) => {
          const words = {
            source: m.source[d.source], device: d.deviceId, time: i18n.time(d.observedAt),
            confidence: d.confidence.toFixed(2), temp: d.surfaceTempC?.toFixed(1) ?? '—',
          };
          return (
            <li key={`${d.deviceId}/${d.detectionId}`}>
              <figure>
                <img src={d.cropUrl} loading="lazy" alt={fill(m.thermal.alt, words)} />
                <figcaption>{fill(m.thermal.caption, words)}</figcaption>
              </figure>
            </li>
          );
        })}
      </ul>
    </>
  );
}
