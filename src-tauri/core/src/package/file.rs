//! The package file: one line of JSON header, a newline, the body.
//!
//! Version 2 seals the body (the payload as JSON) with XChaCha20-Poly1305, the header line
//! being the associated data — so neither can be changed, and a package that does not open
//! under the right key is refused as forged. Three ways to seal:
//! - `event`: under the event's own key, which every laptop set up from one database shares
//!   (a desk package, or a sub-venue package to a laptop that has the event);
//! - `passphrase`: under a key stretched (Argon2id) from a passphrase the main laptop shows
//!   once; such a sub-venue package carries the event's key, so the laptop it sets up is
//!   one of the event's from then on;
//! - `none`: written only on explicit request, readable by anyone (SHA-256 guards against a
//!   torn copy, not against a forger) and merged only on explicit trust — as is a version-1
//!   package, which was never sealed.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{validate, Kind, Payload};
use crate::seal::{self, hex, unhex, Key, NONCE_LEN, SALT_LEN};
use crate::{store, Db, Error, Result};

pub const FORMAT: &str = "tongxin-package";
pub const VERSION: u32 = 2;
/// Longest header line read (it is a few hundred bytes).
const MAX_HEADER: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SealKind {
    Event,
    Passphrase,
    None,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    kind: Kind,
    #[serde(default)]
    event_id: String,
    /// Version 1 had no seal.
    #[serde(default = "unsealed")]
    seal: SealKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    nonce: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    salt: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    sha256: String,
    bytes: usize,
}

fn unsealed() -> SealKind {
    SealKind::None
}

/// How a package is written.
#[derive(Debug, Clone)]
pub enum Sealing {
    /// Under the event's key: for laptops set up from this database.
    EventKey,
    /// Under this passphrase; the package carries the event's key (sub-venue set-up).
    Passphrase(String),
    /// Readable by anyone; only on explicit request.
    Unsealed,
}

/// How a package may be opened.
#[derive(Debug, Clone, Default)]
pub struct Unlock {
    pub passphrase: Option<String>,
    /// Merge an unsealed (or version-1) package: the coordinator confirmed where it came from.
    pub trust_foreign: bool,
}

/// A package read, checked and opened.
#[derive(Debug, Clone)]
pub struct Opened {
    pub payload: Payload,
    /// False for a package merged on the coordinator's trust (unsealed or version 1).
    pub sealed: bool,
    /// The event's key, carried by a passphrase-sealed sub-venue package.
    pub event_key: Option<Key>,
}

fn failed(e: impl std::fmt::Display) -> Error {
    Error::Export(format!("无法生成数据包：{e}"))
}

/// The package as a file's bytes.
pub fn to_bytes(db: &Db, p: &Payload, sealing: &Sealing) -> Result<Vec<u8>> {
    let mut header = Header {
        format: FORMAT.into(),
        version: VERSION,
        kind: p.kind,
        event_id: p.event.id.clone(),
        seal: SealKind::None,
        nonce: String::new(),
        salt: String::new(),
        sha256: String::new(),
        bytes: 0,
    };
    let event_key = || {
        store::event::key(db.conn(), &p.event.id)?
            .ok_or_else(|| Error::EventNotFound(p.event.id.clone()))
    };
    let (key, body) = match sealing {
        Sealing::Unsealed => {
            let body = serde_json::to_vec(p).map_err(failed)?;
            header.sha256 = hex(&Sha256::digest(&body));
            (None, body)
        }
        Sealing::EventKey => {
            header.seal = SealKind::Event;
            (Some(event_key()?), serde_json::to_vec(p).map_err(failed)?)
        }
        Sealing::Passphrase(phrase) => {
            header.seal = SealKind::Passphrase;
            let salt = seal::new_salt()?;
            header.salt = hex(&salt);
            let mut carried = p.clone();
            carried.event_key = Some(hex(&event_key()?));
            (
                Some(seal::stretch(phrase, &salt)?),
                serde_json::to_vec(&carried).map_err(failed)?,
            )
        }
    };
    let body = match key {
        None => body,
        Some(key) => {
            let nonce = seal::new_nonce()?;
            header.nonce = hex(&nonce);
            // The sealed length is known before sealing: the AEAD adds a 16-byte tag.
            header.bytes = body.len() + 16;
            let line = serde_json::to_vec(&header).map_err(failed)?;
            let sealed = seal::seal(&key, &nonce, &line, &body)?;
            return Ok([line, b"\n".to_vec(), sealed].concat());
        }
    };
    header.bytes = body.len();
    let line = serde_json::to_vec(&header).map_err(failed)?;
    Ok([line, b"\n".to_vec(), body].concat())
}

