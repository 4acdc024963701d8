//! Every date shape the LinkedIn export has used, parsed into real date types.
//! Times carry no zone in most files; they are kept as naive date-times.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// Shapes with a time of day, tried in order.
const DATETIME_SHAPES: &[&str] = &[
    "%Y-%m-%d %H:%M:%S UTC", // messages 2021 on
    "%Y-%m-%dT%H:%M:%S",     // messages 2020
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S",     // Reactions and friends
    "%Y/%m/%d %H:%M:%S UTC", // Endorsements
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%y, %I:%M %p", // Invitations, 2018 dates, Recommendations
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %H:%M", // Excel re-save of the above
    "%m/%d/%y %H:%M",
    "%a %b %d %H:%M:%S UTC %Y", // Company Follows
    "%Y-%m-%d %H:%M",
];

/// Shapes with a date only.
const DATE_SHAPES: &[&str] = &[
    "%d %b %Y", // Connected On, 2021 on
    "%d %B %Y",
    "%Y-%m-%d",
    "%d-%b-%y", // Excel re-save
    "%d-%b-%Y",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%b %d, %Y",
    "%Y/%m/%d",
];

/// Years a date in an export can have: LinkedIn began in 2003, the owner's
/// studies and career earlier; anything outside is a typo or an attack
/// (`01 Jan -0044`, `9999-12-31`) and is unparseable.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Parse any of the export's date and time shapes, in a plausible year.
pub fn parse_datetime(raw: &str) -> Option<NaiveDateTime> {
    parse_datetime_any(raw).filter(|dt| PLAUSIBLE_YEARS.contains(&dt.year()))
}

/// Parse any shape the export uses. `None` for empty or unparseable text
/// (including impossible dates such as 31 Feb).
fn parse_datetime_any(raw: &str) -> Option<NaiveDateTime> {
    // The usual shape first, before any trimming or scanning.
    if raw.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && let Some(dt) = fast_numeric(raw)
    {
        return Some(dt);
    }
    let s = raw.trim().trim_start_matches('\u{feff}');
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    // A narrow no-break space sometimes sits before AM/PM in re-saved files.
    let owned;
    let s = if !s.is_ascii() && s.contains(['\u{202f}', '\u{a0}']) {
        owned = s.replace(['\u{202f}', '\u{a0}'], " ");
        owned.as_str()
    } else {
        s
    };
    if let Some(dt) = fast_numeric(s)
        .or_else(|| fast_day_month_year(s))
        .or_else(|| fast_us(s))
    {
        return Some(dt);
    }
    for f in DATETIME_SHAPES {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
            return Some(dt);
        }
    }
    parse_date_only(s).map(|d| d.and_time(NaiveTime::MIN))
}

/// Parse to a calendar date (time of day dropped).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    parse_datetime(raw).map(|dt| dt.date())
}

/// `YYYY-MM-DD HH:MM:SS[ UTC]`, `YYYY/MM/DD ...` and `YYYY-MM-DDTHH:MM:SS`
/// without the cost of interpreting a format string: messages.csv holds a
/// million of them.
fn fast_numeric(s: &str) -> Option<NaiveDateTime> {
    let [y, mo, d, h, mi, sec] = numeric_fields(s.as_bytes())?;
    NaiveDate::from_ymd_opt(y as i32, mo, d)?.and_hms_opt(h, mi, sec)
}

/// The number ASCII digits spell; `None` if anything else is there.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
    })
}

/// Year, month, day, hour, minute, second of `fast_numeric`'s shape.
fn numeric_fields(b: &[u8]) -> Option<[u32; 6]> {
    let b = numeric_shape(b)?;
    let ([y, mo, d], [h, mi, sec]) = (numeric_day(b)?, numeric_time(b)?);
    Some([y, mo, d, h, mi, sec])
}

/// The number the two ASCII digits at `b[i]` and `b[i + 1]` spell; `None`
/// if either is not a digit. Both are tested at once, with no loop: a
/// million dates read six of these each.
#[inline]
fn two_digits(b: &[u8; 19], i: usize) -> Option<u32> {
    let (h, l) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
    (h < 10 && l < 10).then(|| u32::from(h) * 10 + u32::from(l))
}

/// Year, month, day of a text of [`numeric_shape`].
#[inline]
fn numeric_day(b: &[u8; 19]) -> Option<[u32; 3]> {
    let year = two_digits(b, 0)? * 100 + two_digits(b, 2)?;
    Some([year, two_digits(b, 5)?, two_digits(b, 8)?])
}

/// Hour, minute, second of a text of [`numeric_shape`].
#[inline]
fn numeric_time(b: &[u8; 19]) -> Option<[u32; 3]> {
    Some([two_digits(b, 11)?, two_digits(b, 14)?, two_digits(b, 17)?])
}

