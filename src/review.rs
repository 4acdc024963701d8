//! `tieaudit review`: the introduction test as a loop. The `review` pile of
//! an audit (or its unlink candidates), weakest evidence first, one person
//! at a time; each answer is appended to the decisions file the moment it
//! is given (flushed and synced), so an interrupted session loses nothing
//! and the next one resumes where it stopped.

use crate::decisions::{self, Choice, Decisions};
use crate::error::{Error, Result};
use crate::judge::Decision;
use crate::labels::Label;
use crate::text::for_terminal;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The decisions file's header, as `review` writes it.
pub const HEADER: [&str; 5] = ["profile_url", "name", "decision", "decided_on", "comment"];

/// One person of the pile, as shown.
#[derive(Debug, Clone)]
pub struct Person {
    pub url: String,
    pub name: String,
    /// Everything shown about them, line by line.
    pub lines: Vec<String>,
    score: u32,
}

/// What the owner answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Keep,
    Unlink,
    Skip,
    Back,
    Open,
    Quit,
    /// A key that means nothing here.
    Other,
}

impl Answer {
    /// The answer a key (or the first letter of a typed line) gives.
    pub fn of(c: char) -> Answer {
        match c.to_ascii_lowercase() {
            'k' => Answer::Keep,
            'u' => Answer::Unlink,
            's' => Answer::Skip,
            'b' => Answer::Back,
            'o' => Answer::Open,
            'q' => Answer::Quit,
            _ => Answer::Other,
        }
    }
}

/// Where answers come from and text goes: a key at a time in a terminal,
/// a line at a time where the terminal is dumb.
pub trait Prompter {
    fn show(&mut self, text: &str);
    fn ask(&mut self) -> std::io::Result<Answer>;
}

