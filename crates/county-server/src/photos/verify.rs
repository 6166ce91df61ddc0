//! The checks a whole variant passes before the county keeps it: an original is a JPEG or PNG
//! that decodes and hashes to its name; a thumbnail is a JPEG that decodes, at most
//! [`THUMBNAIL_SIDE`] px on its long edge, and hashes to what its device declared.

use super::{PhotoVariant, Refusal, THUMBNAIL_SIDE};
use image::{ImageFormat, ImageReader, Limits};
use patrol_model::PhotoHash;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// The largest original the county decodes, per side (a 50 MP camera is 8,700 px wide).
const MAX_ORIGINAL_SIDE: u32 = 12_000;

/// `Ok(Err(refusal))` when the file is not what it must be; `Err` only when it cannot be read.
pub fn check_variant(
    path: &Path,
    variant: PhotoVariant,
    name: &PhotoHash,
    declared: &PhotoHash,
) -> Result<Result<(), Refusal>, std::io::Error> {
    let sha256 = file_sha256(path)?;
    match variant {
        PhotoVariant::Original if sha256 != name.as_str() => Ok(Err(Refusal::NameMismatch)),
        PhotoVariant::Thumbnail if sha256 != declared.as_str() => {
            Ok(Err(Refusal::DeclaredMismatch))
        }
        _ => check_image(path, variant),
    }
}

/// The image checks alone (files of the old layout have no declared hash for a thumbnail).
pub fn check_image(
    path: &Path,
    variant: PhotoVariant,
) -> Result<Result<(), Refusal>, std::io::Error> {
    let (allowed, side): (&[ImageFormat], u32) = match variant {
        PhotoVariant::Thumbnail => (&[ImageFormat::Jpeg], THUMBNAIL_SIDE),
        PhotoVariant::Original => (&[ImageFormat::Jpeg, ImageFormat::Png], MAX_ORIGINAL_SIDE),
    };
    let (width, height) = match image_dimensions(path, allowed)? {
        Ok(dimensions) => dimensions,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if variant == PhotoVariant::Thumbnail && width.max(height) > THUMBNAIL_SIDE {
        return Ok(Err(Refusal::ThumbnailTooLarge { width, height }));
    }
    if width.max(height) > side {
        return Ok(Err(Refusal::NotAnImage(format!(
            "{width}×{height} px is larger than {side} px a side"
        ))));
    }
    decode(path, side)
}

fn reader(path: &Path) -> Result<ImageReader<BufReader<File>>, std::io::Error> {
    ImageReader::open(path)?.with_guessed_format()
}

/// The size the file's header declares, if it is one of the allowed formats.
fn image_dimensions(
    path: &Path,
    allowed: &[ImageFormat],
) -> Result<Result<(u32, u32), Refusal>, std::io::Error> {
    let reader = reader(path)?;
    match reader.format() {
        Some(format) if allowed.contains(&format) => {}
        _ => {
            let names: Vec<&str> = allowed.iter().map(|format| format_name(*format)).collect();
            return Ok(Err(Refusal::NotAnImage(format!(
                "not a {} file",
                names.join(" or ")
            ))));
        }
    }
    Ok(reader
        .into_dimensions()
        .map_err(|error| Refusal::NotAnImage(error.to_string())))
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        _ => "image",
    }
}

/// Decodes every pixel (a truncated or damaged file fails here, not in the dashboard).
fn decode(path: &Path, side: u32) -> Result<Result<(), Refusal>, std::io::Error> {
    let mut reader = reader(path)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    reader.limits(limits);
    Ok(reader
        .decode()
        .map(|_| ())
        .map_err(|error| Refusal::NotAnImage(error.to_string())))
}

pub fn file_sha256(path: &Path) -> Result<String, std::io::Error> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}
