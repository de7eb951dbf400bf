import type { Locale } from '../../app/messages';

/** The admin page's words: in its own chunk, so the patrol phone never downloads them. */
const zh = {
  heading: '目录管理',
  intro: '站点、队伍、求助点、设备和人员在此建立和维护；每一项改动都记入变更记录（谁、何时、改了哪些字段）。',
  tabs: { stations: '站点', teams: '队伍', helpPoints: '求助点', devices: '设备', members: '人员', import: '批量导入', changes: '变更记录' },
  fields: {
    id: '编号', name: '名称', lat: '纬度', lon: '经度', districts: '辖区（用 ; 分隔）', phone: '电话', station: '所属站点', onDuty: '在岗',
    members: '成员（用 ; 分隔）', kind: '类型', owner: '责任人', username: '登录名', memberName: '姓名', role: '角色', team: '队伍',
    memberPhone: '手机号（+86…）', status: '状态', scopes: '权限', keyActive: '密钥', area: '辖区范围',
  },
  add: { stations: '添加站点', teams: '添加队伍', helpPoints: '添加求助点', devices: '登记设备', members: '邀请人员' },
  save: '保存', saving: '正在保存…', none: '暂无', loadFailed: '载入失败', refused: '未保存',
  keyActive: '有效', keyRevoked: '已吊销', hasArea: '已划定', noArea: '按最近距离',
  rotate: '轮换密钥', revoke: '吊销', reissue: '重新签发凭据', disable: '停用', confirmRevoke: '吊销后此{what}立即无法使用，确定吗？',
  secretTitle: '只显示这一次：请立即复制并妥善保存', secretKey: '求助点 api_key', clientId: 'client_id', clientSecret: 'client_secret',
  tokenUrl: '令牌地址', copy: '复制', copied: '已复制', dismiss: '我已保存',
  deviceKinds: { drone: '无人机', fixed_camera: '固定热成像摄像头', camera_gateway: '摄像头网关', weather_feed: '气象数据源' },
  deviceStatus: { active: '在用', revoked: '已吊销' },
  memberStatus: { invited: '已邀请', disabled: '已停用' },
  roles: { patrol: '巡查队员', station: '救助站值班员', coordinator: '专项行动协调人', admin: '管理员' },
  importKinds: { station: '站点', team: '队伍', help_point: '求助点', hot_spot: '重点点位' },
  importHint: 'CSV 首行为列名（编号列、name、lat、lon 等，与接口字段同名），或 GeoJSON FeatureCollection。先检查：整份文件无误才会写入。',
  file: '文件', check: '检查', doImport: '导入', checking: '正在检查…',
  importSummary: '新增 {created}，更新 {replaced}，不变 {unchanged}', dryRunNote: '（仅检查，尚未写入）', importDone: '已导入',
  faults: '文件有 {count} 处问题，未写入任何内容：',
  changeWhat: { created: '新建', updated: '修改', key_issued: '签发密钥', key_revoked: '吊销密钥', imported: '导入' },
  changeKinds: { station: '站点', team: '队伍', help_point: '求助点', device: '设备', member: '人员', hot_spot: '重点点位' },
  changeColumns: { at: '时间', sub: '操作人', kind: '类别', id: '编号', what: '操作', fields: '字段' },
  more: '更早的记录',
};

const en: typeof zh = {
  heading: 'Directory',
  intro: 'Stations, teams, help points, devices and members are set up and kept here; every change is in the audit trail (who, when, which fields).',
  tabs: { stations: 'Stations', teams: 'Teams', helpPoints: 'Help points', devices: 'Devices', members: 'Members', import: 'Import', changes: 'Audit trail' },
  fields: {
    id: 'Id', name: 'Name', lat: 'Latitude', lon: 'Longitude', districts: 'Districts (separated by ;)', phone: 'Phone', station: 'Station', onDuty: 'On duty',
    members: 'Members (separated by ;)', kind: 'Kind', owner: 'Owner', username: 'Username', memberName: 'Name', role: 'Role', team: 'Team',
    memberPhone: 'Mobile (+86…)', status: 'Status', scopes: 'Scopes', keyActive: 'Key', area: 'Area',
  },
  add: { stations: 'Add a station', teams: 'Add a team', helpPoints: 'Add a help point', devices: 'Register a device', members: 'Invite a member' },
  save: 'Save', saving: 'Saving…', none: 'None yet', loadFailed: 'Could not load', refused: 'Not saved',
  keyActive: 'Active', keyRevoked: 'Revoked', hasArea: 'Drawn', noArea: 'By distance',
  rotate: 'Rotate key', revoke: 'Revoke', reissue: 'Issue new credentials', disable: 'Disable', confirmRevoke: 'Revoked, this {what} stops working at once. Go ahead?',
  secretTitle: 'Shown this once: copy it now and keep it safe', secretKey: "Help point's api_key", clientId: 'client_id', clientSecret: 'client_secret',
  tokenUrl: 'Token URL', copy: 'Copy', copied: 'Copied', dismiss: 'I have saved it',
  deviceKinds: { drone: 'Drone', fixed_camera: 'Fixed thermal camera', camera_gateway: 'Camera gateway', weather_feed: 'Weather feed' },
  deviceStatus: { active: 'In service', revoked: 'Revoked' },
  memberStatus: { invited: 'Invited', disabled: 'Disabled' },
  roles: { patrol: 'Patrol member', station: 'Station duty officer', coordinator: 'Campaign coordinator', admin: 'Administrator' },
  importKinds: { station: 'Stations', team: 'Teams', help_point: 'Help points', hot_spot: 'Hot spots' },
  importHint: 'CSV with a header row (the id column, name, lat, lon…, named as the API fields), or a GeoJSON FeatureCollection. Check first: nothing is written unless the whole file is right.',
  file: 'File', check: 'Check', doImport: 'Import', checking: 'Checking…',
  importSummary: '{created} new, {replaced} updated, {unchanged} unchanged', dryRunNote: ' (checked only, nothing written yet)', importDone: 'Imported',
  faults: 'The file has {count} fault(s); nothing was written:',
  changeWhat: { created: 'Created', updated: 'Changed', key_issued: 'Key issued', key_revoked: 'Key revoked', imported: 'Imported' },
  changeKinds: { station: 'Station', team: 'Team', help_point: 'Help point', device: 'Device', member: 'Member', hot_spot: 'Hot spot' },
  changeColumns: { at: 'When', sub: 'Who', kind: 'What', id: 'Id', what: 'Change', fields: 'Fields' },
  more: 'Older entries',
};

export const adminWords = (locale: Locale) => (locale === 'en' ? en : zh);
export type AdminWords = typeof zh;
