//! The database's key. Every database file the app writes — the day's database, its WAL and
//! every backup — is encrypted (SQLCipher, AES-256) under one key: 256 random bits made when
//! the database is made, kept in the operating system's credential store (the Secret Service
//! on Linux, the Keychain on macOS, the Credential Manager on Windows) under the database's
//! path, where the user's own login unlocks it — so the day starts as it always did. Scripts
//! and tests give it as `TONGXIN_DB_KEY` (64 hex digits); the store is then not used at all.
//!
//! The coordinator sees the key once, as a **recovery key**: 52 characters in 13 groups of
//! four (the same 256 bits, base 32, the last character carrying a check), printed and kept
//! apart from the laptop. It opens this database or any of its backups on another laptop.

use std::path::Path;

use crate::{Error, Result};

/// The variable scripts and tests give the key in (64 hex digits).
pub const ENV: &str = "TONGXIN_DB_KEY";
/// The credential store's service name; the account is the database's path.
const SERVICE: &str = "tongxin";
/// 32 symbols, none that reads as another (no 0, 1, I, O).
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// 256 bits at 5 a character, the last 4 bits of the 52nd a check.
const RECOVERY_CHARS: usize = 52;

/// A database key. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(…)")
    }
}

impl DbKey {
    pub fn random() -> Result<DbKey> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| Error::Crypto(e.to_string()))?;
        Ok(DbKey(k))
    }

    pub fn from_hex(s: &str) -> Option<DbKey> {
        crate::seal::unhex::<32>(s.trim()).map(DbKey)
    }

    pub fn hex(&self) -> String {
        crate::seal::hex(&self.0)
    }

    /// The key as SQLCipher's raw-key literal (no key derivation: the key is random already).
    pub(crate) fn literal(&self) -> String {
        format!("\"x'{}'\"", self.hex())
    }

    /// The recovery key: `ABCD-EFGH-…`, 13 groups of 4.
    pub fn recovery(&self) -> String {
        let mut bits: u32 = 0;
        let mut held = 0;
        let mut chars = Vec::with_capacity(RECOVERY_CHARS);
        for b in self.0 {
            bits = (bits << 8) | u32::from(b);
            held += 8;
            while held >= 5 {
                held -= 5;
                chars.push(ALPHABET[((bits >> held) & 31) as usize]);
            }
        }
        // 256 = 51 × 5 + 1: the last bit, and four bits of check.
        chars.push(ALPHABET[(((bits & 1) << 4) | u32::from(check(&self.0))) as usize]);
        chars
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Reads a recovery key as typed: case, spaces and dashes do not matter; a character that
    /// is not in it, a missing one, or a wrong check is refused.
    pub fn from_recovery(typed: &str) -> Result<DbKey> {
        let symbols: Vec<u32> = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| {
                let c = c.to_ascii_uppercase() as u8;
                ALPHABET
                    .iter()
                    .position(|a| *a == c)
                    .map(|p| p as u32)
                    .ok_or(Error::RecoveryKeyInvalid)
            })
            .collect::<Result<_>>()?;
        if symbols.len() != RECOVERY_CHARS {
            return Err(Error::RecoveryKeyInvalid);
        }
        let mut key = [0u8; 32];
        let (mut bits, mut held, mut at) = (0u32, 0, 0);
        for s in &symbols[..RECOVERY_CHARS - 1] {
            bits = (bits << 5) | s;
            held += 5;
            if held >= 8 {
                held -= 8;
                key[at] = (bits >> held) as u8;
                at += 1;
            }
        }
        let last = symbols[RECOVERY_CHARS - 1];
        key[31] = ((bits << 1) | (last >> 4)) as u8;
        if (last & 15) as u8 != check(&key) {
            return Err(Error::RecoveryKeyInvalid);
        }
        Ok(DbKey(key))
    }
}

/// Four bits that change with any one character mistyped.
fn check(key: &[u8; 32]) -> u8 {
    let mut c: u8 = 0;
    for (i, b) in key.iter().enumerate() {
        c = c.rotate_left(3) ^ b.wrapping_mul(i as u8 | 1);
    }
    (c ^ (c >> 4)) & 15
}

/// The key scripts give, if they give one.
fn from_env() -> Result<Option<DbKey>> {
    match std::env::var(ENV) {
        Ok(v) if !v.trim().is_empty() => DbKey::from_hex(&v).map(Some).ok_or(Error::KeyEnvInvalid),
        _ => Ok(None),
    }
}

