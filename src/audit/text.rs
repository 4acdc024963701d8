//! What the binary prints at the end of an audit.

use super::{IngestSummary, Outcome};
use crate::judge::{Action, Context, Decision};
use crate::labels::Label;
use std::collections::BTreeMap;
use std::fmt::Write;

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// The text the binary prints: ingest summary, then the numbers a user wants
/// first and where each output is. Export text is stripped of control and
/// bidirectional characters.
pub fn render_text(o: &Outcome) -> String {
    let mut w = String::new();
    headline(&mut w, o);
    what_was_read(&mut w, &o.ingest);
    wrote(&mut w, o);
    w
}

/// The verdicts in numbers, what the keep list, your decisions and the
/// earlier export did.
fn headline(w: &mut String, o: &Outcome) {
    let s = &o.ingest;
    let t = crate::text::for_terminal;
    let _ = writeln!(
        w,
        "As of {}:",
        o.as_of.map(|d| d.to_string()).unwrap_or_default()
    );
    let review = o
        .decisions
        .get(Decision::Review.as_str())
        .copied()
        .unwrap_or(0);
    let _ = writeln!(
        w,
        "  connections by decision: {} (review share {})",
        in_order::<Decision>(&o.decisions),
        if o.connections == 0 {
            "-".to_string()
        } else {
            pct(review as f64 / o.connections as f64)
        }
    );
    let _ = writeln!(
        w,
        "  connections by context:  {}",
        in_order::<Context>(&o.contexts)
    );
    let _ = writeln!(
        w,
        "  invitations by action:   {}",
        if o.invitation_actions.is_empty() {
            "none in this export".into()
        } else {
            in_order::<Action>(&o.invitation_actions)
        }
    );
    if let Some(k) = &s.keep_list {
        let _ = writeln!(
            w,
            "  keep list:               {} entries protect {} connections",
            k.entries, k.protected
        );
        for (line, text) in &k.unmatched {
            let _ = writeln!(w, "    line {line} matched nobody: {}", t(text));
        }
        for (line, text) in &k.unreadable {
            let _ = writeln!(
                w,
                "    line {line} is not a profile URL, slug, company: or position: entry: {}",
                t(text)
            );
        }
    }
    if let Some((date, headline)) = &o.since {
        let label = format!("since {date}:");
        let _ = writeln!(w, "  {label:<25}{headline} (changes.csv)");
    }
    if !o.reconnect.is_empty() {
        let _ = writeln!(
            w,
            "  reconnect:               {} (reconnect.csv)",
            o.reconnect
        );
    }
    if let Some(m) = &s.your_decisions {
        let _ = writeln!(
            w,
            "  your decisions:          {} applied (the tool's own view agreed on {}), {} about people not in this export, {} not used (see ingest.json)",
            m.matched,
            m.agreed,
            m.absent.len(),
            crate::report::count_of(m.skipped.len() + m.ambiguous.len(), "row", "rows")
        );
    }
}

/// The export, its owner, every file read and how the files joined.
fn what_was_read(w: &mut String, s: &IngestSummary) {
    let t = crate::text::for_terminal;
    let _ = writeln!(w, "\nWhat was read:");
    let _ = writeln!(w, "Export: {} ({})", t(&s.export), s.form);
    owner_lines(w, s);
    files_read(w, s);
    let _ = writeln!(
        w,
        "Connections: {} (connected {} to {})",
        s.connections,
        s.connected_from
            .map(|d| d.to_string())
            .unwrap_or("?".into()),
        s.connected_to.map(|d| d.to_string()).unwrap_or("?".into())
    );
    if s.dates_far_after_the_rest > 0 {
        let _ = writeln!(
            w,
            "Left out of the as-of date: {} dates far after all the others (latest kept: {})",
            s.dates_far_after_the_rest,
            s.latest_date.map(|d| d.to_string()).unwrap_or_default()
        );
    }
    if s.matched_by_name {
        let _ = writeln!(
            w,
            "Matched by name: this export has no profile URLs (exports before 2023 leave \
             them out)"
        );
    }
    joined_lines(w, &s.joins);
}

/// Who the owner is, where that was read, and any doubt about it.
fn owner_lines(w: &mut String, s: &IngestSummary) {
    let t = crate::text::for_terminal;
    let owner = format!("{} {}", s.owner.first_name, s.owner.last_name);
    let _ = writeln!(
        w,
        "Owner: {} ({})",
        if owner.trim().is_empty() {
            "name unknown (no Profile.csv)".to_string()
        } else {
            t(owner.trim())
        },
        match (&s.owner.slug, &s.owner.slug_source) {
            (Some(sl), Some(src)) => format!("/in/{} from {}", t(sl), t(src)),
            _ => "profile URL not found".into(),
        }
    );
    for p in &s.owner.problems {
        let _ = writeln!(w, "Warning: {}", t(p));
    }
}

/// Each file read, with its rows used and skipped (and why), and the files
/// ignored.
fn files_read(w: &mut String, s: &IngestSummary) {
    let t = crate::text::for_terminal;
    let _ = writeln!(w, "Files read:");
    for f in &s.files {
        let skipped = f.why_skipped();
        let _ = writeln!(
            w,
            "  {:<34} {:>8} rows, {:>8} used, {:>6} skipped{}{}",
            t(&f.file),
            f.rows_read,
            f.rows_used,
            f.skipped_total(),
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" ({})", skipped.join(", "))
            },
            f.error
                .as_ref()
                .map(|e| format!(" [{}]", t(e)))
                .unwrap_or_default()
        );
    }
    if !s.ignored.is_empty() {
        let names: Vec<String> = s.ignored.iter().take(12).map(|i| t(&i.name)).collect();
        let more = s.ignored.len().saturating_sub(12);
        let _ = writeln!(
            w,
            "Ignored {} files: {}{}",
            s.ignored.len(),
            names.join(", "),
            if more > 0 {
                format!(", and {more} more")
            } else {
                String::new()
            }
        );
    }
}

/// How each file's people joined onto connections.
fn joined_lines(w: &mut String, j: &crate::evidence::Joins) {
    for (name, js) in [
        ("invitations", &j.invitations),
        ("message partners", &j.message_people),
        ("endorsements", &j.endorsements),
        ("recommendations", &j.recommendations),
    ] {
        if js.total > 0 {
            let _ = writeln!(
                w,
                "Joined onto connections: {name} {}/{} ({}; {} by name, {} ambiguous)",
                js.by_slug + js.by_name,
                js.total,
                pct(js.rate()),
                js.by_name,
                js.ambiguous
            );
        }
    }
}

/// Where each output is.
fn wrote(w: &mut String, o: &Outcome) {
    let t = crate::text::for_terminal;
    let _ = writeln!(w, "Wrote:");
    for f in &o.files {
        let _ = writeln!(w, "  {}", t(&f.display().to_string()));
    }
    if let Some(page) = o.files.iter().find(|f| f.ends_with("report.html")) {
        let _ = writeln!(
            w,
            "\nOpen {} in a browser: it lists what to do next.",
            t(&page.display().to_string())
        );
    }
}

/// "12 keep, 3 review, 0 unlink": a count per label of `L`, in its order.
fn in_order<L: Label>(m: &BTreeMap<&str, usize>) -> String {
    L::ALL
        .iter()
        .map(|v| format!("{} {}", m.get(v.label()).copied().unwrap_or(0), v.label()))
        .collect::<Vec<_>>()
        .join(", ")
}