/// Reads, opens and checks a package against this database: ours, a version we know, complete,
/// sealed under this event's key (or the passphrase; or unsealed and trusted on request), every
/// record valid. Nothing is written.
pub fn open(db: &Db, bytes: &[u8], unlock: &Unlock) -> Result<Opened> {
    open_with_key(bytes, unlock, key_for(db, bytes)?)
}

/// The key of the event a package names in its header, when this laptop holds it (the rest of
/// the package is checked by opening it).
pub fn key_for(db: &Db, bytes: &[u8]) -> Result<Option<[u8; 32]>> {
    let Some(nl) = bytes.iter().take(MAX_HEADER).position(|b| *b == b'\n') else {
        return Ok(None);
    };
    match serde_json::from_slice::<Header>(&bytes[..nl]) {
        Ok(h) => store::event::key(db.conn(), &h.event_id),
        Err(_) => Ok(None),
    }
}

/// `open`, given the event's key (looked up by the caller, who may hold the database only for
/// that): unsealing, parsing and checking every record — the slow part, Argon2 for a
/// passphrase — touch no database, so a desk's scan never waits behind them.
pub fn open_with_key(bytes: &[u8], unlock: &Unlock, event_key: Option<[u8; 32]>) -> Result<Opened> {
    let not_ours = || Error::PackageInvalid("这不是同心签到的数据包".into());
    let nl = bytes
        .iter()
        .take(MAX_HEADER)
        .position(|b| *b == b'\n')
        .ok_or_else(not_ours)?;
    let line = &bytes[..nl];
    let header: Header = serde_json::from_slice(line).map_err(|_| not_ours())?;
    if header.format != FORMAT {
        return Err(not_ours());
    }
    if header.version > VERSION {
        return Err(Error::PackageTooNew {
            found: header.version,
            supported: VERSION,
        });
    }
    let body = &bytes[nl + 1..];
    if body.len() != header.bytes {
        return Err(Error::PackageInvalid(
            "文件不完整（长度不符），可能拷贝时中断了".into(),
        ));
    }
    let nonce = || unhex::<NONCE_LEN>(&header.nonce).ok_or_else(not_ours);
    let (plain, sealed, carried_key) = match header.seal {
        SealKind::None => {
            if hex(&Sha256::digest(body)) != header.sha256 {
                return Err(Error::PackageInvalid(
                    "文件不完整或已被改动（校验和不符），可能拷贝时中断了".into(),
                ));
            }
            if !unlock.trust_foreign {
                return Err(Error::PackageUnsealed);
            }
            (body.to_vec(), false, false)
        }
        SealKind::Event => {
            let key = event_key.ok_or(Error::PackageNoKey)?;
            let plain = seal::open(&key, &nonce()?, line, body).ok_or(Error::PackageForged)?;
            (plain, true, false)
        }
        SealKind::Passphrase => {
            let phrase = unlock
                .passphrase
                .as_deref()
                .filter(|p| !seal::normalise_passphrase(p).is_empty())
                .ok_or(Error::PassphraseRequired)?;
            let salt = unhex::<SALT_LEN>(&header.salt).ok_or_else(not_ours)?;
            let key = seal::stretch(phrase, &salt)?;
            let plain = seal::open(&key, &nonce()?, line, body).ok_or(Error::PassphraseWrong)?;
            (plain, true, true)
        }
    };
    let payload: Payload = serde_json::from_slice(&plain)
        .map_err(|e| Error::PackageInvalid(format!("内容无法读取（{e}）")))?;
    if payload.kind != header.kind || (header.version >= 2 && payload.event.id != header.event_id) {
        return Err(Error::PackageInvalid("内容与文件头不符".into()));
    }
    let event_key = match (carried_key, &payload.event_key) {
        (true, Some(k)) => Some(unhex::<32>(k).ok_or_else(|| Error::PackageRecord {
            what: "活动密钥".into(),
            why: "格式不对".into(),
        })?),
        _ => None,
    };
    validate::check(&payload)?;
    Ok(Opened {
        payload,
        sealed,
        event_key,
    })
}

pub fn read_file(db: &Db, path: &std::path::Path, unlock: &Unlock) -> Result<Opened> {
    open(db, &read_bytes(path)?, unlock)
}

/// A package file's bytes, refused when larger than any package can be.
pub fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>> {
    let size = std::fs::metadata(path)?.len();
    if size > super::MAX_BYTES {
        return Err(Error::PackageInvalid(format!(
            "文件过大（{} MB），不是同心签到的数据包",
            size / 1024 / 1024
        )));
    }
    Ok(std::fs::read(path)?)
}
