//! Pounds, shown the way UK readers expect: £42,000 and £42,000–£65,000.

/// Formats whole pounds with thousands separators.
pub fn pounds(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if amount < 0 {
        format!("−£{out}")
    } else {
        format!("£{out}")
    }
}

pub fn pounds_range(min: i64, max: i64) -> String {
    format!("{}–{}", pounds(min), pounds(max))
}

/// A percentage rounded half away from zero, as a whole number.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    let scaled = part as f64 * 100.0 / whole as f64;
    scaled.round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_pounds() {
        assert_eq!(pounds(0), "£0");
        assert_eq!(pounds(950), "£950");
        assert_eq!(pounds(42_000), "£42,000");
        assert_eq!(pounds(1_234_567), "£1,234,567");
        assert_eq!(pounds(-5_500), "−£5,500");
        assert_eq!(pounds_range(42_000, 65_000), "£42,000–£65,000");
    }

    #[test]
    fn rounds_percentages() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(-1, 8), -13);
        assert_eq!(percent(5, 0), 0);
    }
}
