//! Photos to upload: real JPEGs of a made-up hillside with sensor-like noise, so they do not
//! compress to nothing, sized to about a target number of bytes.

use crate::log::Rng;
use anyhow::Result;
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// A JPEG (quality 85) of at most `target` bytes and at least 97 % of it.
pub fn noisy_jpeg(seed: u64, target: usize) -> Result<Vec<u8>> {
    let (mut width, mut height) = (640u32, 480u32);
    let mut best: Option<Vec<u8>> = None;
    for _ in 0..12 {
        let bytes = encode(seed, width, height)?;
        let size = bytes.len();
        if size <= target && best.as_ref().is_none_or(|best| best.len() < size) {
            best = Some(bytes);
        }
        if size <= target && size * 100 >= target * 97 {
            break;
        }
        let scale = ((target as f64 * 0.985) / size as f64).sqrt();
        width = ((width as f64 * scale).round() as u32).max(16);
        height = ((height as f64 * scale).round() as u32).max(12);
    }
    best.ok_or_else(|| anyhow::anyhow!("no JPEG of at most {target} bytes"))
}

fn encode(seed: u64, width: u32, height: u32) -> Result<Vec<u8>> {
    let mut rng = Rng::new(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let ridge = 0.35 + rng.unit() * 0.2;
    let picture = RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f64 / width as f64, y as f64 / height as f64);
        let horizon = ridge + 0.08 * (fx * 9.0).sin() + 0.03 * (fx * 31.0).cos();
        let base = if fy < horizon {
            // Sky, lighter towards the horizon.
            [120.0 + 80.0 * fy, 160.0 + 60.0 * fy, 220.0]
        } else {
            // Green hillside with a darker path across it.
            let path = ((fy - 0.75 - 0.1 * fx).abs() < 0.03) as u8 as f64;
            [60.0 + 90.0 * path, 110.0 + 30.0 * fy, 50.0 + 60.0 * path]
        };
        let mut pixel = [0u8; 3];
        for (channel, value) in pixel.iter_mut().zip(base) {
            let noise = (rng.next_u64() % 49) as f64 - 24.0;
            *channel = (value + noise).clamp(0.0, 255.0) as u8;
        }
        Rgb(pixel)
    });
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 85).encode_image(&picture)?;
    Ok(bytes)
}
