//! The float functions the rules use. std has them as methods, but the wasm
//! build has no std (and core's are unstable), so they are written here once,
//! for both builds, and tested against std's.

/// Drops the fraction, as `f64::trunc`. From 2^52 up every value is whole
/// (and NaN and the infinities stay as they are); below it the value fits an
/// i64 exactly. The sign is kept, so that -0.5 gives -0.0.
pub fn trunc(x: f64) -> f64 {
    if x.abs() < 4503599627370496.0 {
        ((x as i64) as f64).copysign(x)
    } else {
        x
    }
}

/// Rounds down, as `f64::floor`.
pub fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x {
        t - 1.0
    } else {
        t
    }
}

/// The fractional part, as `f64::fract`: NaN for NaN and the infinities.
pub fn fract(x: f64) -> f64 {
    x - trunc(x)
}

/// Rounds half away from zero, as `f64::round`. Adding just under one half
/// keeps 0.49999999999999994 from rounding up; at 2^52 and beyond, where
/// every value is whole, the sum rounds back to `x`.
pub fn round(x: f64) -> f64 {
    trunc(x + (0.5 - 0.25 * f64::EPSILON).copysign(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: [f64; 22] = [
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        0.49999999999999994,
        -0.49999999999999994,
        1.4999999999999998,
        4503599627370495.5,
        4503599627370496.0,
        4503599627370497.0,
        9007199254740993.0,
        1e300,
        -1e-300,
        f64::MIN_POSITIVE,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1700000000123.4565,
    ];

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn match_std() {
        let mut x = 0.000123_f64;
        let spread = (0..20_000).map(|_| {
            x = x * 1.37 + 0.25;
            if x > 1e18 {
                x /= 1e17;
            }
            x
        });
        for v in CASES.into_iter().chain([f64::NAN]).chain(spread).flat_map(|v| [v, -v, v * 1e3, v / 7.0]) {
            assert!(same(round(v), v.round()), "round({v:?}) = {:?}, std {:?}", round(v), v.round());
            assert!(same(fract(v), v.fract()), "fract({v:?})");
            assert!(same(trunc(v), v.trunc()), "trunc({v:?})");
            assert!(same(floor(v), v.floor()), "floor({v:?})");
        }
    }
}
