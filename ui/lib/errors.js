// English for the core's codes: errors (their Chinese comes with them) and import problems.

// Every error code of the core and of the shell needs its line here: a test in
// src-tauri/src/error.rs reads this table from this file, one `  code:` line per entry.
export const ERRORS = {
  server_url_invalid:
    'The server address must start with postgres://, e.g. postgres://jinshan1@10.0.0.5:5432/tongxin.',
  server_event_key:
    'The server sent an event without its full key; nothing was changed here. Ask the city office to publish the event again.',
  server_unreachable:
    'The city server cannot be reached. This desk checks people in as usual and sends its records when the network is back.',
  server_timeout:
    'The city server did not answer in time. This desk checks people in as usual; it will try again shortly.',
  server_auth:
    'The city server refused the login: wrong user name or password. Enter the password again in Settings → City sync; this desk carries on as usual.',
  server_schema:
    'The city server speaks another version of the schema (see the message). Nothing was changed here; upgrade this app or ask the city office to run tongxin-cli server init.',
  server_not_initialised:
    'This server has no Tongxin schema yet: the city office must run tongxin-cli server init. Nothing was changed here.',
  server_denied:
    'The city server does not allow this login to do that. Ask the city office which venue this login serves; this desk carries on as usual.',
  server_url: 'The server address is not valid. Write it as postgres://login@host:5432/database.',
  server_tls:
    'The encrypted connection to the city server failed (see the message). This desk carries on as usual.',
  server_plaintext:
    'The city server offers no encrypted connection. It is not on this machine, so this desk will not send the password and the lists over the network in the clear: ask the city office to turn TLS on (ssl = on). This desk carries on as usual.',
  server_refused:
    'The city server refused one record (see the message). The others go up as usual; this one stays on this desk. Ask the city office.',
  server_error:
    'The city server reported an error (see the message). This desk checks people in as usual; it will try again shortly.',
  serial_not_a_port:
    'That is not a serial port. Plug in the scanner (set to USB serial mode) and choose it from the list.',
  io: 'A file could not be read or written (see the message). Check the path, the permissions and the disk space.',
  demo_data: 'The built-in demo data is damaged; reinstall the app.',
  desk_name: 'Enter a desk name (20 characters at most).',
  disk_full: 'The disk is full; the last action was not saved. Free some space and try again.',
  disk_io:
    'Cannot write to the disk: it may be full, the USB drive removed, or the device failing. The last action was not saved; earlier check-ins are safe. Free some space or choose another location.',
  backup_failed: 'The backup failed (see the message); the database itself is unchanged.',
  restore_unreadable:
    'That file cannot be read: check that it is still there and that the USB drive is plugged in. Nothing was changed.',
  restore_empty:
    'That file is empty (0 bytes), perhaps not fully copied. Choose another backup from the backups folder. Nothing was changed.',
  restore_not_database:
    'That is not a database file. Choose a backup Tongxin saved (tongxin-date-time.db in the backups folder). Nothing was changed.',
  restore_damaged:
    'That file is damaged or incomplete (perhaps not fully copied). Choose another backup from the backups folder. Nothing was changed.',
  restore_not_tongxin:
    'That is not a Tongxin database. Choose a backup Tongxin saved (tongxin-date-time.db in the backups folder). Nothing was changed.',
  restore_unversioned:
    'That file has no database version, so it is not a backup Tongxin saved. Choose tongxin-date-time.db from the backups folder. Nothing was changed.',
  restore_too_new:
    'That backup comes from a newer version of Tongxin. Install the new version to restore it. Nothing was changed.',
  restore_foreign_objects:
    'That file contains triggers or views Tongxin never creates: another program has changed it, and restoring it could make later check-ins go unsaved. Choose another backup. Nothing was changed.',
  restore_incomplete:
    'That file lacks tables or columns a Tongxin backup has: it was changed by another program or is incomplete. Choose another backup. Nothing was changed.',
  restore_rejected:
    'That file holds records this version does not accept (duplicates or values against the rules): another program has changed it. Choose another backup. Nothing was changed.',
  package_invalid:
    'This package cannot be imported: it is damaged, incomplete or not a Tongxin package. Nothing was changed; ask for a new copy.',
  package_too_new: 'This package comes from a newer version of Tongxin; update first.',
  path_not_chosen:
    'That file was not chosen in this app’s file dialog, so it was refused. Click the button and choose the file in the dialog again.',
  package_forged:
    'This package does not verify: it was not written by a laptop of this event, or it was altered on the way. Nothing was merged; ask for a new copy.',
  package_no_key:
    'This package is sealed, but this laptop does not have its event’s key (the two laptops were not set up from the same database). Ask for an unsealed package, or set this laptop up from the main venue’s sub-venue package. Nothing was merged.',
  package_unsealed:
    'This package is not sealed, or not from a laptop of this event: anyone could have made or altered it. Confirm where it came from before merging it. Nothing was changed.',
  passphrase_required:
    'This is a sub-venue package: it opens with the passphrase the main laptop showed.',
  passphrase_wrong:
    'Wrong passphrase, or the package was altered. Check the passphrase the main laptop showed; nothing was merged.',
  package_record_invalid:
    'A record in this package is invalid (see the Chinese message for which). The whole package was not merged; ask for a new copy.',
  package_event_unknown:
    'This check-in package is for an event this laptop does not have. Set the laptop up from the main venue’s sub-venue package first, or open the right database. Nothing was merged.',
  read_only: 'The data folder is read-only; the last action was not saved.',
  db_busy: 'The database is in use by another program. Try again, or close the other window.',
  db_error: 'Database error.',
  db_open: 'The database file could not be opened.',
  key_store:
    'The system credential store cannot be used; the database key is kept there. Log in to the desktop and unlock the “Login” keyring (Keychain / Credential Manager), then try again. Scripts can give the key in TONGXIN_DB_KEY (64 hex digits). Nothing unencrypted was created.',
  key_missing:
    'This computer has no key for this database (it may come from another laptop, or the credential store was cleared). Open it once with its recovery key: tongxin-cli --db <this file> key recover <recovery key>; the window then opens as usual. The file was not changed.',
  key_wrong:
    'Wrong key: the database cannot be opened (or it is not a Tongxin database). Check the recovery key or TONGXIN_DB_KEY; the file was not changed.',
  restore_needs_key:
    'This backup was encrypted by another laptop’s database: enter that laptop’s recovery key (13 groups of 4 characters). Nothing was changed.',
  key_env_invalid: 'TONGXIN_DB_KEY must be 64 hex digits (a 256-bit key).',
  recovery_key_invalid:
    'That is not a valid recovery key: 13 groups of 4 characters (like ABCD-EFGH-…). Check it character by character.',
  crypto: 'The system could not provide random numbers; no key was made.',
  not_first_run:
    'This database already has an event. To switch to the demo, restore the demo day in Settings (a backup is made first).',
  db_too_new:
    'This database comes from a newer version of Tongxin. Install the new version to open it; the file has not been changed.',
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
  phone_invalid:
    'That does not look like a phone number (11-digit mobile, or a landline with area code).',
  capacity_full: 'That service point is full.',
  not_signed_up: 'This expert has no sign-up for this event.',
  import_too_large: 'The file is too large. Check it is the right file, or split it.',
  import_unreadable:
    'This file cannot be read. Check it is an Excel (.xlsx/.xls) or CSV file and not damaged.',
  import_zip_bomb:
    'This Excel file expands to an abnormal size; it may be damaged or malicious and was not read.',
  import_text_bomb:
    'The text in this sheet expands past any real list (one piece of text referenced by a huge number of cells); it may be damaged or malicious and was not read.',
  import_empty: 'The file is empty.',
  import_no_header: 'No header row found (no column like 姓名 / Name in the first rows).',
  import_too_many_rows: 'The sheet has too many rows; split it and import in parts.',
  import_no_rows: 'The sheet has a header but no data rows.',
  import_no_usable_rows: 'No row can be imported (see the row checks).',
  nothing_to_undo: 'There is no import to undo.',
  undo_blocked: 'Someone from that import has checked in since; the import cannot be undone.',
  export_failed:
    'The file could not be written. Choose another folder, or check the disk space and whether Excel has the file open.',
  open_folder: 'The folder could not be opened.',
  phone_taken:
    'This phone already belongs to someone on file: the same phone is the same person. Edit that record, or merge the two.',
  text_too_long: 'Too long (200 characters at most).',
  merge_self: 'A record cannot be merged with itself.',
  merge_archived: 'Archived records cannot be merged.',
  expert_archived:
    'This record is archived and cannot be checked in. If it is another record of the same person, merge the two under Experts; otherwise register a walk-in.',
  already_signed_up: 'Already signed up for another service point of this event: use Move instead.',
  point_name_required: 'Please enter the service point’s name.',
  capacity_invalid: 'Places must be 0 (no limit) or a positive number.',
  time_invalid: 'The departure time is not recognised; write it as 13:00.',
  event_name_required: 'Please enter the event’s name.',
  date_invalid: 'The date is not recognised; write it as 2025-09-28.',
  count_invalid: 'That is not a count: enter 0 or a whole number (such as 120).',
  district_unknown:
    'That is not a district of Shanghai: write its name, such as 金山区 or 浦东新区, or 市级 for the city.',
  activity_not_found: 'That service activity was not found; it may have been deleted.',
  suggestion_title_required: 'Enter the title of the suggestion.',
  screen_read_only: 'The big screen only shows; it cannot change anything.',
  window: 'The window could not be opened or closed; try again.',
  suggestion_not_found: 'That suggestion is not on record any more.',
  station_name_required: 'Enter the station’s name.',
  station_exists: 'That district already has a station of this name.',
  station_not_found: 'The station is not there any more; it may have been removed.',
  appointment_not_found: 'That appointment is not on record.',
  term_invalid: 'The term must be 1 to 10 years.',
  already_open: 'Tongxin is already running with this database. Switch to the open window.',
  undo_blocked_point:
    'A service point from that import now has sign-ups or check-ins; move them elsewhere first.',
  no_backend: 'Not connected to the Tongxin program.',
  internal: 'Internal error. Please restart Tongxin.',
};

