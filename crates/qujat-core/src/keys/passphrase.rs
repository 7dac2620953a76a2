//! The data key wrapped under a passphrase, for computers without a
//! keychain: Argon2id (memory-hard, so guessing is slow even on GPUs) turns
//! the passphrase and a random salt into a 32-byte key, which seals the
//! identity with XChaCha20-Poly1305. A wrong passphrase fails the
//! authentication tag; nothing about the passphrase is stored.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, KeyError, Result};

/// Argon2id memory in KiB: 64 MiB.
pub const M_KIB: u32 = 64 * 1024;
/// Argon2id passes.
pub const T_COST: u32 = 3;
/// Argon2id lanes.
pub const P_COST: u32 = 1;
/// The most memory a record may ask for (1 GiB): a record is data, and a
/// changed one must not make the unlock exhaust the machine.
const MAX_M_KIB: u32 = 1024 * 1024;
const MAX_T_COST: u32 = 64;

const AAD: &[u8] = b"qujat data key v1";

/// The wrapped key and how to derive the key that unwraps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    /// Always `argon2id`.
    pub kdf: String,
    /// Memory, KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
    /// Random salt, base64.
    pub salt: String,
    /// XChaCha20-Poly1305 nonce, base64.
    pub nonce: String,
    /// The sealed identity, base64.
    pub wrapped: String,
}

fn derive(pass: &str, salt: &[u8], m_kib: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(m_kib, t, p, Some(32)).map_err(|e| KeyError::KeyRecordInvalid {
        path: super::KEY_FILE.into(),
        detail: format!("Argon2id parameters: {e}"),
    })?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pass.as_bytes(), salt, out.as_mut())
        .map_err(|e| KeyError::KeyRecordInvalid {
            path: super::KEY_FILE.into(),
            detail: format!("Argon2id: {e}"),
        })?;
    Ok(out)
}

/// Wraps `secret` under `pass`.
pub fn wrap(secret: &str, pass: &str) -> Result<Wrapped> {
    let mut salt = [0u8; 16];
    chacha20poly1305::aead::rand_core::RngCore::fill_bytes(&mut OsRng, &mut salt);
    let key = derive(pass, &salt, M_KIB, T_COST, P_COST)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: secret.as_bytes(),
                aad: AAD,
            },
        )
        .map_err(|_| KeyError::KeychainUnavailable {
            detail: "sealing the key failed".into(),
        })?;
    Ok(Wrapped {
        kdf: "argon2id".into(),
        m_kib: M_KIB,
        t: T_COST,
        p: P_COST,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        wrapped: B64.encode(sealed),
    })
}

/// Unwraps the secret; [`crate::KeyError::WrongPassphrase`] when `pass` is not the one.
pub fn unwrap(w: &Wrapped, pass: &str) -> Result<Zeroizing<String>> {
    let invalid = |detail: &str| {
        Error::from(KeyError::KeyRecordInvalid {
            path: super::KEY_FILE.into(),
            detail: detail.into(),
        })
    };
    if w.kdf != "argon2id" {
        return Err(invalid("unknown key derivation"));
    }
    if w.m_kib > MAX_M_KIB || w.t > MAX_T_COST || w.p == 0 || w.p > 16 {
        return Err(invalid("Argon2id parameters out of range"));
    }
    let salt = B64.decode(&w.salt).map_err(|_| invalid("salt"))?;
    let nonce = B64.decode(&w.nonce).map_err(|_| invalid("nonce"))?;
    let sealed = B64.decode(&w.wrapped).map_err(|_| invalid("wrapped key"))?;
    if nonce.len() != 24 {
        return Err(invalid("nonce"));
    }
    let key = derive(pass, &salt, w.m_kib, w.t, w.p)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &sealed,
                    aad: AAD,
                },
            )
            .map_err(|_| KeyError::WrongPassphrase)?,
    );
    let text = std::str::from_utf8(&plain).map_err(|_| invalid("wrapped key"))?;
    Ok(Zeroizing::new(text.to_owned()))
}
