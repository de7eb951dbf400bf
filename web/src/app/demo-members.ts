import type { Role } from '#shared/contract/vocabulary';

/**
 * The local runtime's demo members (local/runtime/demo.ts loads their station and teams): the sign-in picker gets
 * a dev token for one of them. Only used when /config.json says auth mode 'local'.
 */
export interface DemoMember {
  role: Role;
  sub: string;
  name: { 'zh-CN': string; en: string };
  teamId?: string;
  stationId?: string;
}

export const DEMO_MEMBERS: DemoMember[] = [
  { role: 'coordinator', sub: 'demo-coordinator', name: { 'zh-CN': '王协调（市民政局）', en: 'Wang, campaign coordinator' } },
  { role: 'admin', sub: 'demo-admin', name: { 'zh-CN': '赵管理（市民政局信息科）', en: 'Zhao, directory administrator' } },
  { role: 'station', sub: 'duty-nc', stationId: 'station-nc', name: { 'zh-CN': '刘值班（南昌市救助管理站）', en: 'Liu, duty officer, Nanchang station' } },
  { role: 'patrol', sub: 'demo-team-01-member', teamId: 'team-01', name: { 'zh-CN': '李巡查（东湖区联合巡查一队）', en: 'Li, patrol team 01 (Donghu)' } },
  { role: 'patrol', sub: 'demo-team-02-member', teamId: 'team-02', name: { 'zh-CN': '陈巡查（西湖区联合巡查二队）', en: 'Chen, patrol team 02 (Xihu)' } },
  { role: 'patrol', sub: 'demo-team-03-member', teamId: 'team-03', name: { 'zh-CN': '张巡查（青山湖区联合巡查三队）', en: 'Zhang, patrol team 03 (Qingshanhu)' } },
];
