//! UUID v4 identifiers of the native host, drawn from a bulk randomness pool:
//! one call to the operating system serves many ids.

use std::fmt;

/// A version-4 UUID.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// Builds a v4 UUID from 16 random bytes (sets the version and variant bits).
    pub fn from_random(mut bytes: [u8; 16]) -> Uuid {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        Uuid(bytes)
    }
}

impl fmt::Display for Uuid {
    /// Lower-case and hyphenated: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

const POOL_BYTES: usize = 4096;

/// Random bytes fetched in bulk and handed out 16 at a time.
pub struct RandomPool {
    buf: Box<[u8; POOL_BYTES]>,
    pos: usize,
}

impl Default for RandomPool {
    fn default() -> Self {
        RandomPool { buf: Box::new([0; POOL_BYTES]), pos: POOL_BYTES }
    }
}

impl RandomPool {
    /// The next UUID; `refill` overwrites the whole buffer with fresh randomness when it runs dry.
    pub fn next_uuid(&mut self, refill: impl FnOnce(&mut [u8])) -> Uuid {
        if self.pos + 16 > POOL_BYTES {
            refill(&mut self.buf[..]);
            self.pos = 0;
        }
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&self.buf[self.pos..self.pos + 16]);
        // Never hand out the same bytes twice, even if a refill were to fail silently.
        self.buf[self.pos..self.pos + 16].fill(0);
        self.pos += 16;
        Uuid::from_random(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_as_lowercase_v4() {
        let id = Uuid::from_random([0xff; 16]);
        assert_eq!(id.to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id = Uuid::from_random([0; 16]);
        assert_eq!(id.to_string(), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn pool_refills_once_per_256_ids() {
        let mut pool = RandomPool::default();
        let mut refills = 0;
        let mut counter = 0u8;
        for _ in 0..512 {
            pool.next_uuid(|buf| {
                refills += 1;
                for b in buf.iter_mut() {
                    counter = counter.wrapping_add(7);
                    *b = counter;
                }
            });
        }
        assert_eq!(refills, 2);
    }
}
