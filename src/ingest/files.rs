//! One parser per export file (messages.csv has its own module). Columns are
//! mapped by name, every era's header is accepted, unknown columns are
//! ignored, and every row is either used or skipped with its reason.

use super::engine::{Header, Scanned, has_all, note_missing, scan};
use super::model::*;
use crate::dates::{parse_date, parse_datetime, parse_month_year};
use crate::identity::{full_name_key, name_key, org_key, slug_from_url};
use std::collections::HashMap;
use std::io::{self, Read};

/// Connections.csv's columns, each era's names accepted: first name, last
/// name, URL, email, company, position, connected on. The optional ones
/// missing are noted.
fn connection_columns(t: &Header, acct: &mut FileAccount) -> [Option<usize>; 7] {
    note_missing(
        t,
        acct,
        &[
            &["url"],
            &["email address"],
            &["company"],
            &["position"],
            &["connected on"],
        ],
    );
    [
        t.col(&["first name"]),
        t.col(&["last name"]),
        t.col(&["url", "profile url"]),
        t.col(&["email address", "email"]),
        t.col(&["company"]),
        t.col(&["position"]),
        t.col(&["connected on"]),
    ]
}

pub fn connections<R: Read>(
    r: R,
    acct: &mut FileAccount,
) -> io::Result<(Scanned, Vec<Connection>)> {
    let mut out = Vec::new();
    let mut seen_slugs: hashbrown::HashMap<String, u64> = hashbrown::HashMap::new();
    let s = scan(
        r,
        acct,
        &has_all(&["first name", "last name"]),
        connection_columns,
        |c, row, acct| {
            let (first, last, url) = (row.get(c[0]), row.get(c[1]), row.get(c[2]));
            let slug = slug_from_url(&url);
            let nk = name_key(&first, &last);
            if slug.is_none() && nk.is_none() {
                // Read only as far as needed: a cell read as text may warn.
                let date_only = url.is_empty()
                    && row.get(c[4]).is_empty()
                    && row.get(c[5]).is_empty()
                    && !row.get(c[6]).is_empty();
                let reason = if date_only {
                    "no name: a deleted or hidden member (date only)"
                } else if !url.is_empty() {
                    "no identity (URL is not a profile URL and no name)"
                } else {
                    "no identity (no name and no URL)"
                };
                return acct.skip(row.line, reason);
            }
            if let Some(s) = &slug {
                if let Some(first_line) = seen_slugs.get(s) {
                    acct.skip(
                        row.line,
                        &format!("duplicate profile URL (first on line {first_line})"),
                    );
                    return;
                }
                seen_slugs.insert(s.clone(), row.line);
            }
            let raw_date = row.get(c[6]);
            let connected_on = parse_date(&raw_date);
            if connected_on.is_none() {
                let why = if raw_date.is_empty() {
                    "no Connected On date (kept)"
                } else {
                    "unparseable Connected On date (kept)"
                };
                acct.warn(row.line, why);
            }
            acct.used();
            out.push(Connection {
                line: row.line,
                first_name: first.into_owned(),
                last_name: last.into_owned(),
                url: url.into_owned(),
                slug,
                name_key: nk,
                email: row.get(c[3]).to_lowercase(),
                company: row.get(c[4]).into_owned(),
                position: row.get(c[5]).into_owned(),
                connected_on,
            });
        },
    )?;
    Ok((s, out))
}

/// Who stands on the owner's side of Invitations.csv (`From` on outgoing
/// rows, `To` on incoming): one person in the owner's own file.
#[derive(Debug, Clone, Default)]
pub struct OwnerSide {
    /// Rows with a direction and a date.
    pub rows: u32,
    pub slugs: HashMap<String, u32>,
    /// Name keys, each with the first way it was written.
    pub names: HashMap<String, (u32, String)>,
}

impl OwnerSide {
    /// The slug on the owner's side of most rows, with its count.
    pub fn top_slug(&self) -> Option<(&str, u32)> {
        top(self.slugs.iter().map(|(k, n)| (k.as_str(), *n)))
    }

