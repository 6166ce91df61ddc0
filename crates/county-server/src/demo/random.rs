//! The demo's own small random number generator: seeded, so one `--seed` always makes the same
//! year, and split into independent streams (one per post and year) so a post's log does not
//! change when another post is added.

/// xorshift64* seeded through splitmix64: tiny and good enough for a made-up field log.
#[derive(Debug, Clone)]
pub struct DemoRng(u64);

/// splitmix64: spreads any seed (0 included) over the whole state space.
fn splitmix64(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

impl DemoRng {
    /// The stream named by `parts` (the seed, a purpose, a year, a post, …).
    pub fn stream(parts: &[u64]) -> DemoRng {
        let state = parts.iter().fold(0x5eed_u64, |state, part| {
            splitmix64(state ^ splitmix64(*part))
        });
        DemoRng(state.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `low..=high` (`low` when the range is empty).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        if high <= low {
            return low;
        }
        low + self.next_u64() % (high - low + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[low, high)`.
    pub fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// True with probability `probability`.
    pub fn chance(&mut self, probability: f64) -> bool {
        self.unit() < probability
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next_u64() as usize % items.len()]
    }

    /// An index drawn in proportion to `weights` (all zero: uniform).
    pub fn weighted_index(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return self.next_u64() as usize % weights.len().max(1);
        }
        let mut target = self.unit() * total;
        for (index, weight) in weights.iter().enumerate() {
            if target < *weight {
                return index;
            }
            target -= weight;
        }
        weights.len() - 1
    }

    /// A normally distributed value (Box–Muller).
    pub fn normal(&mut self, mean: f64, deviation: f64) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        mean + deviation * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let other = self.next_u64() as usize % (last + 1);
            items.swap(last, other);
        }
    }

    /// Ten random bytes, for the random part of a UUIDv7.
    pub fn uuid_bytes(&mut self) -> [u8; 10] {
        let high = self.next_u64().to_le_bytes();
        let low = self.next_u64().to_le_bytes();
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&high);
        bytes[8..].copy_from_slice(&low[..2]);
        bytes
    }
}

/// Splits `total` into whole parts in proportion to `weights`, each at least `minimum`, summing
/// exactly to `total` (largest remainders get the leftover units). When `total` cannot give every
/// part its minimum, the parts get what there is, in order.
pub fn split_total(total: u64, weights: &[f64], minimum: u64) -> Vec<u64> {
    let parts = weights.len() as u64;
    if parts == 0 {
        return Vec::new();
    }
    if total < minimum * parts {
        let mut left = total;
        return weights
            .iter()
            .map(|_| {
                let part = left.min(minimum);
                left -= part;
                part
            })
            .collect();
    }
    let spare = total - minimum * parts;
    let weight_sum: f64 = weights.iter().map(|weight| weight.max(0.0)).sum();
    let shares: Vec<f64> = weights
        .iter()
        .map(|weight| {
            if weight_sum > 0.0 {
                spare as f64 * weight.max(0.0) / weight_sum
            } else {
                spare as f64 / parts as f64
            }
        })
        .collect();
    let mut result: Vec<u64> = shares.iter().map(|share| share.floor() as u64).collect();
    let given: u64 = result.iter().sum();
    let mut by_remainder: Vec<usize> = (0..shares.len()).collect();
    by_remainder.sort_by(|a, b| {
        let fraction = |index: usize| shares[index] - shares[index].floor();
        fraction(*b).total_cmp(&fraction(*a)).then_with(|| a.cmp(b))
    });
    for index in by_remainder.into_iter().take((spare - given) as usize) {
        result[index] += 1;
    }
    for part in &mut result {
        *part += minimum;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_sums_to_the_total_and_keeps_the_minimum() {
        let mut rng = DemoRng::stream(&[7]);
        for total in [0u64, 5, 24, 680, 40_000] {
            let weights: Vec<f64> = (0..12).map(|_| rng.range(0.5, 2.0)).collect();
            let parts = split_total(total, &weights, 2);
            assert_eq!(parts.iter().sum::<u64>(), total, "{parts:?}");
            if total >= 24 {
                assert!(parts.iter().all(|part| *part >= 2), "{parts:?}");
            }
        }
    }

    #[test]
    fn streams_are_repeatable_and_distinct() {
        let first: Vec<u64> = (0..4)
            .map(|_| DemoRng::stream(&[1, 2]).next_u64())
            .collect();
        assert!(first.windows(2).all(|pair| pair[0] == pair[1]));
        assert_ne!(
            DemoRng::stream(&[1, 2]).next_u64(),
            DemoRng::stream(&[1, 3]).next_u64()
        );
    }
}
