/**
 * The demo city's ground truth, shared by the simulator (`npm run simulate`) and the demo's past nights
 * (demo-history.ts): Nanchang's known hot spots, who sleeps where, the warm things that are not people, and the
 * seeded random numbers that make a night repeatable.
 */

// ─── Ground truth: the places, the people, the warm things that are not people ────────────────────────────────

export type PlaceType = 'street' | 'bridge' | 'culvert' | 'underpass' | 'construction_site' | 'park' | 'transport_hub' | 'station_square' | 'other';
export type Drone = 'drone-01' | 'drone-02' | 'drone-03' | 'drone-04';
export type Team = 'team-01' | 'team-02' | 'team-03' | 'team-04';

export interface HotSpot {
  id: string;
  name: string;
  type: PlaceType;
  lat: number;
  lon: number;
  /** How many people sleep there tonight (a group of 2–3 is one place). */
  people: number;
  drone: Drone;
  team: Team;
  /** Fixed thermal camera watching it (one camera may watch two spots under one bridge). */
  fixedCam?: string;
  /** In view of the police camera network's AI (「天网」). */
  cameraAi?: boolean;
  /** City-management inspectors file a ticket about it. */
  cityTicket?: boolean;
  /** Near the 八一广场 help point: passers-by report it there. */
  helpPointTip?: boolean;
}

/**
 * Known hot spots of Nanchang (WGS-84, placed by hand from the map: plausible, not surveyed). Four pairs are a street
 * apart (62–100 m) with different people; the others are at least 300 m from any other spot.
 */
export const HOT_SPOTS: readonly HotSpot[] = [
  { id: 'bayi-east-n', name: '八一大桥东引桥下（北侧桥墩）', type: 'bridge', lat: 28.6812, lon: 115.8735, people: 2, drone: 'drone-01', team: 'team-02', fixedCam: 'fixed-01' },
  { id: 'bayi-east-s', name: '八一大桥东引桥下（南侧桥墩）', type: 'bridge', lat: 28.6805, lon: 115.8735, people: 1, drone: 'drone-01', team: 'team-02', fixedCam: 'fixed-01' },
  { id: 'tengwang-underpass', name: '滕王阁沿江路地下通道', type: 'underpass', lat: 28.6779, lon: 115.8812, people: 1, drone: 'drone-01', team: 'team-01' },
  { id: 'nanchang-bridge-e', name: '南昌大桥东桥头桥洞', type: 'bridge', lat: 28.6503, lon: 115.8771, people: 1, drone: 'drone-01', team: 'team-02' },
  { id: 'chaoyang-bridge-e', name: '朝阳大桥东引桥下', type: 'bridge', lat: 28.6405, lon: 115.8720, people: 1, drone: 'drone-01', team: 'team-02' },
  { id: 'station-west-square', name: '南昌站西广场', type: 'station_square', lat: 28.6628, lon: 115.9128, people: 2, drone: 'drone-02', team: 'team-02', cameraAi: true },
  { id: 'station-west-bus', name: '南昌站西广场南侧公交站', type: 'street', lat: 28.6619, lon: 115.9128, people: 1, drone: 'drone-02', team: 'team-02', cameraAi: true },
  { id: 'zhanqian-underpass', name: '站前路地下通道', type: 'underpass', lat: 28.6660, lon: 115.9150, people: 1, drone: 'drone-02', team: 'team-01', cameraAi: true },
  { id: 'laofushan-east', name: '老福山地下通道东出口', type: 'underpass', lat: 28.6672, lon: 115.9047, people: 1, drone: 'drone-02', team: 'team-01', fixedCam: 'fixed-02', helpPointTip: true },
  { id: 'laofushan-west', name: '老福山地下通道西出口', type: 'underpass', lat: 28.6672, lon: 115.9037, people: 1, drone: 'drone-02', team: 'team-01', fixedCam: 'fixed-02' },
  { id: 'bayi-square-underpass', name: '八一广场北地下通道', type: 'underpass', lat: 28.6772, lon: 115.9069, people: 1, drone: 'drone-02', team: 'team-01', cameraAi: true, helpPointTip: true },
  { id: 'yudai-culvert', name: '玉带河涵洞（青山路口）', type: 'culvert', lat: 28.6718, lon: 115.9190, people: 1, drone: 'drone-02', team: 'team-01', fixedCam: 'fixed-03', helpPointTip: true },
  { id: 'fuhe-culvert', name: '抚河北路涵洞', type: 'culvert', lat: 28.6935, lon: 115.8893, people: 1, drone: 'drone-01', team: 'team-01', fixedCam: 'fixed-05' },
  { id: 'wanshougong-arcade', name: '万寿宫历史街区骑楼下', type: 'street', lat: 28.6862, lon: 115.8922, people: 1, drone: 'drone-01', team: 'team-01', cameraAi: true, helpPointTip: true },
  { id: 'shengjinta-site', name: '绳金塔旁拆迁工地', type: 'construction_site', lat: 28.6659, lon: 115.8936, people: 3, drone: 'drone-01', team: 'team-02', cityTicket: true },
  { id: 'hongcheng-market', name: '洪城大市场停车棚', type: 'other', lat: 28.6583, lon: 115.8872, people: 1, drone: 'drone-01', team: 'team-02', cameraAi: true, cityTicket: true },
  { id: 'qingyunpu-factory', name: '青云谱废弃厂房', type: 'construction_site', lat: 28.6305, lon: 115.9172, people: 1, drone: 'drone-03', team: 'team-03', cityTicket: true },
  { id: 'xufang-bus-station', name: '徐坊客运站候车廊', type: 'transport_hub', lat: 28.6395, lon: 115.9108, people: 2, drone: 'drone-03', team: 'team-03', cameraAi: true },
  { id: 'xianghu-park', name: '象湖公园北门凉亭', type: 'park', lat: 28.6248, lon: 115.8985, people: 1, drone: 'drone-03', team: 'team-03' },
  { id: 'hongdu-viaduct-a', name: '洪都中大道高架桥下（A段）', type: 'underpass', lat: 28.6688, lon: 115.9262, people: 1, drone: 'drone-03', team: 'team-03', fixedCam: 'fixed-04' },
  { id: 'hongdu-viaduct-b', name: '洪都中大道高架桥下（B段）', type: 'underpass', lat: 28.6684, lon: 115.92666, people: 1, drone: 'drone-03', team: 'team-03', fixedCam: 'fixed-04' },
  { id: 'qingshanhu-interchange', name: '青山湖大道立交桥下', type: 'underpass', lat: 28.6790, lon: 115.9450, people: 1, drone: 'drone-03', team: 'team-03' },
  { id: 'yingxiong-bridge-e', name: '英雄大桥东引桥下', type: 'bridge', lat: 28.7205, lon: 115.8775, people: 2, drone: 'drone-04', team: 'team-04' },
  { id: 'nanchang-west-square', name: '南昌西站东广场', type: 'station_square', lat: 28.6248, lon: 115.7935, people: 1, drone: 'drone-04', team: 'team-04', cameraAi: true },
  { id: 'jiulonghu-unfinished', name: '九龙湖烂尾楼', type: 'construction_site', lat: 28.6460, lon: 115.8175, people: 1, drone: 'drone-04', team: 'team-04', cityTicket: true },
  { id: 'shengmi-bridge-e', name: '生米大桥东桥头', type: 'bridge', lat: 28.6012, lon: 115.8505, people: 1, drone: 'drone-04', team: 'team-04' },
];