    /// Count one row's owner's side. It names one person row after row:
    /// `last` keeps the last name with its key, worked out again only when
    /// the name changes.
    fn add(&mut self, name: &str, url: &str, last: &mut Option<(String, Option<String>)>) {
        self.rows += 1;
        if let Some(o) = slug_from_url(url) {
            *self.slugs.entry(o).or_default() += 1;
        }
        if last.as_ref().is_none_or(|(n, _)| n != name) {
            *last = Some((name.to_string(), full_name_key(name)));
        }
        if let Some((_, Some(k))) = last {
            match self.names.get_mut(k.as_str()) {
                Some((n, _)) => *n += 1,
                None => {
                    self.names.insert(k.clone(), (1, name.trim().to_string()));
                }
            }
        }
    }

    /// The name key on the owner's side of most rows, with its count.
    pub fn top_name(&self) -> Option<(&str, u32)> {
        top(self.names.iter().map(|(k, (n, _))| (k.as_str(), *n)))
    }
}

/// The most frequent key (the smallest on a tie, so runs agree).
fn top<'a>(counts: impl Iterator<Item = (&'a str, u32)>) -> Option<(&'a str, u32)> {
    counts.max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
}

/// Invitations: the owner is `From` on outgoing rows and `To` on incoming.
/// Also returns who stands on that constant side, for owner detection.
pub fn invitations<R: Read>(
    r: R,
    acct: &mut FileAccount,
) -> io::Result<(Scanned, Vec<Invitation>, OwnerSide)> {
    let mut out = Vec::new();
    let mut owner_side = OwnerSide::default();
    let mut last_own: Option<(String, Option<String>)> = None;
    let s = scan(
        r,
        acct,
        &has_all(&["from", "to", "direction"]),
        |t, acct| {
            note_missing(
                t,
                acct,
                &[
                    &["sent at"],
                    &["message"],
                    &["inviterprofileurl"],
                    &["inviteeprofileurl"],
                ],
            );
            if t.has("inviterprofileurn") {
                acct.warn(
                    t.line,
                    "profile URNs instead of URLs (mid-2023 era): joined by name",
                );
            }
            [
                t.col(&["from"]),
                t.col(&["to"]),
                t.col(&["sent at"]),
                t.col(&["message"]),
                t.col(&["direction"]),
                t.col(&["inviterprofileurl", "inviter profile url"]),
                t.col(&["inviteeprofileurl", "invitee profile url"]),
            ]
        },
        |c, row, acct| {
            let direction = match row.get(c[4]).to_ascii_uppercase().as_str() {
                "INCOMING" => Direction::Incoming,
                "OUTGOING" => Direction::Outgoing,
                "" => return acct.skip(row.line, "no Direction"),
                _ => return acct.skip(row.line, "unknown Direction"),
            };
            let Some(sent_at) = parse_datetime(&row.get(c[2])) else {
                return acct.skip(row.line, "unparseable Sent At");
            };
            let (name, url, own_name, own_url) = match direction {
                Direction::Incoming => (row.get(c[0]), row.get(c[5]), row.get(c[1]), row.get(c[6])),
                Direction::Outgoing => (row.get(c[1]), row.get(c[6]), row.get(c[0]), row.get(c[5])),
            };
            owner_side.add(&own_name, &own_url, &mut last_own);
            let key = slug_from_url(&url)
                .map(PersonKey::Slug)
                .or_else(|| full_name_key(&name).map(PersonKey::Name));
            if key.is_none() {
                return acct.skip(row.line, "no identity (no name and no URL)");
            }
            acct.used();
            out.push(Invitation {
                line: row.line,
                direction,
                name: name.into_owned(),
                url: url.into_owned(),
                key,
                sent_at,
                message: crate::text::flatten(&row.get(c[3])),
            });
        },
    )?;
    Ok((s, out, owner_side))
}

