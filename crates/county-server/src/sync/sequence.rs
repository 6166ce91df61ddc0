//! A device's sequence: how far it is contiguous, and where the holes are.

/// Where a device's records stand after a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceState {
    pub acknowledged_through: u64,
    pub highest_seq: u64,
    pub missing: Vec<[u64; 2]>,
}

/// From the previous contiguous prefix and the stored seqs above it (ascending), the new
/// contiguous prefix, the highest seq and the missing ranges below it.
pub fn sequence_state(
    acknowledged_through: u64,
    highest_seq: u64,
    seqs_above: &[u64],
) -> SequenceState {
    let mut through = acknowledged_through;
    let mut missing = Vec::new();
    let mut expected = acknowledged_through + 1;
    for &seq in seqs_above {
        if seq < expected {
            continue;
        }
        if seq > expected {
            missing.push([expected, seq - 1]);
        } else if missing.is_empty() {
            through = seq;
        }
        expected = seq + 1;
    }
    let highest = highest_seq.max(expected - 1);
    SequenceState {
        acknowledged_through: through,
        highest_seq: highest,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_prefix_and_gaps() {
        let state = sequence_state(0, 0, &[1, 2, 3, 6, 7, 9]);
        assert_eq!(state.acknowledged_through, 3);
        assert_eq!(state.highest_seq, 9);
        assert_eq!(state.missing, vec![[4, 5], [8, 8]]);
        let filled = sequence_state(3, 9, &[4, 5, 6, 7, 8, 9]);
        assert_eq!(filled.acknowledged_through, 9);
        assert!(filled.missing.is_empty());
        let first_missing = sequence_state(0, 0, &[2]);
        assert_eq!(first_missing.acknowledged_through, 0);
        assert_eq!(first_missing.missing, vec![[1, 1]]);
        assert_eq!(sequence_state(5, 5, &[]).acknowledged_through, 5);
    }
}