export interface WarmThing {
  id: string;
  name: string;
  lat: number;
  lon: number;
  /** Who sees it: one device only, so nothing independent corroborates it. */
  seenBy: Drone | 'fixed-06';
  surfaceTempC: [number, number];
  /** A dog wanders a little between sorties. */
  wandersM: number;
}

/** Warm things with nobody there: thermal and AI hits below the confidence threshold (0.2–0.45). */
export const FALSE_POSITIVES: readonly WarmThing[] = [
  { id: 'fp-transformer-dieshan', name: '叠山路变压器箱', lat: 28.6840, lon: 115.9000, seenBy: 'drone-01', surfaceTempC: [38, 46], wandersM: 0 },
  { id: 'fp-metro-vent', name: '八一馆站地铁风亭', lat: 28.6710, lon: 115.9120, seenBy: 'drone-02', surfaceTempC: [24, 30], wandersM: 0 },
  { id: 'fp-dog-xianghu', name: '象湖公园流浪狗', lat: 28.6200, lon: 115.9030, seenBy: 'drone-03', surfaceTempC: [34, 38], wandersM: 4 },
  { id: 'fp-transformer-hongdu', name: '洪都北大道配电箱', lat: 28.6730, lon: 115.9330, seenBy: 'drone-03', surfaceTempC: [37, 44], wandersM: 0 },
  { id: 'fp-parked-car', name: '红谷滩停车场刚熄火的车', lat: 28.6560, lon: 115.8300, seenBy: 'drone-04', surfaceTempC: [30, 40], wandersM: 0 },
  { id: 'fp-heating-pipe', name: '青山湖热力管道检修井', lat: 28.6850, lon: 115.9380, seenBy: 'fixed-06', surfaceTempC: [33, 41], wandersM: 0 },
];

/** The demo's help point (八一广场福彩便民点) and where the demo's own cases stand: the simulation keeps away from them. */
export const DEMO_CASE_PLACES = [
  { lat: 28.6829, lon: 115.8579 }, { lat: 28.6905, lon: 115.9461 }, { lat: 28.6632, lon: 115.9187 }, { lat: 28.6981, lon: 115.8507 },
];

// ─── Small tools ──────────────────────────────────────────────────────────────────────────────────────────────

/** mulberry32: a tiny seeded PRNG, so a seed gives the same night every time. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const uniform = (min: number, max: number) => min + (max - min) * next();
  return {
    next,
    uniform,
    int: (min: number, max: number) => Math.floor(uniform(min, max + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    /** Box–Muller. */
    gauss: (sigma: number) => sigma * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    shuffle: <T>(items: T[]): T[] => {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}
