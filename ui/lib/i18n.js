// Simplified Chinese first; English on request. Keys are short ids; each entry is [zh, en].
// Core errors arrive with a Chinese message and a code: the English UI shows its own text for
// the code (ERRORS below), so nothing depends on parsing Chinese.

const TEXT = {
  brand: ['同心签到', 'Tongxin Check-in'],
  nav_desk: ['签到', 'Check-in'],
  nav_experts: ['专家', 'Experts'],
  nav_points: ['服务点位', 'Service points'],
  nav_import: ['导入', 'Import'],
  nav_export: ['导出', 'Export'],
  nav_settings: ['设置', 'Settings'],
  offline: ['离线', 'Offline'],
  saved_locally: ['本机保存', 'Saved locally'],
  main_venue: ['主会场签到', 'Main venue'],
  search_placeholder: ['输入姓名、拼音、手机尾号，或扫码', 'Name, pinyin, phone digits, or scan'],
  search_hints: ['姓名 · 拼音 · 首字母 · 手机尾号 · 扫码', 'name · pinyin · initials · phone · scan'],
  empty_title: ['请输入或扫码', 'Type or scan'],
  empty_body: [
    '名单在输入前保持空白，手机号只显示尾号。按 Enter 为第一位签到。',
    'The list stays empty until you type; phones are masked. Enter checks in the first hit.',
  ],
  no_hits: ['没有找到“{q}”', 'No one matches “{q}”'],
  no_hits_body: [
    '试试拼音首字母（如 zzg）、手机后四位，或单位名称。',
    'Try initials (e.g. zzg), the last four phone digits, or the organisation.',
  ],
  not_checked_in: ['未签到', 'Not in'],
  waiting: ['候补', 'Waiting'],
  no_group: ['仅主会场', 'Plenary only'],
  checked_in: ['已签到', 'checked in'],
  checked_in_ok: ['{name} 已签到', '{name} checked in'],
  boarded_ok: ['{name} 已到（点名）', '{name} is here (roll call)'],
  duplicate_title: ['{name} 已签到过', '{name} is already in'],
  duplicate_body: ['已于 {time} 在 {desk} 签到，未重复记录', 'Checked in at {time} at {desk}; not recorded twice'],
  depart: ['{time} {bus}', '{time} {bus}'],
  group_of: ['{theme}组', '{theme} group'],
  undo: ['撤销', 'Undo'],
  undone: ['已撤销 {name} 的签到', 'Check-in of {name} undone'],
  key_enter: ['签到首位', 'check in first'],
  key_arrows: ['选择', 'select'],
  key_esc: ['清空', 'clear'],
  key_undo: ['撤销上一位', 'undo last'],
  key_alt: ['签到第 n 位', 'check in n-th'],
  present_expected: ['实到 / 应到', 'Present / expected'],
  walk_ins: ['现场补录', 'Walk-ins'],
  unexpected: ['名单外', 'Not on list'],
  recent: ['最近签到', 'Latest check-ins'],
  recent_empty: ['还没有人签到。第一位到场的专家会出现在这里。', 'Nobody yet. The first arrival appears here.'],
  revoked: ['已撤销', 'undone'],
  method_search: ['搜索', 'search'],
  method_scan: ['扫码', 'scan'],
  method_walkin: ['补录', 'walk-in'],
  method_manual: ['手动', 'manual'],
  method_import: ['导入', 'import'],
  undo_title: ['撤销签到', 'Undo check-in'],
  undo_body: ['撤销 {name} {time} 的签到。记录会保留在审计日志中。', 'Undo the check-in of {name} at {time}. The record stays in the audit log.'],
  undo_reason: ['撤销原因', 'Reason'],
  reason_mistake: ['误签', 'Wrong person'],
  reason_double: ['重复扫码', 'Scanned twice'],
  reason_left: ['临时离开', 'Left the venue'],
  confirm: ['确定', 'Confirm'],
  cancel: ['取消', 'Cancel'],
  nothing_to_undo: ['本次没有可撤销的签到。', 'Nothing to undo in this session.'],
  close: ['关闭', 'Close'],
  key_walkin: ['现场补录', 'walk-in'],
  key_missing: ['未到名单', 'not yet in'],
  key_audit: ['操作记录', 'audit log'],
  key_offbus: ['未上车', 'not on a bus'],
  scanned: ['扫码', 'scan'],
  duplicate_flag: ['重复', 'twice'],
  walkin_title: ['现场补录', 'Walk-in registration'],
  walkin_hint: [
    '名单上找不到的来宾：登记后立即签到，标记为现场补录。手机号与已有专家相同即视为同一人。',
    'Someone not on the list: registered and checked in at once, marked as a walk-in. The same phone as someone on file is the same person.',
  ],
  f_name: ['姓名', 'Name'],
  f_org: ['工作单位', 'Organisation'],
  f_title: ['职务/职称', 'Title'],
  f_phone: ['手机号', 'Phone'],
  f_group: ['专题组 / 服务点位', 'Theme group / service point'],
  f_required: ['必填', 'required'],
  walkin_ok: ['登记并签到', 'Register and check in'],
  similar_phone: ['手机号相同：{name}（{org}，{code}）— 将为其签到，不会新建', 'Same phone: {name} ({org}, {code}) — will be checked in, not created again'],
  similar_name: ['同名：{name}（{org}，{phone}）— 如是同一人，请关闭后直接搜索签到', 'Same name: {name} ({org}, {phone}) — if this is them, close and check them in from the search'],
  walkin_done: ['{name} 已现场补录并签到', '{name} registered and checked in'],
  missing_title: ['未到名单', 'Not yet arrived'],
  missing_empty: ['应到的专家都已签到。', 'Everyone expected is in.'],
  check_in: ['签到', 'Check in'],
  plenary: ['仅参加主会场', 'Plenary only'],
  audit_title: ['操作记录', 'Audit log'],
  audit_empty: ['还没有操作记录。', 'No entries yet.'],
  action_checkin: ['签到', 'check-in'],
  action_revoke: ['撤销签到', 'undo'],
  action_walkin: ['现场补录', 'walk-in'],
  action_move: ['调整分组', 'group change'],
  col_time: ['时间', 'Time'],
  col_desk: ['签到台', 'Desk'],
  col_action: ['操作', 'Action'],
  col_detail: ['内容', 'Detail'],
  roster_title: ['{point} · 点名', '{point} · roll call'],
  roster_sub: ['{time} {bus} · 已到 {present} / 应到 {expected}', '{time} {bus} · {present} of {expected} on board'],
  on_board: ['已上车', 'on board'],
  morning_in: ['上午已签到 {time}', 'in this morning {time}'],
  morning_absent: ['上午未签到', 'not in this morning'],
  move: ['调组', 'Move'],
  move_title: ['调整 {name} 的分组', 'Move {name} to another group'],
  move_to: ['调入', 'Move to'],
  move_full: ['{point}已满（{used}/{capacity}）。仍要调入吗？', '{point} is full ({used}/{capacity}). Move anyway?'],
  moved: ['{name} 已调入 {point}', '{name} moved to {point}'],
  places_left: ['余 {n}', '{n} left'],
  full: ['已满', 'full'],
  offbus_title: ['上午已签到、未上任何车', 'In this morning, on no bus'],
  offbus_empty: ['上午签到的专家都已上车。', 'Everyone who came this morning is on a bus.'],
  waiting_list: ['候补', 'Waiting list'],
  experts_title: ['专家名单', 'Experts'],
  experts_count: ['共 {n} 位专家', '{n} experts'],
  experts_filter: ['筛选：姓名、单位、党派、编号', 'Filter: name, organisation, party, code'],
  col_code: ['编号', 'Code'],
  col_name: ['姓名', 'Name'],
  col_gender: ['性别', 'Gender'],
  col_party: ['党派', 'Party'],
  col_org: ['工作单位', 'Organisation'],
  col_title: ['职务/职称', 'Title'],
  col_field: ['专业领域', 'Field'],
  col_phone: ['联系电话', 'Phone'],
  experts_empty: ['还没有专家。请到“导入”读入名单，或在“设置”中恢复演示数据。', 'No experts yet. Import a list, or restore the demo day in Settings.'],
  points_title: ['服务点位', 'Service points'],
  points_empty: ['本活动还没有服务点位。', 'This event has no service points yet.'],
  capacity: ['名额', 'Capacity'],
  signed_up: ['已报名', 'Signed up'],
  present: ['实到', 'Present'],
  contact: ['联系人', 'Contact'],
  departure: ['出发', 'Departs'],
  import_title: ['导入名单', 'Import lists'],
  import_body: [
    '读取各知联会报送的 Excel / CSV 名单（预览、逐行检查、一次提交）将在下一版本提供。',
    'Reading the associations’ Excel / CSV lists (preview, row checks, one commit) arrives in the next version.',
  ],
  export_title: ['导出签到表', 'Export sign-in sheets'],
  export_body: [
    '按会场、专题组或服务点位导出可直接打印的签到表（xlsx / PDF / csv）将在下一版本提供。',
    'Print-ready sign-in sheets per venue, group or service point (xlsx / PDF / csv) arrive in the next version.',
  ],
  coming: ['即将提供', 'Coming next'],
  settings_title: ['设置', 'Settings'],
  language: ['界面语言', 'Language'],
  current_event: ['当前活动', 'Current event'],
  this_desk: ['本机签到台', 'This desk'],
  database: ['数据库文件', 'Database file'],
  data: ['数据', 'Data'],
  reset_demo: ['恢复演示数据（2024 金山）', 'Restore the demo day (Jinshan 2024)'],
  start_empty: ['清空，开始新的数据库', 'Empty the database and start fresh'],
  reset_confirm: [
    '当前数据库会先完整备份，然后被替换为演示数据。继续吗？',
    'The current database is backed up first, then replaced by the demo day. Continue?',
  ],
  empty_confirm: [
    '当前数据库会先完整备份，然后清空所有活动、专家和签到。继续吗？',
    'The current database is backed up first, then every event, expert and check-in is removed. Continue?',
  ],
  backup_made: ['已备份到 {path}', 'Backed up to {path}'],
  no_event_title: ['还没有活动', 'No event yet'],
  no_event_body: ['请到“设置”恢复演示数据，或到“导入”读入名单。', 'Restore the demo day in Settings, or import a list.'],
  version: ['版本', 'Version'],
  experts_n: ['{n} 位专家', '{n} experts'],
};