/// The people of an audit's `connections.csv` whose decision is `review`
/// (or `unlink` with `unlink`), less those already decided, weakest first.
pub fn pile(audit: &Path, unlink: bool, decided: &Decisions) -> Result<Vec<Person>> {
    let read = |name: &str| -> Result<Vec<HashMap<String, String>>> {
        let path = audit.join(name);
        let mut r = csv::Reader::from_path(&path).map_err(|e| Error::Config {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let head: Vec<String> = r
            .headers()
            .map_err(|e| Error::Config {
                path: path.clone(),
                reason: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        Ok(r.records()
            .filter_map(|rec| rec.ok())
            .map(|rec| {
                head.iter()
                    .cloned()
                    .zip(rec.iter().map(str::to_string))
                    .collect()
            })
            .collect())
    };
    let notes: HashMap<String, String> = read("invitations.csv")?
        .into_iter()
        .filter(|r| !r["profile_url"].is_empty() && !r["message"].is_empty())
        .map(|r| (r["profile_url"].clone(), r["message"].clone()))
        .collect();
    let rows = read("connections.csv")?;
    let slugs: Vec<Option<String>> = rows
        .iter()
        .map(|r| crate::identity::slug_from_url(&r["profile_url"]))
        .collect();
    let keys: Vec<Option<String>> = rows
        .iter()
        .map(|r| crate::identity::name_key(&r["first_name"], &r["last_name"]))
        .collect();
    let (mine, _) = decisions::match_onto(
        decided,
        &slugs.iter().map(Option::as_deref).collect::<Vec<_>>(),
        &keys.iter().map(Option::as_deref).collect::<Vec<_>>(),
    );
    let want = if unlink {
        Decision::Unlink
    } else {
        Decision::Review
    };
    let mut out: Vec<Person> = rows
        .iter()
        .zip(&mine)
        .filter(|(r, m)| {
            Decision::parse(&r["decision"]) == Some(want)
                && r["your_decision"].is_empty()
                && m.is_none()
        })
        .map(|(r, _)| person(r, notes.get(&r["profile_url"])))
        .collect();
    out.sort_by(|a, b| (a.score, &a.name).cmp(&(b.score, &b.name)));
    Ok(out)
}

fn person(r: &HashMap<String, String>, note: Option<&String>) -> Person {
    let g = |k: &str| for_terminal(r.get(k).map_or("", String::as_str));
    let name = format!("{} {}", g("first_name").trim(), g("last_name").trim());
    let mut lines = vec![
        format!(
            "{name}: {}{}{}",
            g("position"),
            if g("position").is_empty() || g("company").is_empty() {
                ""
            } else {
                " at "
            },
            g("company")
        ),
        format!(
            "connected {} · score {} · context {} · the tool says {}",
            if g("connected_on").is_empty() {
                "?".into()
            } else {
                g("connected_on")
            },
            g("score"),
            g("context"),
            g("decision")
        ),
        format!(
            "messages: {} sent, {} received one-to-one on {} days, {} in groups; first {}, last {}",
            g("messages_sent"),
            g("messages_received"),
            g("message_days"),
            g("group_messages"),
            or_none(&g("first_message_on")),
            or_none(&g("last_message_on"))
        ),
        format!(
            "endorsements: {} received, {} given{} · recommendations: {} · shared employer: {} · during your studies: {} · address book: {}",
            g("endorsements_received"),
            g("endorsements_given"),
            match g("last_endorsed_on").as_str() {
                "" => String::new(),
                d => format!(", last {d}"),
            },
            g("recommendations"),
            or_none(&g("shared_employer")),
            or_none(&g("connected_during_studies")),
            g("in_address_book")
        ),
    ];
    if !g("invitation_direction").is_empty() {
        lines.push(format!(
            "invitation: {}, {}, sent {}{}",
            g("invitation_direction"),
            g("invitation_note"),
            if g("times_invited") == "1" {
                "once".to_string()
            } else {
                format!("{} times", g("times_invited"))
            },
            note.map(|n| format!(": \"{}\"", for_terminal(n)))
                .unwrap_or_default()
        ));
    }
    lines.push(format!("why: {}", g("reasons")));
    Person {
        url: r.get("profile_url").cloned().unwrap_or_default(),
        name,
        lines,
        score: r.get("score").and_then(|s| s.parse().ok()).unwrap_or(0),
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "none" } else { s }
}

/// How a session went.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub kept: usize,
    pub unlinked: usize,
    pub skipped: usize,
    /// Whether the owner quit before the end of the pile.
    pub quit: bool,
}

/// Walk the pile with `p`, appending each keep or unlink to `file` at once.
pub fn walk(
    pile: &[Person],
    file: &Path,
    today: chrono::NaiveDate,
    p: &mut dyn Prompter,
) -> Result<Tally> {
    let mut t = Tally::default();
    let mut i = 0;
    while i < pile.len() {
        let who = &pile[i];
        p.show(&format!(
            "\n({} of {})\n{}\nWould you feel comfortable introducing {} to someone you know?\n[k]eep  [u]nlink  [s]kip  [b]ack  [o]pen (print the profile URL)  [q]uit",
            i + 1,
            pile.len(),
            who.lines.join("\n"),
            who.name
        ));
        let answer = p
            .ask()
            .map_err(|e| Error::Usage(format!("reading your answer: {e}")))?;
        let choice = match answer {
            Answer::Keep => Some(Choice::Keep),
            Answer::Unlink => Some(Choice::Unlink),
            Answer::Skip => {
                t.skipped += 1;
                i += 1;
                continue;
            }
            Answer::Back => {
                i = i.saturating_sub(1);
                continue;
            }
            Answer::Open => {
                p.show(&format!(
                    "profile: {}",
                    for_terminal(if who.url.is_empty() {
                        "(none in this export)"
                    } else {
                        &who.url
                    })
                ));
                continue;
            }
            Answer::Quit => {
                t.quit = true;
                break;
            }
            Answer::Other => continue,
        };
        if let Some(c) = choice {
            append(
                file,
                &[&who.url, &who.name, c.as_str(), &today.to_string(), ""],
            )?;
            match c {
                Choice::Keep => t.kept += 1,
                Choice::Unlink => t.unlinked += 1,
            }
            p.show(&format!("saved: {} {}", c.as_str(), who.name));
        }
        i += 1;
    }
    Ok(t)
}

/// Append one decision to `file` (its header first when the file is new),
/// flushed and synced before the next question.
pub fn append(file: &Path, row: &[&str; 5]) -> Result<()> {
    let err = |e: std::io::Error| Error::Output {
        path: file.to_path_buf(),
        reason: format!("cannot save your answer: {e}"),
    };
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(file)
        .map_err(err)?;
    // Only the file's last byte matters: empty (a header first), or a line
    // left open by hand (closed first).
    let len = f.metadata().map_err(err)?.len();
    let mut last = [b'\n'];
    if len > 0 {
        use std::io::{Read, Seek, SeekFrom};
        f.seek(SeekFrom::Start(len - 1)).map_err(err)?;
        f.read_exact(&mut last).map_err(err)?;
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    if len == 0 {
        let _ = w.write_record(HEADER);
    }
    let _ = w.write_record(row);
    let mut bytes = w.into_inner().unwrap_or_default();
    if last != [b'\n'] {
        bytes.insert(0, b'\n');
    }
    f.write_all(&bytes).map_err(err)?;
    f.sync_data().map_err(err)
}

/// Check that `file` can take appended decisions: missing, empty, or a
/// decisions.csv with review's own header.
pub fn check_file(file: &Path) -> Result<Decisions> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Decisions::default()),
        Err(e) => {
            return Err(Error::Config {
                path: file.to_path_buf(),
                reason: e.to_string(),
            });
        }
    };
    if text.trim().is_empty() {
        return Ok(Decisions::default());
    }
    let head = text
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches('\u{feff}');
    if head.trim() != HEADER.join(",") {
        return Err(Error::Config {
            path: file.to_path_buf(),
            reason: format!(
                "review appends to a decisions file headed {}; this one starts {:?}",
                HEADER.join(","),
                for_terminal(&head.chars().take(60).collect::<String>())
            ),
        });
    }
    decisions::parse(&text).map_err(|reason| Error::Config {
        path: file.to_path_buf(),
        reason,
    })
}

/// Today, from the system clock: when a decision was taken.
pub fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
        + chrono::Duration::days(days as i64)
}

