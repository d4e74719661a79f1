// The only module that talks to the Rust side. Every call resolves with data or rejects with
// an ApiError carrying the command's {code, message}.

const invoke = window.__TAURI__?.core?.invoke;

export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

async function call(cmd, args = {}) {
  if (!invoke) throw new ApiError('no_backend', '未连接到同心签到程序。');
  try {
    return await invoke(cmd, args);
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e) throw new ApiError(e.code, e.message);
    throw new ApiError('internal', String(e));
  }
}

export const api = {
  appInfo: () => call('app_info'),
  setCurrentEvent: (eventId) => call('set_current_event', { eventId }),
  resetToDemo: () => call('reset_to_demo'),
  startEmpty: () => call('start_empty'),
  firstScreenDrawn: () => call('first_screen_drawn'),
  welcomeDemo: () => call('welcome_demo'),
  welcomeStart: (form) => call('welcome_start', { form }),
  about: () => call('about'),
  openDataFolder: (which) => call('open_data_folder', { which }),
  search: (query, checkpoint, limit = 8) => call('search', { query, checkpoint, limit }),
  checkIn: (expertId, checkpoint, method) => call('check_in', { expertId, checkpoint, method }),
  checkInCode: (code, checkpoint) => call('check_in_code', { code, checkpoint }),
  undoCheckIn: (checkinId, reason) => call('undo_check_in', { checkinId, reason }),
  attendance: (checkpoint) => call('attendance', { checkpoint }),
  walkinSimilar: (name, phone) => call('walkin_similar', { name, phone }),
  registerWalkIn: (form, checkpoint) => call('register_walk_in', { form, checkpoint }),
  roster: (pointId) => call('roster', { pointId }),
  notArrived: () => call('not_arrived'),
  notOnAnyBus: () => call('not_on_any_bus'),
  moveExpert: (expertId, toPointId, overCapacity = false) =>
    call('move_expert', { expertId, toPointId, overCapacity }),
  auditLog: (limit = 200) => call('audit_log', { limit }),
  // choices: { shared_phone: { row: 'another' | 'same' | 'skip' } } for rows 同号不同名.
  importPreview: (path, kind, mapping = null, choices = null) =>
    call('import_preview', { path, kind, mapping, choices }),
  // overCapacity: 'waitlist' (the rows beyond a point's places wait) or 'register' (over capacity).
  importCommit: (path, kind, mapping = null, overCapacity = 'waitlist', choices = null) =>
    call('import_commit', { path, kind, mapping, overCapacity, choices }),
  saveImportReport: (path, report) => call('save_import_report', { path, report }),
  undoLastImport: () => call('undo_last_import'),
  exportChoices: (eventId = null) => call('export_choices', { eventId }),
  exportPreview: (eventId, options) => call('export_preview', { eventId, options }),
  exportSheet: (eventId, options, format, path) =>
    call('export_sheet', { eventId, options, format, path }),
  summaryFileName: (eventId) => call('summary_file_name', { eventId }),
  exportSummary: (eventId, path) => call('export_summary', { eventId, path }),
  openFolder: (path) => call('open_folder', { path }),
  packCheckins: (path, unsealed = false) => call('pack_checkins', { path, unsealed }),
  packSubvenue: (path, unsealed = false) => call('pack_subvenue', { path, unsealed }),
  mergePackage: (path, passphrase = null, trustForeign = false) =>
    call('merge_package', { path, passphrase, trustForeign }),
  reviewFlags: () => call('review_flags'),
  backups: () => call('backups'),
  backupNow: () => call('backup_now'),
  deleteOldBackups: () => call('delete_old_backups'),
  // recoveryKey: another laptop's recovery key, when this database's key does not open the file.
  restoreBackup: (path, recoveryKey = null) => call('restore_backup', { path, recoveryKey }),
  securityStatus: () => call('security_status'),
  recoveryKey: () => call('recovery_key'),
  recoveryKeyNoted: () => call('recovery_key_noted'),
  encryptPlainBackups: () => call('encrypt_plain_backups'),
  deletePlainBackups: () => call('delete_plain_backups'),
  renameDesk: (name) => call('rename_desk', { name }),
  serialPorts: () => call('serial_ports'),
  serialStatus: () => call('serial_status'),
  serialUse: (port) => call('serial_use', { port }),
  expertsPage: (query, offset, limit, facets = false) =>
    call('experts_page', { query, offset, limit, facets }),
  expertsClosed: () => call('experts_closed'),
  expertDetail: (id) => call('expert_detail', { id }),
  expertSave: (id, form) => call('expert_save', { id, form }),
  expertRemove: (id) => call('expert_remove', { id }),
  expertErase: (id) => call('expert_erase', { id }),
  expertMerge: (keep, other) => call('expert_merge', { keep, other }),
  signupBoard: () => call('signup_board'),
  signupAdd: (expertId, pointId) => call('signup_add', { expertId, pointId }),
  signupCancel: (expertId) => call('signup_cancel', { expertId }),
  signupMoveMany: (expertIds, toPointId, overCapacity = false) =>
    call('signup_move_many', { expertIds, toPointId, overCapacity }),
  signupSuggestions: () => call('signup_suggestions'),
  signupApplySuggestions: () => call('signup_apply_suggestions'),
  pointSave: (form) => call('point_save', { form }),
  eventCreate: (form, copyPointsFrom) => call('event_create', { form, copyPointsFrom }),
  badgesSave: (pointId, path, cards = false) => call('badges_save', { pointId, path, cards }),
  badgesFileName: (point, cards = false) => call('badges_file_name', { point, cards }),
  // Native dialogs (tauri-plugin-dialog, rfd underneath): resolve with a path or null.
  // The native dialogs, opened by the Rust side: only a file chosen there can then be read or
  // written by the commands above.
  pickFile: (title, filters) => call('pick_file', { title, filters }),
  saveFile: (title, defaultPath, filters) => call('save_file', { title, defaultPath, filters }),
  yearReport: (year, district) => call('year_report', { year, district }),
  yearReportSave: (year, district, path, lang) =>
    call('year_report_save', { year, district, path, lang }),
  suggestionsForPoint: (pointId) => call('suggestions_for_point', { pointId }),
  suggestionAdd: (pointId, title, leadExpertId, theme) =>
    call('suggestion_add', { pointId, title, leadExpertId, theme }),
  suggestionStatus: (id, adopted) => call('suggestion_status', { id, adopted }),
  bigscreenSnapshot: () => call('bigscreen_snapshot'),
  bigscreenSettings: () => call('bigscreen_settings'),
  bigscreenSet: (settings) => call('bigscreen_set', { settings }),
  bigscreenFollow: (checkpoint) => call('bigscreen_follow', { checkpoint }),
  bigscreenToggle: (monitor = null) => call('bigscreen_toggle', { monitor }),
  stationsList: (year) => call('stations_list', { year }),
  stationAdd: (form) => call('station_add', { form }),
  stationAppoint: (stationId, expertId, on, termYears) =>
    call('station_appoint', { stationId, expertId, on, termYears }),
  appointmentEnd: (appointmentId) => call('appointment_end', { appointmentId }),
  appointmentsSave: (path) => call('appointments_save', { path }),
  outcomeSet: (pointId, enterprises, people) =>
    call('outcome_set', { pointId, enterprises, people }),
  outcomesForEvent: (eventId) => call('outcomes_for_event', { eventId }),
  citySettings: () => call('city_settings'),
  citySet: (url, password, plaintext) => call('city_set', { url, password, plaintext }),
  citySyncNow: () => call('city_sync_now'),
  cityPicture: () => call('city_picture'),
};
