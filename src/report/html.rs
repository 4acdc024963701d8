//! report.html: one self-contained page (inline CSS and SVG, nothing to
//! fetch), readable on a laptop and a phone, printable. maud escapes every
//! interpolated string; nothing from the export is ever marked safe, and a
//! Content-Security-Policy forbids scripts and fetches even if an escape were
//! missed.

use super::{
    ACTIONS, CONTEXTS, COVERAGES, DECISIONS, Render, ReportData, etiquette_advice, notes_by_class,
    ordered, pct, year_count, years,
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

pub struct Html;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Static style sheet (not export text).
const CSS: &str = r#"
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#e3e3e3;--strong:#1b7837;--moderate:#7fbf7b;--weak:#c2a5cf;--none:#d6604d;--bar:#4a7bb7}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.muted{color:var(--muted)}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1rem}
.card{border:1px solid var(--line);border-radius:8px;padding:.8rem}.big{font-size:1.8rem;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right}.scroll{overflow-x:auto}svg{width:100%;height:auto}svg text{font-size:11px;fill:var(--fg)}
.legend span{display:inline-block;margin-right:.8rem}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}
@media print{body{max-width:none;font-size:11px}.card{break-inside:avoid}a{color:inherit;text-decoration:none}h2{break-after:avoid}}
"#;

fn color(context: &str) -> &'static str {
    match context {
        "strong" => "var(--strong)",
        "moderate" => "var(--moderate)",
        "weak" => "var(--weak)",
        _ => "var(--none)",
    }
}

/// A profile link only to LinkedIn, built here from the slug of a URL that
/// is LinkedIn's own (`https://www.linkedin.com/in/...`): a URL of another
/// host, a look-alike host or one with a user part stays text.
fn profile(name: &str, url: &str) -> Markup {
    html! {
        @match canonical_profile_url(url) {
            Some(link) => a href=(link) target="_blank" rel="noopener noreferrer" { (name) },
            None => (name),
        }
    }
}

/// `https://www.linkedin.com/in/<slug>` for a URL on exactly that host (or
/// `linkedin.com`), its slug percent-encoded again; `None` otherwise.
fn canonical_profile_url(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    if !matches!(
        host.to_ascii_lowercase().as_str(),
        "www.linkedin.com" | "linkedin.com"
    ) {
        return None;
    }
    if !path.to_ascii_lowercase().starts_with("in/") {
        return None;
    }
    let slug = crate::identity::slug_from_url(url)?;
    if !slug.chars().all(crate::text::terminal_safe) {
        return None;
    }
    let mut out = String::from("https://www.linkedin.com/in/");
    for b in slug.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
}

/// Horizontal bars; `label(n)` prints the value.
fn hbars(title: &str, items: &[(String, u32)], label: &dyn Fn(u32) -> String) -> Markup {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let row_h = 22.0;
    let h = (items.len().max(1) as f64) * row_h + 8.0;
    html! {
        svg viewBox={ "0 0 320 " (h) } role="img" aria-label=(title) {
            title { (title) }
            @if items.iter().all(|(_, n)| *n == 0) {
                text x="4" y="16" { "no data in this export" }
            }
            @for (i, (k, n)) in items.iter().enumerate() {
                @let y = 4.0 + i as f64 * row_h;
                @let w = (*n as f64 / max) * 140.0;
                @let short: String = if k.chars().count() > 20 { k.chars().take(19).chain(['…']).collect() } else { k.clone() };
                text x="132" y=(y + 14.0) text-anchor="end" { title { (k) } (short) }
                rect class="bar" x="138" y=(y + 3.0) width=(format!("{w:.1}")) height="14" fill="var(--bar)" {}
                text x=(format!("{:.1}", 142.0 + w)) y=(y + 14.0) { (label(*n)) }
            }
        }
    }
}