/// The audit folder to review: `input` itself when it holds an audit's
/// outputs, else a fresh audit of the export `input` into `scratch`.
pub fn audit_folder(input: &Path, scratch: &Path, decided: &Decisions) -> Result<PathBuf> {
    if input.join("connections.csv").is_file() && input.join("ingest.json").is_file() {
        return Ok(input.to_path_buf());
    }
    let cfg = crate::audit::Config {
        export: input.to_path_buf(),
        out: scratch.to_path_buf(),
        decisions: Some(decided.clone()),
        ..Default::default()
    };
    crate::audit::run(&cfg, &|_| {})?;
    Ok(scratch.to_path_buf())
}

/// A key at a time, in a terminal (raw mode while waiting).
pub struct Keys(pub console::Term);

impl Prompter for Keys {
    fn show(&mut self, text: &str) {
        let _ = self.0.write_line(text);
    }
    fn ask(&mut self) -> std::io::Result<Answer> {
        Ok(match self.0.read_key()? {
            console::Key::Char(c) => Answer::of(c),
            console::Key::Escape | console::Key::CtrlC => Answer::Quit,
            _ => Answer::Other,
        })
    }
}

/// A line at a time, where the terminal cannot give single keys (a dumb
/// terminal): the first letter of the line answers.
pub struct Lines<R: std::io::BufRead, W: Write>(pub R, pub W);

impl<R: std::io::BufRead, W: Write> Prompter for Lines<R, W> {
    fn show(&mut self, text: &str) {
        let _ = writeln!(self.1, "{text}");
        let _ = self.1.flush();
    }
    fn ask(&mut self) -> std::io::Result<Answer> {
        let _ = write!(self.1, "> ");
        let _ = self.1.flush();
        let mut line = String::new();
        if self.0.read_line(&mut line)? == 0 {
            return Ok(Answer::Quit);
        }
        Ok(line.trim().chars().next().map_or(Answer::Other, Answer::of))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scripted(Vec<char>, Vec<String>);

    impl Prompter for Scripted {
        fn show(&mut self, text: &str) {
            self.1.push(text.to_string());
        }
        fn ask(&mut self) -> std::io::Result<Answer> {
            Ok(if self.0.is_empty() {
                Answer::Quit
            } else {
                Answer::of(self.0.remove(0))
            })
        }
    }

    fn people(n: usize) -> Vec<Person> {
        (0..n)
            .map(|k| Person {
                url: format!("https://www.linkedin.com/in/p{k}"),
                name: format!("P{k} Example"),
                lines: vec![format!("P{k} Example")],
                score: k as u32,
            })
            .collect()
    }

    #[test]
    fn answers_are_saved_as_given_and_back_asks_again() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("decisions.csv");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let mut p = Scripted("kbuso?q".chars().collect(), Vec::new());
        let tally = walk(&people(4), &f, day, &mut p).unwrap();
        assert_eq!(
            tally,
            Tally {
                kept: 1,
                unlinked: 1,
                skipped: 1,
                quit: true
            }
        );
        let d = decisions::parse(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let got: Vec<(&str, Choice)> = d
            .entries
            .iter()
            .map(|e| (e.name.as_str(), e.choice))
            .collect();
        assert_eq!(
            got,
            [("P0 Example", Choice::Keep), ("P0 Example", Choice::Unlink)]
        );
        assert!(p.1.iter().any(|s| s.contains("(3 of 4)")));
        assert!(
            p.1.iter()
                .any(|s| s == "profile: https://www.linkedin.com/in/p2")
        );
        assert!(check_file(&f).is_ok());
    }

    #[test]
    fn another_files_header_is_refused() {
        let t = tempfile::tempdir().unwrap();
        let f = t.path().join("connections.csv");
        std::fs::write(
            &f,
            "profile_url,first_name,last_name,decision,your_decision\n",
        )
        .unwrap();
        assert!(check_file(&f).is_err());
        assert!(
            check_file(&t.path().join("new.csv"))
                .unwrap()
                .entries
                .is_empty()
        );
    }
}