/// A database's path as the credential store knows it: its folder's real path (symbolic links
/// and `..` resolved, so that the same file reached another way finds the same key) and its
/// name.
fn real_path(path: &Path) -> std::path::PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (abs.parent().map(std::fs::canonicalize), abs.file_name()) {
        (Some(Ok(dir)), Some(name)) => dir.join(name),
        _ => abs,
    }
}

/// The credential store's account for a database.
fn account(path: &Path) -> String {
    format!("database:{}", real_path(path).display())
}

fn entry(path: &Path) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, &account(path)).map_err(store_error)
}

fn store_error(e: keyring::Error) -> Error {
    Error::KeyStore(e.to_string())
}

/// Where the key of a database comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `TONGXIN_DB_KEY`.
    Env,
    /// The operating system's credential store.
    Store,
}

/// The key of the database at `path`: the one scripts give, else the one the credential store
/// keeps for it; `None` when the store has none.
pub fn lookup(path: &Path) -> Result<Option<(DbKey, Source)>> {
    if let Some(k) = from_env()? {
        return Ok(Some((k, Source::Env)));
    }
    match entry(path)?.get_password() {
        Ok(hex) => Ok(Some((
            DbKey::from_hex(&hex).ok_or_else(|| Error::KeyStore("保存的密钥已损坏".into()))?,
            Source::Store,
        ))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(store_error(e)),
    }
}

/// Keeps `key` as the key of the database at `path` (in the credential store; with
/// `TONGXIN_DB_KEY` given, the script keeps it and nothing is stored).
pub fn remember(path: &Path, key: &DbKey) -> Result<Source> {
    if from_env()?.is_some() {
        return Ok(Source::Env);
    }
    entry(path)?.set_password(&key.hex()).map_err(store_error)?;
    Ok(Source::Store)
}

/// Whether this process keeps secrets in the credential store: not when a script gives the key
/// (`TONGXIN_DB_KEY`), nor for a database in memory.
pub fn uses_store(db_path: Option<&Path>) -> bool {
    db_path.is_some() && std::env::var_os(ENV).is_none()
}

fn secret_entry(db_path: &Path, what: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("{what}:{}", real_path(db_path).display()))
        .map_err(store_error)
}

/// Another secret of the database at `db_path` kept in the credential store (the city
/// server's password: `what` = "city-password"); `None` when there is none.
pub fn secret(db_path: &Path, what: &str) -> Result<Option<String>> {
    match secret_entry(db_path, what)?.get_password() {
        Ok(v) => Ok(Some(v)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(store_error(e)),
    }
}

/// Keeps `value` as that secret; an empty value removes it.
pub fn set_secret(db_path: &Path, what: &str, value: &str) -> Result<()> {
    let entry = secret_entry(db_path, what)?;
    if value.is_empty() {
        return match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(store_error(e)),
        };
    }
    entry.set_password(value).map_err(store_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_key_reads_back_as_the_key_however_it_is_typed() {
        for _ in 0..200 {
            let k = DbKey::random().unwrap();
            let r = k.recovery();
            assert_eq!(r.len(), 52 + 12, "{r}");
            assert_eq!(DbKey::from_recovery(&r).unwrap(), k);
            let loose = r.to_lowercase().replace('-', " ");
            assert_eq!(DbKey::from_recovery(&loose).unwrap(), k);
        }
    }

    #[test]
    fn a_recovery_key_with_a_character_changed_or_missing_is_refused() {
        let k = DbKey::random().unwrap();
        let r = k.recovery();
        assert!(DbKey::from_recovery(&r[..r.len() - 1]).is_err());
        assert!(DbKey::from_recovery(&r.replace('-', "").replacen(|_| true, "0", 1)).is_err());
        // Any single character replaced by another: refused or (rarely) another key, never
        // this one read wrong silently as this one.
        let mut refused = 0;
        for (i, c) in r.char_indices().filter(|(_, c)| *c != '-') {
            let other = if c == 'A' { 'B' } else { 'A' };
            let typo: String = r
                .char_indices()
                .map(|(j, x)| if j == i { other } else { x })
                .collect();
            match DbKey::from_recovery(&typo) {
                Err(_) => refused += 1,
                Ok(t) => assert_ne!(t, k),
            }
        }
        assert!(
            refused >= 40,
            "the check catches most typos: {refused} of 52"
        );
    }

    #[test]
    fn a_key_never_shows_in_debug_output() {
        let k = DbKey::random().unwrap();
        assert!(!format!("{k:?}").contains(&k.hex()[..8]));
    }
}
