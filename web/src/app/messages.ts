import type { CaseStatus, DetectionSource, Outcome, PlaceType, RiskLevel, Role } from '#shared/contract/vocabulary';
import type { LeadSource, SightingSource } from '#shared/contract/stats';

/**
 * Every word the pages show, in Simplified Chinese first and English second. The English table has the same
 * shape (the type checker says when a word is missing), so a page never shows a key instead of a word.
 */
const zh = {
  app: { unreachable: '连不上服务器，请检查网络后重试', name: '街面巡查救助', skip: '跳到主要内容', language: 'English', languageLabel: '切换到英文', signOut: '退出', loading: '加载中…', retry: '重试', close: '关闭', cancel: '取消', save: '保存', none: '无', unknown: '未知' },
  warning: { label: '气象预警', until: '至 {time}', more: '另有 {count} 条预警' },
  roles: { patrol: '巡查队员', station: '救助站值班员', coordinator: '专项行动协调人', device: '设备', admin: '管理员' } satisfies Record<Role, string>,
  pages: { coordinator: '指挥大屏', station: '救助站工作台', patrol: '巡查', admin: '目录管理', signIn: '登录' },
  signIn: {
    title: '登录', localHint: '本地演示：选择一位演示成员登录', as: '以此身份登录', cognito: '使用统一身份登录',
    signingIn: '正在登录…', failed: '登录失败', forbidden: '当前身份无权查看此页面', chooseAnother: '换一个身份',
    enrol: {
      title: '绑定身份验证器', why: '救助站、协调人和管理员账号登录时还需输入身份验证器应用（TOTP）中的动态码。请先绑定一个。',
      addSecret: '在身份验证器应用中添加此密钥：', openApp: '在本机的身份验证器应用中打开', code: '应用显示的 6 位动态码',
      confirm: '确认绑定', done: '已绑定。请重新登录，之后每次登录都要输入动态码。', signInAgain: '重新登录',
    },
  },
  risk: { red: '红色', orange: '橙色', yellow: '黄色', blue: '蓝色' } satisfies Record<RiskLevel, string>,
  status: {
    unverified: '待核实', open: '新线索', alerted: '已预警', acknowledged: '已接单', on_scene: '已到场', resolved: '已处置',
    in_station: '在站', closed: '已结案',
  } satisfies Record<CaseStatus, string>,
  outcome: {
    escorted_to_station: '护送入站', medical_handover: '移交120', declined_help: '拒绝救助', reunited_with_family: '与家人团聚',
    referred_to_police: '移交公安', not_found: '未找到', false_alarm: '误报',
  } satisfies Record<Outcome, string>,
  place: {
    street: '街道', bridge: '桥梁', culvert: '涵洞', underpass: '地下通道', construction_site: '工地', park: '公园',
    transport_hub: '交通枢纽', station_square: '站前广场', other: '其他',
  } satisfies Record<PlaceType, string>,
  source: {
    patrol: '巡查队员', public: '群众求助', coordinator: '协调人', drone_thermal: '无人机热成像', fixed_thermal: '固定热成像',
    camera_ai: '天网AI', city_management: '数字城管',
  } satisfies Record<LeadSource, string> & Record<SightingSource | DetectionSource, string>,
  ageGroup: { child: '儿童', adult: '成年人', elderly: '老人', unknown: '不详' },
  sex: { female: '女', male: '男', unknown: '不详' },
  knownPeople: {
    title: '已建档人员', possibly: '可能是已建档人员（供核对，需人工确认）', grade: { red: '红', yellow: '黄', blue: '蓝', green: '绿' },
    declined: '曾拒绝救助 {count} 次', dialect: '口音：{dialect}', lastMet: '上次见到 {time}', link: '确认是此人', linked: '已确认',
  },
  condition: {
    injured: '受伤', ill: '生病', intoxicated: '醉酒', mental_distress: '精神异常', disabled: '残疾', pregnant: '孕妇',
    unaccompanied_minor: '无人陪伴的未成年人', inadequate_clothing: '衣着单薄',
  },
  action: {
    acknowledge: '接单', dispatch: '派单', arrive: '已到场', resolve: '处置结果', intake: '入站', discharge: '离站', note: '备注', verify: '核实', merge: '合并',
  },
  timeline: {
    opened: '立案', sighting: '巡查发现', detection: '设备发现', photo: '照片', alerted: '预警', escalated: '升级', acknowledged: '接单',
    arrived: '到场', resolved: '处置', revisit_scheduled: '安排回访', revisit_due: '回访到期', search_again: '再次搜寻', intake: '入站',
    discharged: '离站', note: '备注', closed: '结案', verified: '核实', merged: '合并', triaged: '评估风险', overdue: '超时', awaiting_intake: '等待入站',
    workflow_resumed: '流程恢复', notification_failed: '通知失败', reopened: '重新打开', corroborated: '多方印证', deadline_check: '期限校正',
  } as Record<string, string>,
  thermal: {
    title: '热成像画面', alt: '{source} {device} 于 {time} 拍摄的热成像画面，框出疑似人员（置信度 {confidence}）',
    caption: '{device} · {time} · 置信度 {confidence} · 表面 {temp}°C',
  },
  timelineWords: {
    frames: '{source} {device} · {n} 帧 · {from}–{to}', oneFrame: '{source} {device} · {n} 帧 · {from}', sentTeam: '派{team}', going: '前往：{name}',
    distance: '距案件 {distance}', far: '（较远）', people: '{n} 人',
  },
  reason: {
    discharged: '离站', revisitLimit: '拒绝救助，已回访 {n} 次（达到上限）', medical: '已移交医疗救治', family: '已与家人团聚', police: '已移交公安',
    falseAlarm: '误报', notFound: '两次搜寻均未找到', noOutcome: '处置时未填写结果', expired: '设备线索在时限内无人核实、无其他印证，已关闭',
    searchAgain: '未找到：结案前再搜寻一次', seenAgain: '在刚处置过的地点再次发现', deadlineMended: '期限长于当前风险等级允许的时限，已重新评估',
  } as Record<string, string>,
  due: { arrival: '到场', outcome: '处置', intake: '入站', discharge: '离站检查', revisit: '回访' },
  caseName: { placeAt: '{place}（{lat}, {lon}）', machineLead: '设备发现的线索（{lat}, {lon}）', unnamed: '未命名地点（{lat}, {lon}）' },
  riskReason: { group: '多人', night: '夜间', air: '气温 {value}℃', surface: '体表温度 {value}℃', seenAgain: '处置后再次发现' },
  live: { connected: '实时', connecting: '连接中…', offline: '离线，正在重连' },
  time: { minutes: '分钟', minutesShort: '分', ago: '前', in: '后', overdue: '已超时' },
  coordinator: {
    title: '冬春救助 · 全市态势', wallMode: '大屏模式', sideLabel: '关键数据与图表', casesShown: '显示 {count} 件', truncated: '（只载入了最新的 {count} 件）', loadFailed: '案件载入失败',
    filters: {
      label: '筛选案件', risk: '风险等级', status: '案件状态', window: '时间范围',
      statusScope: { all: '全部', active: '在办', done: '已办结' },
      windows: { tonight: '今晚（18:00 起）', day: '最近 24 小时', week: '最近 7 天', campaign: '本次专项行动（11月15日起）' },
    },
    hotSpots: {
      open: '重点点位', title: '重点点位管理', count: '共 {count} 处', name: '名称', type: '类型', district: '区县', priority: '优先级', radius: '半径（米）',
      lat: '纬度（WGS-84）', lon: '经度（WGS-84）', high: '重点', normal: '一般', add: '添加点位', remove: '删除', removeLabel: '删除 {name}',
      importFile: '导入 GeoJSON', imported: '已导入：新增 {created} 处，更新 {replaced} 处', exportFile: '导出 GeoJSON', failed: '操作失败：{detail}',
      notJson: '文件不是有效的 JSON', added: '已添加：{name}',
    },
    coverage: {
      title: '今晚重点点位巡查', summary: '已达标 {covered} / {total}', uncovered: '未达标点位', checks: '{checks}/{target} 次', last: '最后 {time}', never: '今晚未巡查',
      coldWave: '寒潮夜：目标 +1', holiday: '节假日：目标 +1', campaignNight: '{name} 第 {night} 夜', failed: '巡查覆盖载入失败', allCovered: '全部点位已达标',
    },
    map: {
      title: '案件地图', label: '案件地图：圆点颜色表示风险等级，同样的案件见案件列表', zoomIn: '放大', zoomOut: '缩小',
      outlineFailed: '区划边界载入失败', legend: '图例', attention: '已升级或超时', settled: '已处置', hotSpot: '重点点位', cluster: '此处 {count} 件案件，放大查看',
      covered: '点位已达标', partial: '点位未达标', unchecked: '点位未巡查', team: '巡查队伍', noPosition: '暂无位置', teamStale: '队伍位置已过时（5 分钟以上）', teamAt: '{name} · {age}',
    },
    list: {
      title: '案件列表', caption: '{count} 件案件，按{order}排序', byRisk: '风险和时间', byTime: '立案时间', more: '只列出前 {count} 件，导出可得全部',
      risk: '风险', status: '状态', place: '地点', opened: '立案时间', waiting: '预警 / 待办', team: '队伍', reports: '报告数', open: '详情',
      empty: '当前筛选下没有案件', rung: '第 {rung} 次升级', openCase: '详情：{risk} · {place} · {time}',
    },
    figures: {
      title: '关键数据', missing: '统计接口尚未上线，稍后自动重试', failed: '统计载入失败', openRed: '未处置红色案件', opened: '新立案',
      toAcknowledged: '立案到接单', toResolved: '立案到处置', duration: '中位 {median} · 90% {p90}（{count} 件）', sources: '线索与报告来源',
      source: '来源', leads: '立案线索', reports: '报告', total: '合计', outcomes: '处置结果', outcome: '结果', cases: '件数', updated: '{time} 更新',
    },
    charts: {
      night: '今晚每小时新立案（按风险）', campaign: '专项行动以来每日情况', hour: '时段', day: '日期', opened: '新立案', reports: '报告',
      sightings: '巡查发现', detections: '设备发现',
    },
    feed: { title: '预警与升级', announce: '播报新预警', empty: '暂无新的预警或升级', asked: '通知：{who}', by: '操作：{who}' },
    detail: {
      title: '案件详情', failed: '案件详情载入失败', risk: '风险', status: '状态', place: '地点', people: '人员', noPeople: '人数不详（设备发现）',
      peopleCount: '{count} 人：{who}', person: '{age}（{conditions}）', separator: '、', reports: '报告', reportCounts: '巡查 {sightings} 次 · 设备 {detections} 次', opened: '立案时间',
      alert: '预警对象', deadline: '接单期限', due: '待办', overdue: '已超时 {count} 次', team: '负责队伍', outcome: '处置结果', timeline: '时间线',
      photos: '照片', noPhotos: '暂无照片', photoAlt: '现场照片，{time}，{who} 拍摄', notes: '巡查记录', noNotes: '暂无记录',
      notifications: '通知', noNotifications: '暂无通知', sent: '时间', kind: '类型', to: '对象', delivery: '送达', attempts: '已尝试 {count} 次',
      merged: '已与「{place}」合并为一案',
    },
    notificationKind: { alert: '预警', escalation: '升级', dispatch: '派单', overdue: '超时', risk_raised: '风险升高', revisit: '回访', reminder: '提醒', stood_down: '无需前往', warning: '气象预警', coverage: '巡查提醒', supplies: '物资预警', family_search: '寻亲', care: '在站照护' },
    delivery: { pending: '发送中', delivered: '已送达', failed: '发送失败' },
    export: {
      csv: '导出 CSV', geojson: '导出 GeoJSON', label: '导出当前显示的 {count} 件案件', report: '夜间日报 PDF', reportCsv: '日报 CSV', reportFailed: '日报生成失败：{detail}',
      notRecorded: '未能登记本次导出，未生成文件：{detail}',
      columns: {
        caseId: '案件编号', placeName: '地点', placeTypeName: '地点类型', riskName: '风险等级', statusName: '状态', lat: '纬度（WGS-84）',
        lon: '经度（WGS-84）', openedAt: '立案时间', acknowledgedAt: '接单时间', resolvedAt: '处置时间', outcomeName: '处置结果',
        sightingCount: '巡查发现次数', detectionCount: '设备发现次数', team: '负责队伍或人员',
      },
    },
  },
  patrol: {
    shift: {
      start: '开始巡查（上班）', end: '结束巡查（下班）', on: '巡查中：本队位置自动上报', off: '未在巡查：位置不上报', queued: '{count} 个位置待发送',
      denied: '无法取得定位，位置不上报：请允许本页使用定位', lastSent: '{time} 已上报',
    },
    checkIn: {
      title: '重点点位打卡', near: '{distance}', none: '附近没有重点点位', nobody: '已查看，无人', peopleFound: '发现人员，上报',
      done: '已打卡：{name}', queuedDone: '已保存打卡：{name}（有信号后发送）', noFix: '等待定位…', photo: '拍照打卡',
      photoNotSent: '无信号，照片未能上传：已保存不带照片的打卡：{name}',
    },
    heading: '巡查队员',
    offline: '无信号：上报和操作先保存在本机，有信号后自动发送',
    storageError: '本机无法保存上报（存储不可用）：{detail}',
    signOut: {
      title: '退出前', sending: '正在发送本机的 {n} 条记录…', waiting: '还有 {n} 条上报或操作没有发送出去。', failed: '{n} 条被服务器拒绝，尚未处理。',
      kept: '退出后它们仍保存在这部手机上，只属于你：你再次登录时自动发送；其他队员登录既看不到也不会代发。', stay: '留下处理', signOutAnyway: '仍然退出',
    },
    outbox: {
      othersUnsent: '本机另有其他队员的 {n} 条记录待发送，需其本人登录后发送',
      label: '发送状态', pending: '{n} 条待发送', pendingOffline: '{n} 条待发送（离线）', failed: '{n} 条发送失败', allSent: '全部已发送',
      sending: '正在发送…', reading: '正在读取本机待发送…',
    },
    report: {
      open: '上报发现', title: '上报发现', place: '地点类型', placeName: '地点名称（可选）', placeNameHint: '如：八一大桥北引桥下',
      people: '人数', fewer: '减少一人', more: '增加一人', ageGroup: '年龄段（所有人）', conditions: '风险情况（所有人）',
      note: '补充说明（可选，可用语音输入）', photos: '照片（可选）', takePhoto: '拍照', photoN: '第 {n} 张照片', removePhoto: '删除第 {n} 张照片',
      take: '我来处置（本队接单）', preparingPhotos: '正在处理照片…', photoUnreadable: '有 {n} 张照片无法读取，已跳过', submit: '上报', needPlace: '请选择地点类型',
      needLocation: '上报需要位置：请重新定位、使用上次位置，或手动选择位置', placedNote: '（位置为手动填写：{label}，未经定位）', saveFailed: '无法保存到本机：{detail}',
    },
    position: {
      heading: '位置', locating: '正在定位…', fixed: '已定位，精度约 {m} 米', denied: '定位权限被拒绝：请在浏览器设置中允许本站定位',
      unavailable: '暂时无法获取位置', timeout: '定位超时（15 秒）', unsupported: '此设备不支持定位', retry: '重新定位',
      useLast: '使用上次位置（{age}，约 {m} 米）', usingLast: '使用上次位置：{age}定位，精度约 {m} 米',
      byHand: '手动选择位置', byHandHint: '定位不到（涵洞、桥下、地下通道）时，选一个重点点位，或填写地址和所在区县。站里会看到这是手动填写的位置。',
      hotSpot: '重点点位（离上次定位最近的在前）', useHotSpot: '按此点位上报', address: '地址或地标', addressHint: '如：抚河北路与中山路交叉口东南角',
      district: '所在区县', chooseDistrict: '请选择区县', useAddress: '按此地址上报', placed: '手动位置：{label}，误差约 {m} 米',
    },
    queue: {
      heading: '待发送', waiting: '等待信号', waitingUntil: '等待信号，{time} 再试', sending: '正在发送…', photosPending: '已上报，照片 {done}/{total} 发送中',
      failed: '发送失败：{detail}', retry: '重新发送', remove: '删除', removeConfirm: '删除后这条记录不会再发送，确定删除？',
      sighting: '{place} · {people} 人', action: '{action} · 案件 {caseId}',
    },
    recent: {
      heading: '我最近的上报', empty: '24 小时内没有已发送的上报', caseId: '案件 {caseId}', created: '新案件', joined: '并入已有案件',
      photos: '照片 {n} 张', sentAt: '{time} 已发送', take: '我来处置', taken: '本队已接单', takenByOther: '未能接单：{detail}',
    },
    cases: {
      heading: '本队任务', loading: '正在加载本队任务…', empty: '本队暂无待处理的案件', cached: '无信号：显示 {time} 的列表',
      resolved: '已处置（{n}）', distanceM: '{n} 米', distanceKm: '{n} 公里', noDistance: '距离未知', ackDeadline: '接单截止', dueDeadline: '{due}截止',
      overdue: '{label}：已超时（{rel}）', countdown: '{label}：{rel}', queued: '待发送：{action}', failed: '{action}失败：{detail}',
      noTeam: '你的账号没有所属巡查队，看不到本队任务', offlineEmpty: '无信号，暂时无法加载本队任务',
      untaken: '本站辖区待接（{n}）', elsewhere: '其他队伍处置中（{n}）', summaryOnly: '尚无人接单：接单后可查看人员与记录',
    },
    sheet: {
      title: '案件详情', offline: '无信号：只显示本机保存的概要', escalated: '已升级（第 {rung} 次）', navigate: '导航到现场',
      apps: { amap: '高德地图导航', baidu: '百度地图导航', geo: '其他地图' }, people: '人员', noPeople: '人数不详（设备发现）',
      whyRisk: '风险因素：', notes: '记录', noNotes: '暂无记录', photos: '照片', noPhotos: '暂无照片', photoAlt: '现场照片，{time}',
      open: '查看详情：{name}',
    },
    arrive: {
      title: '确认到场', confirm: '确认到场', distance: '距案件位置 {distance}', confirmFar: '仍然确认到场',
      far: '你距案件位置 {distance}，超过 {limit}。是否点错了案件，或定位还没更新？确认无误再点一次，时间线会记下这个距离。',
    },
    resolve: {
      title: '处置结果', outcome: '处置结果', handoverTo: '接收方（120 急救人员或医院、姓名）', handoverPlace: '移交地点（可选）',
      handedOver: '已发放物资', note: '备注（可选）', confirm: '提交处置结果', needOutcome: '请选择处置结果', needHandover: '移交120 需填写接收方',
    },
    supplies: { quilt: '棉被', coat: '棉衣', hot_food: '热食', gloves: '手套' },
  },
  station: {
    files: {
      title: '在站人员（一人一档）', empty: '站内暂无建档人员', care: { general: '一般照护', special: '特殊照护', medical: '医疗照护' },
      grade: { red: '红', yellow: '黄', blue: '蓝', green: '绿' }, since: '{time} 入站', nextCheck: '下次查房 {time}', checkOverdue: '查房已超时（应于 {time}）',
      search: { not_started: '', due: '寻亲公告须于 {time} 前发布', overdue: '寻亲公告已逾期（应于 {time}）', published: '寻亲公告已发布', not_needed: '身份已查明' },
      check: '登记查房', publish: '发布寻亲公告', print: '打印公告', failed: '操作失败：{detail}', longStay: '在站超过10日',
      ruleReasons: { aged_70_or_over: '70岁以上', found_outside: '曾在户外被发现', found_outside_often: '30日内多次在户外被发现', declined_help: '曾拒绝救助', declined_help_repeatedly: '多次拒绝救助' },
      open: '查看档案', followUps: '待回访', followUpDue: '第 {number} 次回访 {time}', followUpReason: { declined_help: '曾拒绝救助', left_station: '离站后' },
      record: '登记回访结果', outcome: { seen_well: '见到，情况良好', seen_needs_help: '见到，仍需帮助', not_found: '未见到本人', back_in_care: '已重新入站' },
      file: {
        title: '个人档案', details: '基本信息', age: '约 {age} 岁', dialect: '口音：{dialect}', features: '体貌特征', clothing: '衣着', photos: '照片（经本人同意）',
        grade: '分级', gradeSet: '由本站调整：{reason}', gradeRules: '按规则', setGrade: '调整分级', reason: '原因', care: '照护', careLevel: '照护级别', setCare: '调整照护级别',
        checks: '查房记录', noChecks: '尚无查房记录', referral: '转介就医', referralTo: '转至', addReferral: '登记转介',
        search: '寻亲', dna: 'DNA 采样：须于 {time} 前', dnaRequested: '已申请采样 {time}', dnaSampled: '已采样 {time}', requestDna: '已联系公安申请采样', sampledDna: '已完成采样',
        longTerm: '满10日：{time}', longTermFlagged: '已满10日身份未明，应转入长期安置', approve: '站长审批寻亲公告', approved: '站长已审批 {time}', withPhoto: '可公布照片',
        identify: '身份已查明', name: '姓名', discharge: '离站', dischargeReason: '离站原因',
        dischargeReasons: { returned_home: '返家', reunited_with_family: '亲属接回', long_term_care: '转入长期安置', hospital: '转送医院', left_of_own_will: '自愿离站', other: '其他' },
        encounters: '经历', encounterKind: { met: '巡查遇见', declined_help: '拒绝救助', intake: '入站', linked: '关联' }, case: '案件尾号 {tail}',
        submit: '确定', minor: '未成年人',
      },
    },
    supplies: {
      title: '物资储备', kind: '物资', stock: '现有', target: '需储备', short: '缺口', count: '清点', save: '保存清点结果', notCounted: '尚未清点',
      coldWave: '寒潮预警生效：储备目标已上调', people: '在站 {count} 人', counted: '{time} 清点', failed: '保存失败：{detail}',
      kinds: { quilts: '棉被', cotton_coats: '棉衣', hot_meals: '热食（份）', medicine_kits: '常用药包' },
    },
    heading: '救助站工作台',
    summary: { label: '当前概况', incoming: '待处理', escalated: '已升级', inHand: '处置中', arriving: '护送途中', inStation: '在站人员' },
    columns: { incoming: '待处理线索', inHand: '处置中', arriving: '护送入站途中', inStation: '在站人员' },
    empty: { incoming: '没有待处理的线索', inHand: '没有处置中的案件', arriving: '没有正在护送入站的人员', inStation: '站内暂无人员' },
    loadFailed: '加载案件失败：{detail}',
    countdown: { left: '还剩 {time}', over: '已超时 {time}' },
    duration: { minutes: '{minutes} 分钟', hoursMinutes: '{hours} 小时 {minutes} 分钟', daysHours: '{days} 天 {hours} 小时' },
    deadline: { alert: '接单期限', due: '{kind}期限' },
    escalated: '已升级', waitingForDesk: '待本台处理', overdue: '已超时', rung: '第 {rung} 次升级',
    alertedTo: '已通知 {target}', targetKind: { team: '巡查队', station: '救助站', coordinator: '协调人' },
    assignedTeam: '负责队伍：{team}', assignee: '前往人员：{name}', unknownTeam: '未登记的队伍', opened: '立案 {time}', lastSeen: '最后发现 {time}',
    confidence: '置信度 {percent}%',
    unverifiedHint: '机器线索，核实后才能接单、派单', caseLabel: '{risk} · {place} · {status}',
    merge: { offer: '可能与「{place}」（尾号 {tail}，相距 {distance}）为同一处', button: '合并为一案' },
    openDetail: '查看详情', announce: '{action}：{place}',
    people: { count: '{count} 人', none: '无人员信息', person: '{ageGroup} · {sex}', separator: '、' },
    dispatch: {
      title: '派单：谁去现场', teams: '队伍', self: '本站自行处置', assignee: '前往人员姓名', assigneeHint: '如：刘值班、王护士', onDuty: '在岗', offDuty: '不在岗', distance: '{km} 公里', noLocation: '位置未知',
      nearest: '最近', teamsLoading: '正在加载队伍…', teamsFailed: '无法加载队伍名单：{detail}', teamId: '队伍编号', teamIdHint: '例如 team-01',
      noTeams: '没有可派的队伍', forCase: '案件：{place}',
    },
    inStation: { since: '入站 {time}', stayed: '已在站 {duration}', dischargeCheck: '离站检查', otherStation: '其他救助站' },
    intake: { title: '入站登记：谁进站了', count: '人数', ageGroup: '年龄段', sex: '性别' },
    discharge: {
      title: '离站登记', reason: '离站原因', choose: '请选择', other: '其他（在下方填写）', detail: '补充说明',
      reasons: { home: '返家', family: '亲属接回', hospital: '转送医院', referral: '转介其他机构', voluntary: '自愿离站' },
      required: '请选择离站原因或填写说明',
    },
    detail: {
      title: '案件详情', failed: '无法加载案件详情：{detail}', riskReasons: '风险因素', place: '地点', people: '人员', alert: '预警',
      due: '当前期限', team: '负责队伍', notes: '备注', photos: '照片', photoAlt: '现场照片，{time} 拍摄', timeline: '时间线',
      noteLabel: '添加备注', noteRequired: '请填写备注内容', noPhotos: '暂无照片', noNotes: '暂无备注', coordinates: '坐标',
      station: '所在救助站', outcome: '处置结果', reports: '巡查 {sightings} 次 · 设备 {detections} 次',
    },
  },
} ;