// Import problems in English, by code; {d} is the problem's detail (a phone as typed, …).
export const PROBLEMS_EN = {
  cell_too_long: 'A cell is too long ({d} characters); row not imported.',
  summary_row: 'Total row, skipped.',
  no_name: 'No name; row not imported.',
  name_too_long: 'Name too long ({d} characters); row not imported.',
  field_too_long: 'A field is too long ({d} characters, 200 at most); row not imported.',
  no_phone: 'No phone: the desk can only find this person by name.',
  phone_invalid: 'Phone “{d}” not recognised; left empty.',
  id_number_lost_digits:
    'The ID number was stored as a number by Excel and lost its last digits (column not imported).',
  unknown_group:
    '“{d}” is not a theme group or service point of this event; imported without a group.',
  duplicate_in_file: 'Same phone as row {d}: the same person; this row skipped.',
  same_phone_other_name:
    'The same phone as {d}, but another name (shared phone). Choose in the preview: the same person, another person, or skip. Unless you choose, it is imported as another person and {d}’s record is unchanged.',
  no_point_name: 'No service point name; row not imported.',
  duplicate_point_in_file: 'The same service point as row {d}; this row skipped.',
  no_date: 'No date; row not imported.',
  date_invalid: 'Date “{d}” not recognised; row not imported.',
  district_unknown: '“{d}” is not a district of Shanghai; row not imported.',
  count_invalid: '“{d}” is not a number; row not imported.',
  no_activity_name: 'No activity name; row not imported.',
  duplicate_activity_in_file: 'The same activity as row {d}: counted once.',
  same_as_event:
    'Same day and district as “{d}” on this laptop: the same activity. The statistics use this laptop’s check-ins and outcomes; this row is not counted twice.',
  experts_not_linked:
    '{d}: not on the experts list, or more than one of that name. Counted in participations, not linked to a person.',
  capacity_invalid: 'Places “{d}” is not a number of people; treated as unlimited (0).',
  time_invalid: 'Departure time “{d}” not recognised; left empty.',
  same_name:
    'Someone with the same name is on file ({d}) with another phone or organisation; imported as another person (同名).',
};
