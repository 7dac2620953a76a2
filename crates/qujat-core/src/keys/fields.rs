//! Sealed store fields: XChaCha20-Poly1305 with a random 24-byte nonce
//! under a key derived from the data key with HKDF-SHA256, stored as text
//! `enc1:` + base64(nonce ‖ ciphertext). The associated data is the field's
//! `table.column`, so a sealed value moved to another column does not open.
//! A value without the prefix is plaintext from before encryption (read as
//! is until the migration seals it).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use crate::error::{Error, Result, StoreError};

/// The prefix of a sealed value.
pub const PREFIX: &str = "enc1:";

/// Seals and opens the store's sensitive fields.
#[derive(Clone)]
pub struct FieldCipher {
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for FieldCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FieldCipher(…)")
    }
}

impl FieldCipher {
    /// Derives the field key from the data key's secret `ikm`; `salt` is the
    /// key id, `info` names the purpose and version.
    pub(crate) fn derive(ikm: &[u8], key_id: &str) -> FieldCipher {
        let hk = hkdf::Hkdf::<sha2_10::Sha256>::new(Some(key_id.as_bytes()), ikm);
        let mut key = Zeroizing::new([0u8; 32]);
        // 32 bytes is far below HKDF-SHA256's limit; expand cannot fail.
        let _ = hk.expand(b"qujat store fields v1", key.as_mut());
        FieldCipher { key }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.key.as_ref().into())
    }

    /// Seals `plain` for the column `field` (`table.column`).
    pub fn seal(&self, field: &str, plain: &str) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            // Encryption fails only for messages past 256 GiB.
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}{}", B64.encode(bytes))
    }

    /// Opens a value of column `field`: sealed ones are decrypted, plaintext
    /// ones (from before encryption) returned as they are.
    pub fn open(&self, field: &str, stored: &str) -> Result<String> {
        let Some(body) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        let damaged = || {
            Error::from(StoreError::Store {
                detail: format!("a sealed value of {field} does not open with this data key"),
            })
        };
        let bytes = B64.decode(body).map_err(|_| damaged())?;
        if bytes.len() < 24 {
            return Err(damaged());
        }
        let (nonce, sealed) = bytes.split_at(24);
        let plain = self
            .cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| damaged())?;
        String::from_utf8(plain).map_err(|_| damaged())
    }

    /// Whether a stored value is sealed.
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}