/// The date and time of `b`, its first 19 bytes, when `b` has
/// `fast_numeric`'s separators where they go (the digits are checked as
/// they are read).
fn numeric_shape(b: &[u8]) -> Option<&[u8; 19]> {
    let (head, rest) = b.split_first_chunk::<19>()?;
    let sep = head[4];
    (matches!(sep, b'-' | b'/')
        && head[7] == sep
        && matches!(head[10], b' ' | b'T')
        && head[13] == b':'
        && head[16] == b':'
        && matches!(rest, b"" | b" UTC"))
    .then_some(head)
}

/// [`parse_datetime`] of the usual numeric shape (`fast_numeric`'s),
/// remembering the last day: a conversation's rows share days, and the
/// calendar check is the dear part. `None` means "not that shape": the
/// caller parses the text the general way.
#[derive(Default)]
pub struct DayCache {
    last: Option<([u8; 10], NaiveDate)>,
}

impl DayCache {
    #[inline]
    pub fn parse(&mut self, b: &[u8]) -> Option<NaiveDateTime> {
        let b = numeric_shape(b)?;
        let [h, mi, sec] = numeric_time(b)?;
        let time = NaiveTime::from_hms_opt(h, mi, sec)?;
        let day: [u8; 10] = *b.first_chunk()?;
        let date = match self.last {
            // The same bytes as a day already read (so digits, and valid).
            Some((key, date)) if key == day => date,
            _ => {
                let [y, mo, d] = numeric_day(b)?;
                if !PLAUSIBLE_YEARS.contains(&(y as i32)) {
                    return None;
                }
                let date = NaiveDate::from_ymd_opt(y as i32, mo, d)?;
                self.last = Some((day, date));
                date
            }
        };
        Some(NaiveDateTime::new(date, time))
    }
}

/// `d` as chrono writes it, handed to `f` as (ASCII) bytes: `YYYY-MM-DD`
/// made without chrono's formatting machinery in years 0 to 9999 (reasons
/// and CSVs name dates for every connection), chrono's own text in the
/// others.
pub fn with_ymd<R>(d: NaiveDate, f: impl FnOnce(&[u8]) -> R) -> R {
    match ymd_bytes(d) {
        Some(b) => f(&b),
        None => f(d.to_string().as_bytes()),
    }
}

/// `YYYY-MM-DD` of a date in years 0 to 9999 (other years: `None`).
fn ymd_bytes(d: NaiveDate) -> Option<[u8; 10]> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
    let digit = |v: u32, k: u32| b'0' + (v / 10u32.pow(k) % 10) as u8;
    Some([
        digit(y, 3),
        digit(y, 2),
        digit(y, 1),
        digit(y, 0),
        b'-',
        digit(m, 1),
        digit(m, 0),
        b'-',
        digit(day, 1),
        digit(day, 0),
    ])
}

/// A date written as [`with_ymd`] writes it; `None` writes nothing.
pub struct Ymd(pub Option<NaiveDate>);

impl std::fmt::Display for Ymd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.map_or(Ok(()), |d| {
            with_ymd(d, |t| f.write_str(&String::from_utf8_lossy(t)))
        })
    }
}

/// `M/D/YY, H:MM AM` (Invitations), as `%m/%d/%y, %I:%M %p` reads it, for
/// exactly that spelling with valid values; anything else goes the long way.
fn fast_us(s: &str) -> Option<NaiveDateTime> {
    let num = |t: &str, min: usize, max: usize| -> Option<u32> {
        (min..=max).contains(&t.len()).then_some(())?;
        digits(t.as_bytes())
    };
    let (date, rest) = s.split_once(", ")?;
    let mut parts = date.split('/');
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (time, half) = rest.split_once(' ')?;
    let (h, min) = time.split_once(':')?;
    let (m, d, y, h, min) = (
        num(m, 1, 2)?,
        num(d, 1, 2)?,
        num(y, 2, 2)?,
        num(h, 1, 2)?,
        num(min, 2, 2)?,
    );
    let pm = match half {
        "AM" => false,
        "PM" => true,
        _ => return None,
    };
    if !(1..=12).contains(&h) {
        return None;
    }
    // %y as chrono reads it: 70-99 are 1970-1999, 00-69 are 2000-2069.
    let year = if y >= 70 { 1900 + y } else { 2000 + y };
    NaiveDate::from_ymd_opt(year as i32, m, d)?.and_hms_opt(
        h % 12 + if pm { 12 } else { 0 },
        min,
        0,
    )
}