/// Endorsements received or given: one row per person and skill.
pub fn endorsements<R: Read>(
    r: R,
    acct: &mut FileAccount,
    given: bool,
) -> io::Result<(Scanned, PersonMap<EndorsementStats>)> {
    // One row per person and skill: each URL's key is worked out once.
    let mut out: PersonMap<EndorsementStats> = PersonMap::default();
    let mut keys: hashbrown::HashMap<String, Option<String>> = hashbrown::HashMap::new();
    let who = if given { "endorsee" } else { "endorser" };
    let s = scan(
        r,
        acct,
        &has_all(&["skill name"]),
        |t, acct| {
            let f = format!("{who} first name");
            let l = format!("{who} last name");
            let u = format!("{who} public url");
            note_missing(t, acct, &[&[u.as_str()], &["endorsement date"]]);
            [
                t.col(&[&f]),
                t.col(&[&l]),
                t.col(&[&u]),
                t.col(&["endorsement date"]),
            ]
        },
        |c, row, acct| {
            let url = row.get(c[2]);
            let slug = match keys.get(url.as_ref()) {
                Some(k) => k.clone(),
                None => {
                    let k = slug_from_url(&url);
                    keys.insert(url.to_string(), k.clone());
                    k
                }
            };
            let key = slug
                .map(PersonKey::Slug)
                .or_else(|| name_key(&row.get(c[0]), &row.get(c[1])).map(PersonKey::Name));
            let Some(key) = key else {
                return acct.skip(row.line, "no identity (no name and no URL)");
            };
            let date = parse_date(&row.get(c[3]));
            let e = out.entry(key).or_default();
            e.count += 1;
            if e.name_key.is_none() {
                e.name_key = name_key(&row.get(c[0]), &row.get(c[1]));
            }
            e.last_on = e.last_on.max(date);
            acct.used();
        },
    )?;
    Ok((s, out))
}

pub fn recommendations<R: Read>(
    r: R,
    acct: &mut FileAccount,
) -> io::Result<(Scanned, Vec<Recommendation>)> {
    let mut out = Vec::new();
    let s = scan(
        r,
        acct,
        &has_all(&["first name", "last name", "text"]),
        |t, _| {
            [
                t.col(&["first name"]),
                t.col(&["last name"]),
                t.col(&["company"]),
                t.col(&["creation date"]),
            ]
        },
        |c, row, acct| {
            let (f, l) = (row.get(c[0]), row.get(c[1]));
            let nk = name_key(&f, &l);
            if nk.is_none() {
                return acct.skip(row.line, "no identity (no name)");
            }
            acct.used();
            out.push(Recommendation {
                line: row.line,
                name_key: nk,
                first_name: f.into_owned(),
                last_name: l.into_owned(),
                company: row.get(c[2]).into_owned(),
                created: parse_date(&row.get(c[3])),
            });
        },
    )?;
    Ok((s, out))
}

pub fn profile<R: Read>(r: R, acct: &mut FileAccount) -> io::Result<(Scanned, Owner)> {
    let mut owner = Owner::default();
    let s = scan(
        r,
        acct,
        &has_all(&["first name", "last name"]),
        |t, _| [t.col(&["first name"]), t.col(&["last name"])],
        |c, row, acct| {
            if !owner.first_name.is_empty() || !owner.last_name.is_empty() {
                return acct.skip(row.line, "extra profile row");
            }
            owner.first_name = row.get(c[0]).into_owned();
            owner.last_name = row.get(c[1]).into_owned();
            acct.used();
        },
    )?;
    Ok((s, owner))
}

