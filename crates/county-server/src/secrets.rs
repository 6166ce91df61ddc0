//! Device tokens, enrolment codes and admin passwords: how they are made and how they are kept
//! (tokens and codes as SHA-256, passwords as argon2id). The clear text is shown once and never
//! stored.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Argon2, PasswordHash};
use base64::Engine;
use sha2::{Digest, Sha256};

/// Prefix of every device token (format version 1).
pub const TOKEN_PREFIX: &str = "pl1_";
/// An enrolment code is valid this long.
pub const ENROLMENT_CODE_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// Letters and digits that cannot be mistaken for one another when read aloud or typed.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the system random source failed: {0}")]
    Random(String),
    #[error("password hashing failed: {0}")]
    Password(String),
}

fn random_bytes<const N: usize>() -> Result<[u8; N], SecretError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| SecretError::Random(error.to_string()))?;
    Ok(bytes)
}

/// A new device token: `pl1_` + 32 random bytes in base64url (43 characters).
pub fn new_device_token() -> Result<String, SecretError> {
    let bytes = random_bytes::<32>()?;
    Ok(format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    ))
}

/// Lower-case hex SHA-256, how tokens and codes are stored and looked up.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A new one-time enrolment code such as `K7QF-3MZP-8WXD` (about 59 bits).
pub fn new_enrolment_code() -> Result<String, SecretError> {
    let bytes = random_bytes::<12>()?;
    let letters: Vec<char> = bytes
        .iter()
        .map(|byte| CODE_ALPHABET[usize::from(*byte) % CODE_ALPHABET.len()] as char)
        .collect();
    Ok(letters
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// The code as typed (any case, spaces or dashes) in the form its hash is taken of.
pub fn normalize_enrolment_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

pub fn enrolment_code_hash(code: &str) -> String {
    sha256_hex(&normalize_enrolment_code(code))
}

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    let salt_bytes = random_bytes::<16>()?;
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|error| SecretError::Password(error.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| SecretError::Password(error.to_string()))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    verify_password_in(password, phc, &mut Vec::new())
}

/// [`verify_password`] with argon2's working memory in `memory` (grown as the hash's
/// parameters need, kept for the next check), so a server that checks passwords all day
/// holds a fixed few buffers instead of asking the allocator for ~19 MiB each time.
pub fn verify_password_in(password: &str, phc: &str, memory: &mut Vec<argon2::Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (hash.hash, hash.salt) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(hash.algorithm) else {
        return false;
    };
    let version = hash
        .version
        .map_or(Ok(argon2::Version::default()), argon2::Version::try_from);
    let (Ok(version), Ok(params)) = (version, argon2::Params::try_from(&hash)) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, argon2::Block::default());
    }
    let mut output = vec![0u8; expected.len()];
    let hashed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password.as_bytes(),
        salt,
        &mut output,
        &mut memory[..blocks],
    );
    // `Output` compares in constant time.
    hashed.is_ok()
        && argon2::password_hash::Output::new(&output).is_ok_and(|output| output == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_codes_and_passwords() {
        let token = new_device_token().unwrap();
        assert!(token.starts_with(TOKEN_PREFIX));
        assert_eq!(token.len(), TOKEN_PREFIX.len() + 43);
        assert_ne!(token, new_device_token().unwrap());
        let code = new_enrolment_code().unwrap();
        assert_eq!(code.len(), 14);
        assert_eq!(
            enrolment_code_hash(&code),
            enrolment_code_hash(&code.to_lowercase().replace('-', " "))
        );
        let phc = hash_password("边防 2024").unwrap();
        assert!(verify_password("边防 2024", &phc));
        assert!(!verify_password("wrong", &phc));
        let mut memory = Vec::new();
        assert!(verify_password_in("边防 2024", &phc, &mut memory));
        assert!(!verify_password_in("wrong", &phc, &mut memory));
        assert!(!verify_password_in("边防 2024", "not a phc", &mut memory));
    }
}