/// `DD Mon YYYY` (Connected On, 30,000 rows), as `%d %b %Y` reads it, without
/// first trying every shape that has a time of day. Anything else, including
/// an impossible date, goes the long way.
fn fast_day_month_year(s: &str) -> Option<NaiveDateTime> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let b = s.as_bytes();
    if b.len() != 11 || b[2] != b' ' || b[6] != b' ' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)
        })
    };
    let month = MONTHS
        .iter()
        .position(|m| b[3..6].eq_ignore_ascii_case(&m[..]))?;
    NaiveDate::from_ymd_opt(digits(7..11)? as i32, month as u32 + 1, digits(0..2)?)
        .map(|d| d.and_time(NaiveTime::MIN))
}

fn parse_date_only(s: &str) -> Option<NaiveDate> {
    for f in DATE_SHAPES {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    parse_month_year(s)
}

/// `Jan 2019`, `January 2019` or `2019` (Positions, Education): the first day
/// of that month or year.
pub fn parse_month_year(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    if let Ok(y) = s.parse::<i32>() {
        return if PLAUSIBLE_YEARS.contains(&y) {
            NaiveDate::from_ymd_opt(y, 1, 1)
        } else {
            None
        };
    }
    let (m, y) = s.split_once(' ')?;
    let y: i32 = y.trim().parse().ok()?;
    let m = month_number(m)?;
    if !PLAUSIBLE_YEARS.contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn month_number(m: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = m.trim().to_ascii_lowercase();
    let p = m.get(..3)?;
    MONTHS.iter().position(|x| *x == p).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn every_shape_in_the_format_document() {
        let cases = [
            ("07 Mar 2024", dt(2024, 3, 7, 0, 0, 0)),
            ("7 Mar 2024", dt(2024, 3, 7, 0, 0, 0)),
            ("3/19/26, 7:48 AM", dt(2026, 3, 19, 7, 48, 0)),
            ("1/8/18, 6:14 PM", dt(2018, 1, 8, 18, 14, 0)),
            ("12/31/25, 12:05 AM", dt(2025, 12, 31, 0, 5, 0)),
            ("2024-06-11 15:33:58 UTC", dt(2024, 6, 11, 15, 33, 58)),
            ("2019-11-06T02:08:20", dt(2019, 11, 6, 2, 8, 20)),
            ("2016/12/28 15:15:59 UTC", dt(2016, 12, 28, 15, 15, 59)),
            ("04/15/24, 09:25 PM", dt(2024, 4, 15, 21, 25, 0)),
            ("Tue Aug 30 14:33:11 UTC 2022", dt(2022, 8, 30, 14, 33, 11)),
            ("2022-09-08 04:10:18", dt(2022, 9, 8, 4, 10, 18)),
            ("Jan 2019", dt(2019, 1, 1, 0, 0, 0)),
            ("2019", dt(2019, 1, 1, 0, 0, 0)),
            ("6-Feb-26", dt(2026, 2, 6, 0, 0, 0)),
            ("06-Feb-2026", dt(2026, 2, 6, 0, 0, 0)),
            ("2024-03-07", dt(2024, 3, 7, 0, 0, 0)),
            (" 07 Mar 2024 ", dt(2024, 3, 7, 0, 0, 0)),
            ("3/19/2026 7:48", dt(2026, 3, 19, 7, 48, 0)),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_datetime(raw), Some(want), "{raw}");
        }
    }

    #[test]
    fn nonsense_and_impossible_dates_are_none() {
        // Found by fuzzing: a multi-byte character where the fast path expects digits.
        assert_eq!(parse_datetime("2026-03-01 10:00:\u{fffd} UTC"), None);
        assert_eq!(parse_datetime("2026-03-01 10:00:00\u{fffd}"), None);
        for raw in [
            "",
            "   ",
            "yesterday",
            "31 Feb 2024",
            "13/45/24, 1:00 PM",
            "2024-13-01",
            "Foo 2019",
            "99999",
            "0 Mar 2024",
        ] {
            assert_eq!(parse_datetime(raw), None, "{raw}");
        }
    }

    #[test]
    fn implausible_years_are_unparseable() {
        for s in [
            "01 Jan -0044",
            "9999-12-31 10:00:00 UTC",
            "01 Jan 9999",
            "Jan 1066",
            "1066",
        ] {
            assert_eq!(
                parse_datetime(s).or(parse_month_year(s).map(|d| d.and_time(NaiveTime::MIN))),
                None,
                "{s}"
            );
        }
        assert!(parse_datetime("2099-12-31 10:00:00 UTC").is_some());
        assert!(
            DayCache { last: None }
                .parse(b"9999-12-31 10:00:00 UTC")
                .is_none()
        );
    }

    #[test]
    fn day_month_year_fast_path_agrees_with_the_shapes() {
        for s in [
            "06 Mar 2026",
            "31 dec 1999",
            "01 JAN 2000",
            "29 Feb 2024",
            "29 Feb 2023",
            "31 Apr 2020",
            "00 Mar 2020",
            "07 Mar 24",
            "7 Mar 2024",
        ] {
            let slow = DATETIME_SHAPES
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
                .or_else(|| parse_date_only(s).map(|d| d.and_time(NaiveTime::MIN)));
            assert_eq!(parse_datetime_any(s), slow, "{s}");
        }
    }

    static HITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    #[test]
    fn us_dates_shortcut_answers_often() {
        us_dates_agree_with_the_shapes();
        assert!(HITS.load(std::sync::atomic::Ordering::Relaxed) > 5);
    }

    proptest::proptest! {
        /// Dates are written as chrono writes them, in every year.
        #[test]
        fn ymd_writes_what_chrono_writes(days in -1_000_000i32..4_000_000) {
            let d = NaiveDate::from_num_days_from_ce_opt(days).expect("in range");
            proptest::prop_assert_eq!(Ymd(Some(d)).to_string(), d.to_string());
            proptest::prop_assert_eq!(Ymd(None).to_string(), "");
        }

        /// The invitation-date shortcut gives what the shapes give.
        #[test]
        fn us_dates_agree_with_the_shapes(
            s in "([01]?[0-9]|123)/[0-3]?[0-9]/(6[89]|7[01]|[0-9]{2}|2024), [01]?[0-9]:([0-6][0-9]|7) (AM|PM|am)"
        ) {
            if let Some(fast) = fast_us(&s) {
                HITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let slow = DATETIME_SHAPES
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok());
                proptest::prop_assert_eq!(Some(fast), slow, "{}", s);
            }
        }

        /// The numeric shortcut reads what chrono reads in its shape (either
        /// date separator, either time separator, ` UTC` or nothing after;
        /// the day cache below is held to it in turn).
        #[test]
        fn numeric_dates_are_what_chrono_reads(
            s in "(20[0-9]{2}|1999|2[0/:a]1[9 ])[-/](0[0-9]|1[0-3]|[/:a ]1)[-/](0[0-9]|[123][0-9]|3[/:])[ T]([01][0-9]|2[0-5]|[/: ]1):[0-6][0-9:]:[0-6][0-9/a]( UTC| utc|  UTC|)"
        ) {
            let fast = fast_numeric(&s);
            let mut plain = s.as_bytes()[..19].to_vec();
            let sep = plain[4];
            let shaped = matches!(sep, b'-' | b'/') && plain[7] == sep && matches!(&s[19..], "" | " UTC");
            (plain[4], plain[7], plain[10]) = (b'-', b'-', b' ');
            let slow = std::str::from_utf8(&plain)
                .ok()
                .filter(|_| shaped)
                .and_then(|p| NaiveDateTime::parse_from_str(p, "%Y-%m-%d %H:%M:%S").ok())
                .filter(|t| t.and_utc().timestamp_subsec_nanos() == 0);
            // It answers for every date written in digits, and only as
            // chrono does (which also reads some others, space-padded ones
            // among them: those go the long way).
            let digits = s.bytes().take(19).filter(u8::is_ascii_digit).count() == 14;
            if fast.is_some() || digits {
                proptest::prop_assert_eq!(fast, slow, "{}", s);
            }
        }

        /// The day cache gives what the general parser gives, row after row,
        /// whenever it answers.
        #[test]
        fn the_day_cache_agrees_with_the_parser(
            rows in proptest::collection::vec(
                "(20[0-9]{2}|1999|2[0/:a]1[9 ])[-/](0[0-9]|1[0-3]|[/:a ]1)[-/](0[0-9]|[123][0-9]|3[/:])[ T]([01][0-9]|2[0-5]|[/: ]1):[0-6][0-9:]:[0-6][0-9/a]( UTC| utc|  UTC|)",
                1..12,
            )
        ) {
            let mut cache = DayCache::default();
            for r in rows.iter().chain(&rows) {
                let got = cache.parse(r.as_bytes());
                if let Some(got) = got {
                    proptest::prop_assert_eq!(Some(got), parse_datetime(r), "{}", r);
                }
                // And it answers for every valid date of its shape (a leap
                // second, which chrono's parser allows, is left to it).
                let digits = r.bytes().filter(u8::is_ascii_digit).count();
                let leap = &r[17..19] == "60";
                if digits == 14
                    && !leap
                    && matches!(&r[19..], "" | " UTC")
                    && parse_datetime(r).is_some()
                {
                    proptest::prop_assert!(got.is_some(), "{}", r);
                }
            }
        }
    }
}