/// Positions.csv or Education.csv: the owner's tenures.
pub fn tenures<R: Read>(
    r: R,
    acct: &mut FileAccount,
    school: bool,
) -> io::Result<(Scanned, Vec<Tenure>)> {
    let mut out = Vec::new();
    let (name_col, start_col, end_col): (&'static str, &'static str, &'static str) = if school {
        ("school name", "start date", "end date")
    } else {
        ("company name", "started on", "finished on")
    };
    let required: &'static [&'static str] = if school {
        &["school name"]
    } else {
        &["company name"]
    };
    let s = scan(
        r,
        acct,
        &has_all(required),
        |t, _| [t.col(&[name_col]), t.col(&[start_col]), t.col(&[end_col])],
        |c, row, acct| {
            let org = row.get(c[0]);
            let Some(key) = org_key(&org) else {
                return acct.skip(row.line, "no organisation name");
            };
            let (rs, re) = (row.get(c[1]), row.get(c[2]));
            let start = parse_month_year(&rs).or_else(|| parse_date(&rs));
            let end = parse_month_year(&re).or_else(|| parse_date(&re));
            if start.is_none() && !rs.is_empty() {
                acct.warn(row.line, "unparseable start date (kept)");
            }
            if end.is_none() && !re.is_empty() {
                acct.warn(row.line, "unparseable end date (treated as current)");
            }
            acct.used();
            out.push(Tenure {
                org: org.into_owned(),
                org_key: key,
                start,
                end: if school {
                    end.map(end_of_year_if_bare(&re))
                } else {
                    end.map(end_of_month)
                },
            });
        },
    )?;
    Ok((s, out))
}

/// A tenure ending "Mar 2020" lasts to the end of March.
fn end_of_month(d: chrono::NaiveDate) -> chrono::NaiveDate {
    use chrono::Datelike;
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    chrono::NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// Studies ending "2019" last to the end of 2019.
fn end_of_year_if_bare(raw: &str) -> impl Fn(chrono::NaiveDate) -> chrono::NaiveDate + '_ {
    move |d| {
        use chrono::Datelike;
        if raw.trim().len() == 4 {
            chrono::NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d)
        } else {
            end_of_month(d)
        }
    }
}

/// Contacts.csv (2022-24), ImportedContacts.csv (2026), Imported Contacts.csv (2018).
pub fn contacts<R: Read>(r: R, acct: &mut FileAccount) -> io::Result<(Scanned, AddressBook)> {
    let mut book = AddressBook::default();
    let s = scan(
        r,
        acct,
        &|cells: &[String]| cells.iter().any(|c| c == "firstname" || c == "first name"),
        |t, _| {
            [
                t.col(&["firstname", "first name"]),
                t.col(&["lastname", "last name"]),
                t.col(&[
                    "emails",
                    "email address",
                    "email",
                    "e-mail address",
                    "emailaddress",
                ]),
            ]
        },
        |c, row, acct| {
            let nk = name_key(&row.get(c[0]), &row.get(c[1]));
            let emails: Vec<String> = row
                .get(c[2])
                .split([',', ';', ' '])
                .map(|e| e.trim().to_lowercase())
                .filter(|e| e.contains('@'))
                .collect();
            if nk.is_none() && emails.is_empty() {
                return acct.skip(row.line, "no name and no email");
            }
            book.names.extend(nk);
            book.emails.extend(emails);
            acct.used();
        },
    )?;
    Ok((s, book))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::source::FileKind;

    /// A row skipped for want of an identity reads only the cells its
    /// reason needs: invalid UTF-8 in a cell it never reads is no warning.
    #[test]
    fn a_skipped_row_reads_only_the_cells_it_needs() {
        let mut data = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n\
            ,,https://example.com/x,,"
            .to_vec();
        data.extend_from_slice(b"Acme \xff,CTO,01 Jan 2020\nAnn,Lee,,,,,01 Jan 2020\n");
        let mut acct = FileAccount::new("Connections.csv", FileKind::Connections);
        let (_, conns) = connections(&data[..], &mut acct).expect("in memory");
        assert_eq!(conns.len(), 1);
        assert_eq!(acct.skipped_total(), 1);
        assert!(acct.warnings.is_empty(), "{:?}", acct.warnings);
    }
}
