//! The owner's own files: Profile.csv, Positions.csv, Education.csv.

use super::line;
use std::fmt::Write as _;

/// Owner's career, as Positions.csv states it.
pub(super) const OWNER_JOBS: &[(&str, &str, &str)] = &[
    ("Northwind Traders", "Mar 2013", "Jul 2017"),
    ("Acme, Inc.", "Aug 2017", "Dec 2021"),
    ("Globex Corporation", "Jan 2022", ""),
];

pub(super) fn profile() -> String {
    "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers\nAlex,Sample,,,,Example headline,,Software Development,,Example City,,,\n".to_string()
}

/// The owner's jobs, newest first.
pub(super) fn positions() -> String {
    let mut positions =
        String::from("Company Name,Title,Description,Location,Started On,Finished On\n");
    for (org, s, e) in OWNER_JOBS.iter().rev() {
        let _ = writeln!(
            positions,
            "{}",
            line(&[org, "Engineer", "", "Example City", s, e])
        );
    }
    positions
}

pub(super) fn education() -> String {
    "School Name,Start Date,End Date,Notes,Degree Name,Activities\nExample University,2009,2013,,MSc,\n".to_string()
}