/// Connections per year, stacked by context.
fn per_year(d: &ReportData) -> Markup {
    let years = years(&d.tables);
    let get = |y: &str, c: &str| year_count(&d.tables, y, c);
    let totals: Vec<u32> = years
        .iter()
        .map(|y| CONTEXTS.iter().map(|c| get(y, c)).sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (w, h, left, bottom) = (640.0, 240.0, 36.0, 24.0);
    let slot = (w - left) / (years.len().max(1) as f64);
    let bar = (slot * 0.75).max(2.0);
    html! {
        svg viewBox="0 0 640 240" role="img" aria-label="Connections per year by context" {
            title { "Connections per year by context" }
            line x1=(left) y1=(h - bottom) x2=(w) y2=(h - bottom) stroke="#999" {}
            text x="2" y="12" { (max as u32) }
            @if years.is_empty() { text x="40" y="100" { "no data in this export" } }
            @for (i, y) in years.iter().enumerate() {
                @let x = left + i as f64 * slot + (slot - bar) / 2.0;
                @let mut base = h - bottom;
                @for c in CONTEXTS.iter().rev() {
                    @let n = get(y, c);
                    @let bh = n as f64 / max * (h - bottom - 16.0);
                    @if n > 0 {
                        @let top = { base -= bh; base };
                        rect class="bar" x=(format!("{x:.1}")) y=(format!("{top:.1}")) width=(format!("{bar:.1}")) height=(format!("{bh:.1}")) fill=(color(c)) {
                            title { (y) ": " (n) " " (c) }
                        }
                    }
                }
                @if years.len() <= 24 || i % 2 == 0 {
                    text x=(format!("{:.1}", x + bar / 2.0)) y=(h - 8.0) text-anchor="middle" { (if y.as_str() == "0" { "?" } else { y.as_str() }) }
                }
            }
        }
        p.legend {
            @for c in CONTEXTS { span { span.sw style={ "background:" (color(c)) } {} (c) } }
        }
    }
}

impl Render for Html {
    fn file_name(&self) -> &'static str {
        "report.html"
    }

    fn render(&self, d: &ReportData) -> Vec<u8> {
        let e = &d.etiquette;
        let count = |n: u32| n.to_string();
        let notes_in = notes_by_class(&d.tables, "incoming");
        let notes_out = notes_by_class(&d.tables, "outgoing");
        let accept_rate = |(a, t): (u32, u32)| (a * 100).checked_div(t).unwrap_or(0);
        let acceptance = vec![
            ("with a note".to_string(), accept_rate(e.sent_with_note)),
            ("without".to_string(), accept_rate(e.sent_without_note)),
        ];
        let companies: Vec<(String, u32)> = d
            .tables
            .unlink_companies
            .iter()
            .map(|(k, n)| (k[0].clone(), *n))
            .collect();
        let decisions = ordered(&d.tables.by_decision, &DECISIONS);
        let page = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta http-equiv="Content-Security-Policy" content=(CSP);
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    meta name="referrer" content="no-referrer";
                    title { "Network audit of " (d.owner) }
                    style { (PreEscaped(CSS)) }
                }
                body {
                    h1 { "Network audit of " (d.owner) }
                    p.muted {
                        "As of " (d.as_of.to_string()) " · " (d.connections) " connections · " (d.invitations) " invitations · " (d.tool)
                        @if d.redaction.on { " · redacted" }
                    }
                    p { "tieaudit recommends; it never acts on your account. Little communication does not prove a weak tie, so every verdict below carries its reasons and the evidence the export could hold." }
                    div.grid {
                        @for (k, n) in &decisions {
                            div.card { div.muted { (k) } div.big { (n) } }
                        }
                    }
                    h2 { "Connections per year, by context strength" }
                    (per_year(d))
                    div.grid {
                        div.card { h3 { "Decisions" } (hbars("Decisions", &decisions, &count)) }
                        div.card { h3 { "Evidence coverage" } (hbars("Evidence coverage", &ordered(&d.tables.by_coverage, &COVERAGES), &count)) }
                        div.card { h3 { "Notes on invitations received" } (hbars("Notes on invitations received", &notes_in, &count)) }
                        div.card { h3 { "Notes on invitations you sent" } (hbars("Notes on invitations you sent", &notes_out, &count)) }
                        div.card { h3 { "Your invitations accepted" } (hbars("Share of your invitations accepted, with and without a personal note", &acceptance, &|n| format!("{n}%"))) }
                        div.card { h3 { "Companies among unlink candidates" } (hbars("Companies most represented among unlink candidates", &companies, &count)) }
                    }

                    h2 { "Unlink candidates (" (d.unlink.len()) ")" }
                    @if d.unlink.is_empty() { p { "None: every connection has some context or is too recent to judge." } } @else {
                        div.scroll { table {
                            thead { tr { th { "Name" } th { "Company" } th { "Connected" } th.n { "Score" } th { "Why" } } }
                            tbody { @for p in &d.unlink { tr {
                                td { (profile(&p.name, &p.url)) } td { (p.company) }
                                td { (p.connected_on.map(|x| x.to_string()).unwrap_or_default()) } td.n { (p.score) } td { (p.reasons) }
                            } } }
                        } }
                    }

                    h2 { "Invitations to act on (" (d.to_act.len()) ")" }
                    @if d.to_act.is_empty() { p { "None pending." } } @else {
                        div.scroll { table {
                            thead { tr { th { "Action" } th { "Direction" } th { "Name" } th { "Sent" } th { "Note" } th.n { "Times" } th { "Why" } } }
                            tbody { @for i in &d.to_act { tr {
                                td { strong { (i.action) } } td { (i.direction) } td { (profile(&i.name, &i.url)) }
                                td { (i.sent_on.to_string()) } td { (i.note) } td.n { (i.times_sent) } td { (i.reasons) }
                            } } }
                        } }
                    }
                    @if !d.repeated.is_empty() {
                        h3 { "Repeated inviters" }
                        ul { @for i in &d.repeated { li { (profile(&i.name, &i.url)) " sent " (i.times_sent) " invitations (" (i.note) ")" } } }
                    }

                    h2 { "Your own etiquette" }
                    p {
                        (e.sent_personal) " of your " (e.sent) " invitations carried a personal note (" (pct(e.sent_personal, e.sent)) "). "
                        "Accepted: " (pct(e.sent_with_note.0, e.sent_with_note.1)) " with a note, " (pct(e.sent_without_note.0, e.sent_without_note.1)) " without. "
                        (etiquette_advice(e))
                    }

                    h2 { "What was read" }
                    div.scroll { table {
                        thead { tr { th { "File" } th.n { "Rows" } th.n { "Used" } th.n { "Skipped" } th { "Why skipped" } } }
                        tbody { @for f in &d.files { tr {
                            td { (f.file) } td.n { (f.rows_read) } td.n { (f.rows_used) } td.n { (f.skipped_total()) }
                            td {
                                @for (k, v) in &f.skipped { (v) " " (k) br; }
                                @if let Some(err) = &f.error { (err) }
                            }
                        } } }
                    } }
                    @if !d.ignored.is_empty() {
                        p.muted { "Ignored files: " @for (i, f) in d.ignored.iter().enumerate() { @if i > 0 { ", " } (f.name) } }
                    }
                    p.muted { "Actions by count: " @for (k, n) in ordered(&d.tables.by_action, &ACTIONS) { (k) " " (n) "; " } }
                }
            }
        };
        crate::text::page_safe(page.into_string()).into_bytes()
    }
}

#[cfg(test)]
mod link_tests {
    use super::canonical_profile_url as link;

    #[test]
    fn only_linkedin_profile_urls_become_links() {
        assert_eq!(
            link("https://www.linkedin.com/in/ann-lee").as_deref(),
            Some("https://www.linkedin.com/in/ann-lee")
        );
        assert_eq!(
            link("https://www.linkedin.com/in/j%C3%B6rg-x").as_deref(),
            Some("https://www.linkedin.com/in/j%C3%B6rg-x")
        );
        for bad in [
            "https://evil.example/in/x",
            "https://www.linkedin.com.evil.example/in/x",
            "https://www.linkedin.com@evil.example/in/x",
            "http://www.linkedin.com/in/x",
            "https://www.linkedin.com/company/x",
            "https://www.linkedin.com/in/x\u{202e}gpj",
            "javascript:alert(1)",
        ] {
            assert_eq!(link(bad), None, "{bad}");
        }
    }
}
