//! Sealing packages: authenticated encryption (XChaCha20-Poly1305, RustCrypto's `aead` API used
//! as it is) under a 32-byte key. An event's key is made when the event is and travels only
//! inside copies of the database and inside a sub-venue package; a sub-venue package is sealed
//! under a key stretched with Argon2id from a passphrase the main laptop shows once.
//!
//! Nothing here is our own cryptography: random keys and nonces from the OS, the AEAD opens or
//! it does not, and the file's header is bound to the ciphertext as associated data.

use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::{Error, Result};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;
pub const SALT_LEN: usize = 16;

pub type Key = [u8; KEY_LEN];

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out)
        .map_err(|e| Error::Export(format!("系统无法提供随机数（{e}），数据包没有写成")))?;
    Ok(out)
}

/// A new secret key for an event.
pub fn new_key() -> Result<Key> {
    random()
}

pub fn new_nonce() -> Result<[u8; NONCE_LEN]> {
    random()
}

pub fn new_salt() -> Result<[u8; SALT_LEN]> {
    random()
}

/// `msg` encrypted and authenticated under `key`, `aad` authenticated with it.
pub fn seal(key: &Key, nonce: &[u8; NONCE_LEN], aad: &[u8], msg: &[u8]) -> Result<Vec<u8>> {
    XChaCha20Poly1305::new(key.into())
        .encrypt(XNonce::from_slice(nonce), Payload { msg, aad })
        .map_err(|_| Error::Export("数据包加密失败".into()))
}

/// The plaintext, or `None` when the key is wrong or anything (ciphertext or `aad`) was altered.
pub fn open(key: &Key, nonce: &[u8; NONCE_LEN], aad: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
        .ok()
}

/// Letters and digits nobody confuses when reading them off a screen (no 0/O, 1/I/L).
const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A passphrase for a sub-venue package: 5 groups of 4 characters (99 bits), e.g.
/// `K7QF-3M9P-XW2D-8H4T-RN6C`.
pub fn new_passphrase() -> Result<String> {
    let bytes: [u8; 20] = random()?;
    let mut out = String::new();
    let mut n = 0;
    let mut pool = bytes.to_vec();
    while n < 20 {
        let b = match pool.pop() {
            Some(b) => b,
            None => {
                pool = random::<16>()?.to_vec();
                continue;
            }
        };
        // 248 = 31 × 8: bytes above it would favour the first characters.
        if b >= 248 {
            continue;
        }
        if n > 0 && n % 4 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[(b % 31) as usize] as char);
        n += 1;
    }
    Ok(out)
}

/// What the coordinator typed, as the passphrase was shown: case, spaces and dashes ignored.
pub fn normalise_passphrase(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The key a passphrase stands for (Argon2id, the crate's default cost: 19 MiB, 2 passes).
pub fn stretch(passphrase: &str, salt: &[u8; SALT_LEN]) -> Result<Key> {
    let mut key = [0u8; KEY_LEN];
    Argon2::default()
        .hash_password_into(normalise_passphrase(passphrase).as_bytes(), salt, &mut key)
        .map_err(|e| Error::Export(format!("口令处理失败：{e}")))?;
    Ok(key)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Exactly `N` bytes from hex, or `None`.
pub fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_sealed_opens_only_under_its_key_and_header() {
        let key = new_key().unwrap();
        let nonce = new_nonce().unwrap();
        let sealed = seal(&key, &nonce, b"header", b"the day").unwrap();
        assert_eq!(
            open(&key, &nonce, b"header", &sealed).as_deref(),
            Some(&b"the day"[..])
        );
        let other = new_key().unwrap();
        assert!(
            open(&other, &nonce, b"header", &sealed).is_none(),
            "wrong key"
        );
        assert!(
            open(&key, &nonce, b"Header", &sealed).is_none(),
            "header changed"
        );
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(
            open(&key, &nonce, b"header", &flipped).is_none(),
            "a bit flipped"
        );
    }

    #[test]
    fn a_passphrase_is_read_off_a_screen_and_typed_back_loosely() {
        let p = new_passphrase().unwrap();
        assert_eq!(p.len(), 24, "{p}");
        assert!(p.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert!(!p.contains(['0', 'O', '1', 'I', 'L']));
        assert_ne!(p, new_passphrase().unwrap());
        let salt = new_salt().unwrap();
        let typed = p.to_lowercase().replace('-', " ");
        assert_eq!(stretch(&p, &salt).unwrap(), stretch(&typed, &salt).unwrap());
        assert_ne!(
            stretch(&p, &salt).unwrap(),
            stretch("K7QF-3M9P-XW2D-8H4T-RN6C", &salt).unwrap()
        );
    }

    #[test]
    fn hex_round_trips_and_refuses_the_wrong_length() {
        let k = new_key().unwrap();
        assert_eq!(unhex::<32>(&hex(&k)), Some(k));
        assert_eq!(unhex::<32>("abcd"), None);
        assert_eq!(unhex::<2>("zzzz"), None);
        assert_eq!(unhex::<2>("é1"), None);
    }
}
