import { projectPoint } from './datum';

/**
 * Links that open the phone's map app at a case, to navigate there. Stored points are WGS-84; AMap (高德) and Baidu
 * take GCJ-02 when told so (`coordinate=gaode`, `coord_type=gcj02`), and the `geo:` URI (RFC 5870) is WGS-84 for the
 * other apps. The web URIs open the installed app, or the map in the browser when there is none.
 */
export interface NavigationLink {
  app: 'amap' | 'baidu' | 'geo';
  href: string;
}

export function navigationLinks(point: { lat: number; lon: number }, name: string): NavigationLink[] {
  const gcj = projectPoint(point, 'wgs84', 'gcj02');
  const lonLat = `${gcj.lon.toFixed(6)},${gcj.lat.toFixed(6)}`;
  const latLon = `${gcj.lat.toFixed(6)},${gcj.lon.toFixed(6)}`;
  const label = encodeURIComponent(name);
  return [
    { app: 'amap', href: `https://uri.amap.com/marker?position=${lonLat}&name=${label}&coordinate=gaode&callnative=1&src=street-rescue` },
    { app: 'baidu', href: `https://api.map.baidu.com/marker?location=${latLon}&title=${label}&content=${label}&output=html&coord_type=gcj02&src=street-rescue` },
    { app: 'geo', href: `geo:${point.lat.toFixed(6)},${point.lon.toFixed(6)}?q=${point.lat.toFixed(6)},${point.lon.toFixed(6)}(${label})` },
  ];
}