export type Messages = typeof zh;
type Shape<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends Record<string, string> ? Record<keyof T[K], string> : Shape<T[K]> };

const en: Shape<Messages> = {
  app: { unreachable: 'Cannot reach the server; check the network and try again', name: 'Street rescue patrol', skip: 'Skip to main content', language: '中文', languageLabel: 'Switch to Chinese', signOut: 'Sign out', loading: 'Loading…', retry: 'Retry', close: 'Close', cancel: 'Cancel', save: 'Save', none: 'None', unknown: 'Unknown' },
  warning: { label: 'Weather warning', until: 'until {time}', more: '{count} more warnings' },
  roles: { patrol: 'Patrol member', station: 'Station duty officer', coordinator: 'Campaign coordinator', device: 'Device', admin: 'Administrator' },
  pages: { coordinator: 'Coordinator wall', station: 'Station desk', patrol: 'Patrol', admin: 'Directory', signIn: 'Sign in' },
  signIn: {
    title: 'Sign in', localHint: 'Local demo: choose a demo member to sign in as', as: 'Sign in as', cognito: 'Sign in with your account',
    enrol: {
      title: 'Add an authenticator app', why: 'Station, coordinator and admin accounts also give a code from an authenticator app (TOTP) when they sign in. Add one first.',
      addSecret: 'Add this key in your authenticator app:', openApp: 'Open it in the authenticator app on this device', code: 'The 6-digit code the app shows',
      confirm: 'Confirm', done: 'Added. Sign in again; from now on you will give the app\'s code each time.', signInAgain: 'Sign in again',
    },
    signingIn: 'Signing in…', failed: 'Sign-in failed', forbidden: 'This role may not see this page', chooseAnother: 'Choose another role',
  },
  risk: { red: 'Red', orange: 'Orange', yellow: 'Yellow', blue: 'Blue' },
  status: {
    unverified: 'Unverified', open: 'New lead', alerted: 'Alerted', acknowledged: 'Acknowledged', on_scene: 'On scene', resolved: 'Resolved',
    in_station: 'In station', closed: 'Closed',
  },
  outcome: {
    escorted_to_station: 'Escorted to station', medical_handover: 'Medical handover (120)', declined_help: 'Declined help',
    reunited_with_family: 'Reunited with family', referred_to_police: 'Referred to police', not_found: 'Not found', false_alarm: 'False alarm',
  },
  place: {
    street: 'Street', bridge: 'Bridge', culvert: 'Culvert', underpass: 'Underpass', construction_site: 'Construction site', park: 'Park',
    transport_hub: 'Transport hub', station_square: 'Station square', other: 'Other',
  },
  source: {
    patrol: 'Patrol', public: 'Public (help point)', coordinator: 'Coordinator', drone_thermal: 'Drone thermal', fixed_thermal: 'Fixed thermal',
    camera_ai: 'Camera AI', city_management: 'City management',
  },
  ageGroup: { child: 'Child', adult: 'Adult', elderly: 'Elderly', unknown: 'Unknown' },
  sex: { female: 'Female', male: 'Male', unknown: 'Unknown' },
  knownPeople: {
    title: 'People with a file', possibly: 'Possibly known (a suggestion: confirm before linking)', grade: { red: 'Red', yellow: 'Yellow', blue: 'Blue', green: 'Green' },
    declined: 'declined help {count} times', dialect: 'speaks {dialect}', lastMet: 'last met {time}', link: 'This is them', linked: 'Linked',
  },
  condition: {
    injured: 'Injured', ill: 'Ill', intoxicated: 'Intoxicated', mental_distress: 'Mental distress', disabled: 'Disabled', pregnant: 'Pregnant',
    unaccompanied_minor: 'Unaccompanied minor', inadequate_clothing: 'Inadequate clothing',
  },
  action: {
    acknowledge: 'Acknowledge', dispatch: 'Dispatch', arrive: 'Arrived', resolve: 'Outcome', intake: 'Intake', discharge: 'Discharge', note: 'Note', verify: 'Verify', merge: 'Merge',
  },
  timeline: {
    opened: 'Opened', sighting: 'Sighting', detection: 'Detection', photo: 'Photo', alerted: 'Alerted', escalated: 'Escalated',
    acknowledged: 'Acknowledged', arrived: 'Arrived', resolved: 'Resolved', revisit_scheduled: 'Revisit scheduled', revisit_due: 'Revisit due',
    search_again: 'Search again', intake: 'Intake', discharged: 'Discharged', note: 'Note', closed: 'Closed', verified: 'Verified', merged: 'Merged',
    triaged: 'Risk graded', overdue: 'Overdue', awaiting_intake: 'Awaiting intake', workflow_resumed: 'Workflow resumed',
    notification_failed: 'Notification failed', reopened: 'Reopened', corroborated: 'Corroborated', deadline_check: 'Deadline corrected',
  },
  thermal: {
    title: 'Thermal frames', alt: 'Thermal frame from {source} {device} at {time}, the likely person boxed (confidence {confidence})',
    caption: '{device} · {time} · confidence {confidence} · surface {temp} °C',
  },
  timelineWords: {
    frames: '{source} {device} · {n} frames · {from}–{to}', oneFrame: '{source} {device} · {n} frame(s) · {from}', sentTeam: 'sent {team}', going: 'going: {name}',
    distance: '{distance} from the case', far: ' (far)', people: '{n} people',
  },
  reason: {
    discharged: 'Discharged', revisitLimit: 'Declined help; visited again {n} times (the limit)', medical: 'Handed over to medical care', family: 'Reunited with family',
    police: 'Referred to the police', falseAlarm: 'False alarm', notFound: 'Not found after a second search', noOutcome: 'Resolved without an outcome',
    expired: 'Machine lead nobody checked or corroborated in time: closed', searchAgain: 'Not found: one more search before closing',
    seenAgain: 'Seen again where a case was just resolved', deadlineMended: 'Deadline longer than the risk allows: graded again',
  },
  due: { arrival: 'arrival', outcome: 'outcome', intake: 'intake', discharge: 'discharge check', revisit: 'revisit' },
  caseName: { placeAt: '{place} ({lat}, {lon})', machineLead: 'Lead from a device ({lat}, {lon})', unnamed: 'Unnamed place ({lat}, {lon})' },
  riskReason: { group: 'Group', night: 'Night', air: 'Air {value}°C', surface: 'Body surface {value}°C', seenAgain: 'Seen again after being helped' },
  live: { connected: 'Live', connecting: 'Connecting…', offline: 'Offline, reconnecting' },
  time: { minutes: 'minutes', minutesShort: 'min', ago: 'ago', in: 'in', overdue: 'overdue' },
  coordinator: {
    title: 'Winter campaign wall', wallMode: 'Wall mode', sideLabel: 'Key figures and charts', casesShown: '{count} cases shown', truncated: '(only the newest {count} loaded)', loadFailed: 'Could not load the cases',
    filters: {
      label: 'Filter cases', risk: 'Risk', status: 'Status', window: 'Time',
      statusScope: { all: 'All', active: 'Active', done: 'Done' },
      windows: { tonight: 'Tonight (from 18:00)', day: 'Last 24 hours', week: 'Last 7 days', campaign: 'Campaign (from 15 Nov)' },
    },
    hotSpots: {
      open: 'Hot spots', title: 'Hot spots', count: '{count} in all', name: 'Name', type: 'Type', district: 'District', priority: 'Priority', radius: 'Radius (m)',
      lat: 'Latitude (WGS-84)', lon: 'Longitude (WGS-84)', high: 'High', normal: 'Normal', add: 'Add hot spot', remove: 'Remove', removeLabel: 'Remove {name}',
      importFile: 'Import GeoJSON', imported: 'Imported: {created} new, {replaced} updated', exportFile: 'Export GeoJSON', failed: 'Failed: {detail}',
      notJson: 'The file is not valid JSON', added: 'Added: {name}',
    },
    coverage: {
      title: "Tonight's hot spot patrols", summary: '{covered} of {total} covered', uncovered: 'Short of target', checks: '{checks}/{target} checks', last: 'last {time}', never: 'not checked tonight',
      coldWave: 'Cold-wave night: target +1', holiday: 'Holiday night: target +1', campaignNight: '{name}, night {night}', failed: 'Could not load the coverage', allCovered: 'Every hot spot covered',
    },
    map: {
      title: 'Case map', label: 'Case map: dot colour is the risk; the case list has the same cases', zoomIn: 'Zoom in', zoomOut: 'Zoom out',
      outlineFailed: 'Could not load the district outlines', legend: 'Legend', attention: 'Escalated or overdue', settled: 'Resolved', hotSpot: 'Hot spot', cluster: '{count} cases here: zoom in',
      covered: 'Hot spot covered', partial: 'Hot spot short of target', unchecked: 'Hot spot unchecked', team: 'Patrol team', noPosition: 'no position yet', teamStale: 'Team position stale (over 5 minutes)', teamAt: '{name} · {age}',
    },
    list: {
      title: 'Cases', caption: '{count} cases, sorted by {order}', byRisk: 'risk and time', byTime: 'time opened', more: 'Only the first {count} are listed; the exports have them all',
      risk: 'Risk', status: 'Status', place: 'Place', opened: 'Opened', waiting: 'Alert / next step', team: 'Team', reports: 'Reports', open: 'Details',
      empty: 'No cases match the filters', rung: 'Escalated ×{rung}', openCase: 'Details: {risk} · {place} · {time}',
    },
    figures: {
      title: 'Key figures', missing: 'The statistics service is not available yet; retrying shortly', failed: 'Could not load the figures', openRed: 'Red cases open', opened: 'Cases opened',
      toAcknowledged: 'Opened → acknowledged', toResolved: 'Opened → resolved', duration: 'median {median} · p90 {p90} ({count} cases)', sources: 'Leads and reports by source',
      source: 'Source', leads: 'Leads', reports: 'Reports', total: 'Total', outcomes: 'Outcomes', outcome: 'Outcome', cases: 'Cases', updated: 'Updated {time}',
    },
    charts: {
      night: 'Tonight: cases opened per hour, by risk', campaign: 'The campaign, day by day', hour: 'Hour', day: 'Day', opened: 'Cases opened', reports: 'Reports',
      sightings: 'Sightings', detections: 'Detections',
    },
    feed: { title: 'Alerts and escalations', announce: 'Announce new alerts', empty: 'No alerts or escalations yet', asked: 'Asked: {who}', by: 'By: {who}' },
    detail: {
      title: 'Case detail', failed: 'Could not load the case', risk: 'Risk', status: 'Status', place: 'Place', people: 'People', noPeople: 'Not known (machine lead)',
      peopleCount: '{count}: {who}', person: '{age} ({conditions})', separator: ', ', reports: 'Reports', reportCounts: '{sightings} sightings · {detections} detections', opened: 'Opened',
      alert: 'Alert to', deadline: 'acknowledge by', due: 'Next step', overdue: '{count} deadline(s) missed', team: 'Team', outcome: 'Outcome', timeline: 'Timeline',
      photos: 'Photos', noPhotos: 'No photos', photoAlt: 'Photo from the scene, {time}, by {who}', notes: 'Patrol notes', noNotes: 'No notes',
      notifications: 'Notifications', noNotifications: 'No notifications', sent: 'Time', kind: 'Kind', to: 'To', delivery: 'Delivery', attempts: '{count} attempt(s)',
      merged: 'Merged with “{place}” into one case',
    },
    notificationKind: { alert: 'Alert', escalation: 'Escalation', dispatch: 'Dispatch', overdue: 'Overdue', risk_raised: 'Risk raised', revisit: 'Revisit', reminder: 'Reminder', stood_down: 'Stood down', warning: 'Weather warning', coverage: 'Patrol reminder', supplies: 'Supplies short', family_search: 'Family search', care: 'Care in the station' },
    delivery: { pending: 'Sending', delivered: 'Delivered', failed: 'Failed' },
    export: {
      csv: 'Export CSV', geojson: 'Export GeoJSON', label: 'Export the {count} cases shown', report: "Night's report PDF", reportCsv: 'Report CSV', reportFailed: 'The report could not be made: {detail}',
      notRecorded: 'The export could not be recorded, so no file was made: {detail}',
      columns: {
        caseId: 'Case number', placeName: 'Place', placeTypeName: 'Place type', riskName: 'Risk', statusName: 'Status', lat: 'Latitude (WGS-84)',
        lon: 'Longitude (WGS-84)', openedAt: 'Opened', acknowledgedAt: 'Acknowledged', resolvedAt: 'Resolved', outcomeName: 'Outcome',
        sightingCount: 'Sightings', detectionCount: 'Detections', team: 'Team or person sent',
      },
    },
  },
  patrol: {
    shift: {
      start: 'Start patrol (on shift)', end: 'End patrol (off shift)', on: "On patrol: the team's position is sent", off: 'Not on patrol: no position is sent', queued: '{count} positions waiting to be sent',
      denied: 'No position: allow this page to use the location', lastSent: 'sent {time}',
    },
    checkIn: {
      title: 'Hot spot check-in', near: '{distance}', none: 'No hot spot nearby', nobody: 'Checked: nobody', peopleFound: 'People found: report',
      done: 'Checked in: {name}', queuedDone: 'Check-in kept: {name} (sent when there is signal)', noFix: 'Waiting for a position…', photo: 'Check in with a photo',
      photoNotSent: 'No signal for the photo: the check-in is kept without it: {name}',
    },
    heading: 'Patrol member',
    offline: 'No signal: reports and actions are kept on this phone and sent when the signal is back',
    storageError: 'This phone cannot keep reports (storage unavailable): {detail}',
    signOut: {
      title: 'Before you sign out', sending: 'Sending the {n} item(s) kept on this phone…', waiting: '{n} report(s) or action(s) have not been sent yet.', failed: '{n} were refused by the server and not dealt with.',
      kept: 'They stay on this phone and remain yours: they are sent when you sign in again; another member signing in neither sees nor sends them.', stay: 'Stay and deal with them', signOutAnyway: 'Sign out anyway',
    },
    outbox: {
      othersUnsent: '{n} item(s) of another member are waiting on this phone; they are sent when that member signs in',
      label: 'Sending status', pending: '{n} waiting to send', pendingOffline: '{n} waiting to send (offline)', failed: '{n} failed to send', allSent: 'All sent',
      sending: 'Sending…', reading: 'Reading the reports kept on this phone…',
    },
    report: {
      open: 'Report a sighting', title: 'Report a sighting', place: 'Place', placeName: 'Place name (optional)', placeNameHint: 'e.g. under the north ramp of Bayi Bridge',
      people: 'People', fewer: 'One person fewer', more: 'One person more', ageGroup: 'Age group (everyone)', conditions: 'Risk conditions (everyone)',
      note: 'Note (optional, voice input works)', photos: 'Photos (optional)', takePhoto: 'Take a photo', photoN: 'Photo {n}', removePhoto: 'Remove photo {n}',
      take: "I'll handle it (my team takes it)", preparingPhotos: 'Preparing photos…', photoUnreadable: '{n} photo(s) could not be read and were skipped', submit: 'Send report', needPlace: 'Choose the place',
      needLocation: 'A report needs a position: locate again, use the last known position, or place it by hand', placedNote: '(Position given by hand: {label}; not located)', saveFailed: 'Could not keep the report on this phone: {detail}',
    },
    position: {
      heading: 'Position', locating: 'Locating…', fixed: 'Located, accurate to about {m} m', denied: 'Location permission denied: allow this site to use your location in the browser settings',
      unavailable: 'The position is unavailable for now', timeout: 'Locating timed out (15 s)', unsupported: 'This device cannot locate itself', retry: 'Locate again',
      useLast: 'Use the last position ({age}, about {m} m)', usingLast: 'Using the last position: located {age}, accurate to about {m} m',
      byHand: 'Place it by hand', byHandHint: 'No fix (culvert, under a bridge, underpass)? Choose a known hot spot, or type an address and its district. The station sees that the position was given by hand.',
      hotSpot: 'Hot spot (nearest the last fix first)', useHotSpot: 'Report at this hot spot', address: 'Address or landmark', addressHint: 'e.g. south-east corner of Fuhe North Rd and Zhongshan Rd',
      district: 'District', chooseDistrict: 'Choose the district', useAddress: 'Report at this address', placed: 'Placed by hand: {label}, within about {m} m',
    },
    queue: {
      heading: 'Waiting to send', waiting: 'Waiting for signal', waitingUntil: 'Waiting for signal, next try {time}', sending: 'Sending…', photosPending: 'Reported; sending photos {done}/{total}',
      failed: 'Not sent: {detail}', retry: 'Send again', remove: 'Delete', removeConfirm: 'Once deleted this will never be sent. Delete it?',
      sighting: '{place} · {people} people', action: '{action} · case {caseId}',
    },
    recent: {
      heading: 'My recent reports', empty: 'No reports sent in the last 24 hours', caseId: 'Case {caseId}', created: 'new case', joined: 'joined a case',
      photos: '{n} photo(s)', sentAt: 'sent {time}', take: "I'll handle it", taken: 'Taken by my team', takenByOther: 'Not taken: {detail}',
    },
    cases: {
      heading: "Team's cases", loading: "Loading the team's cases…", empty: 'No open cases for the team', cached: 'No signal: the list as of {time}',
      resolved: 'Resolved ({n})', distanceM: '{n} m', distanceKm: '{n} km', noDistance: 'distance unknown', ackDeadline: 'Acknowledge by', dueDeadline: '{due} due',
      overdue: '{label}: overdue ({rel})', countdown: '{label}: {rel}', queued: 'Waiting to send: {action}', failed: '{action} failed: {detail}',
      noTeam: 'Your account belongs to no patrol team, so there are no team cases', offlineEmpty: "No signal: the team's cases cannot be loaded yet",
      untaken: "Not yet taken in the station's area ({n})", elsewhere: 'Taken by another team ({n})', summaryOnly: 'Nobody has taken this yet: take it to see who is there and the notes',
    },
    sheet: {
      title: 'Case', offline: 'No signal: only the summary kept on this phone', escalated: 'Escalated ({rung})', navigate: 'Navigate to the place',
      apps: { amap: 'Navigate with AMap', baidu: 'Navigate with Baidu Maps', geo: 'Other map app' }, people: 'People', noPeople: 'Not known (machine lead)',
      whyRisk: 'Risk factors: ', notes: 'Notes', noNotes: 'No notes', photos: 'Photos', noPhotos: 'No photos', photoAlt: 'Photo from the scene, {time}',
      open: 'Details: {name}',
    },
    arrive: {
      title: 'Confirm arrival', confirm: 'Confirm arrival', distance: '{distance} from the case', confirmFar: 'Confirm arrival anyway',
      far: 'You are {distance} from the case, more than {limit}. Wrong case, or a stale position? If it is right, press again: the timeline keeps the distance.',
    },
    resolve: {
      title: 'Outcome', outcome: 'Outcome', handoverTo: 'Handed over to (ambulance crew or hospital, a name)', handoverPlace: 'Where (optional)',
      handedOver: 'Supplies handed over', note: 'Note (optional)', confirm: 'Record the outcome', needOutcome: 'Choose an outcome', needHandover: 'A medical handover needs who took the person',
    },
    supplies: { quilt: 'Quilt', coat: 'Coat', hot_food: 'Hot food', gloves: 'Gloves' },
  },
  station: {
    files: {
      title: 'People in the station (files)', empty: 'Nobody with a file in the station', care: { general: 'General care', special: 'Special care', medical: 'Medical care' },
      grade: { red: 'Red', yellow: 'Yellow', blue: 'Blue', green: 'Green' }, since: 'in since {time}', nextCheck: 'next check {time}', checkOverdue: 'check overdue (due {time})',
      search: { not_started: '', due: 'family-search notice due by {time}', overdue: 'family-search notice overdue (due {time})', published: 'family-search notice published', not_needed: 'identified' },
      check: 'Record a check', publish: 'Publish notice', print: 'Print notice', failed: 'Could not do it: {detail}', longStay: 'in over 10 days',
      ruleReasons: { aged_70_or_over: '70 or over', found_outside: 'found outside', found_outside_often: 'found outside often (30 days)', declined_help: 'declined help', declined_help_repeatedly: 'declined help repeatedly' },
      open: 'Open the file', followUps: 'Follow-ups due', followUpDue: 'follow-up {number} due {time}', followUpReason: { declined_help: 'declined help', left_station: 'left the station' },
      record: 'Record the follow-up', outcome: { seen_well: 'Seen, doing well', seen_needs_help: 'Seen, still needs help', not_found: 'Not found', back_in_care: 'Back in care' },
      file: {
        title: "Person's file", details: 'Details', age: 'about {age}', dialect: 'speaks {dialect}', features: 'Features', clothing: 'Clothing', photos: 'Photos (with consent)',
        grade: 'Grade', gradeSet: 'set by the station: {reason}', gradeRules: 'by the rules', setGrade: 'Set the grade', reason: 'Reason', care: 'Care', careLevel: 'Care level', setCare: 'Set the care level',
        checks: 'Checks', noChecks: 'No checks yet', referral: 'Medical referral', referralTo: 'To', addReferral: 'Record the referral',
        search: 'Family search', dna: 'DNA sample due by {time}', dnaRequested: 'sample requested {time}', dnaSampled: 'sampled {time}', requestDna: 'Police asked for a sample', sampledDna: 'Sample taken',
        longTerm: '10-day mark: {time}', longTermFlagged: 'Ten days unidentified: move to longer-term care', approve: "Chief's approval of the notice", approved: 'approved by the chief {time}', withPhoto: 'may show the photo',
        identify: 'Identified', name: 'Name', discharge: 'Discharge', dischargeReason: 'Reason',
        dischargeReasons: { returned_home: 'Went home', reunited_with_family: 'Reunited with family', long_term_care: 'Longer-term care', hospital: 'Hospital', left_of_own_will: 'Left of own will', other: 'Other' },
        encounters: 'History', encounterKind: { met: 'met on patrol', declined_help: 'declined help', intake: 'taken in', linked: 'linked' }, case: 'case …{tail}',
        submit: 'Save', minor: 'Minor',
      },
    },
    supplies: {
      title: 'Supplies', kind: 'Item', stock: 'In stock', target: 'Reserve', short: 'Short', count: 'Count', save: 'Save the count', notCounted: 'Not counted yet',
      coldWave: 'Cold wave in force: reserves raised', people: '{count} in the station', counted: 'counted {time}', failed: 'Could not save: {detail}',
      kinds: { quilts: 'Quilts', cotton_coats: 'Cotton coats', hot_meals: 'Hot meals', medicine_kits: 'Medicine kits' },
    },
    heading: 'Station desk',
    summary: { label: 'At a glance', incoming: 'Incoming', escalated: 'Escalated', inHand: 'In hand', arriving: 'On the way in', inStation: 'In station' },
    columns: { incoming: 'Incoming leads', inHand: 'In hand', arriving: 'On the way to the station', inStation: 'People in the station' },
    empty: { incoming: 'No leads waiting', inHand: 'No cases in hand', arriving: 'Nobody on the way in', inStation: 'Nobody in the station' },
    loadFailed: 'Could not load the cases: {detail}',
    countdown: { left: '{time} left', over: 'Overdue by {time}' },
    duration: { minutes: '{minutes} min', hoursMinutes: '{hours} h {minutes} min', daysHours: '{days} d {hours} h' },
    deadline: { alert: 'Acknowledge by', due: 'Due: {kind}' },
    escalated: 'Escalated', waitingForDesk: 'Waiting for this desk', overdue: 'Overdue', rung: 'Escalation {rung}',
    alertedTo: 'Alerted: {target}', targetKind: { team: 'Patrol team', station: 'Station', coordinator: 'Coordinator' },
    assignedTeam: 'Team: {team}', assignee: 'Going: {name}', unknownTeam: 'an unregistered team', opened: 'Opened {time}', lastSeen: 'Last seen {time}',
    confidence: 'Confidence {percent}%',
    unverifiedHint: 'Machine lead: verify it before acknowledging or dispatching', caseLabel: '{risk} · {place} · {status}',
    merge: { offer: 'Perhaps the same place as “{place}” (case …{tail}, {distance} away)', button: 'Merge into one case' },
    openDetail: 'Details', announce: '{action}: {place}',
    people: { count: '{count} people', none: 'No details of the people', person: '{ageGroup} · {sex}', separator: ', ' },
    dispatch: {
      title: 'Dispatch: who goes', teams: 'Teams', self: 'The station goes itself', assignee: 'Name of the person going', assigneeHint: 'e.g. Liu, the nurse on duty', onDuty: 'On duty', offDuty: 'Off duty', distance: '{km} km', noLocation: 'Location unknown',
      nearest: 'Nearest', teamsLoading: 'Loading the teams…', teamsFailed: 'Could not load the teams: {detail}', teamId: 'Team id', teamIdHint: 'e.g. team-01',
      noTeams: 'No teams to dispatch', forCase: 'Case: {place}',
    },
    inStation: { since: 'In since {time}', stayed: 'Stayed {duration}', dischargeCheck: 'Discharge check', otherStation: 'Another station' },
    intake: { title: 'Intake: who came in', count: 'How many', ageGroup: 'Age group', sex: 'Sex' },
    discharge: {
      title: 'Discharge', reason: 'Reason for leaving', choose: 'Choose', other: 'Other (write below)', detail: 'Details',
      reasons: { home: 'Went home', family: 'Collected by relatives', hospital: 'Transferred to hospital', referral: 'Referred to another agency', voluntary: 'Left of own accord' },
      required: 'Choose a reason or write one',
    },
    detail: {
      title: 'Case detail', failed: 'Could not load the case: {detail}', riskReasons: 'Risk factors', place: 'Place', people: 'People', alert: 'Alert',
      due: 'Current deadline', team: 'Team', notes: 'Notes', photos: 'Photos', photoAlt: 'Photo from the scene, taken {time}', timeline: 'Timeline',
      noteLabel: 'Add a note', noteRequired: 'Write the note first', noPhotos: 'No photos', noNotes: 'No notes', coordinates: 'Coordinates',
      station: 'Station', outcome: 'Outcome', reports: '{sightings} sightings · {detections} detections',
    },
  },
};

/** Puts values into a message's {placeholders}: fill('{n} 条待发送', { n: 2 }) → '2 条待发送'. */
export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

export const MESSAGES = { 'zh-CN': zh, en } as const;
export type Locale = keyof typeof MESSAGES;
export const LOCALES = Object.keys(MESSAGES) as Locale[];