const ERRORS = {
  disk_full: 'The disk is full; the last action was not saved. Free some space and try again.',
  read_only: 'The data folder is read-only; the last action was not saved.',
  db_busy: 'The database is in use by another program. Try again, or close the other window.',
  db_error: 'Database error.',
  db_open: 'The database file could not be opened.',
  db_too_new: 'This database was written by a newer Tongxin. Please upgrade.',
  event_not_found: 'Event not found. Choose an event in Settings.',
  expert_not_found: 'No expert with that code.',
  point_not_found: 'Service point not found.',
  checkin_not_found: 'Check-in not found.',
  already_revoked: 'This check-in was already undone.',
  reason_required: 'Please give a reason.',
  demo_exists: 'The demo day is already in the database.',
  no_event: 'No event yet. Restore the demo day in Settings, or import a list.',
  name_required: 'Please enter a name.',
  name_too_long: 'The name is too long. Check for pasted extra text.',
  phone_invalid: 'That does not look like a phone number (11-digit mobile, or a landline with area code).',
  capacity_full: 'That service point is full.',
  not_signed_up: 'This expert has no sign-up for this event.',
  no_backend: 'Not connected to the Tongxin program.',
  internal: 'Internal error. Please restart Tongxin.',
};

let lang = localStorage.getItem('tongxin.lang') === 'en' ? 'en' : 'zh';

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('tongxin.lang', lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

/** Translates `key`, filling {placeholders} from `vars`. */
export function t(key, vars = {}) {
  const entry = TEXT[key];
  let s = entry ? entry[lang === 'en' ? 1 : 0] : key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v ?? ''));
  return s;
}

/** The message to show for an ApiError, in the UI's language. */
export function errorText(err) {
  if (lang === 'en' && err?.code && ERRORS[err.code]) return ERRORS[err.code];
  return err?.message || String(err);
}

document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
