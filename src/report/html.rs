//! report.html: one self-contained page (inline CSS and SVG, nothing to
//! fetch), readable on a laptop and a phone, printable. maud escapes every
//! interpolated string; nothing from the export is ever marked safe, and a
//! Content-Security-Policy forbids scripts and fetches even if an escape were
//! missed.

use super::{
    InvitationLine, PersonLine, ReconnectLine, Render, ReportData, Since, canonical_profile_url,
    etiquette_advice, labels, layers, layers_text, notes_by_class, ordered, pct, percent,
    year_count, years,
};
use crate::aggregate::Counts;
use crate::history::{Change, Point};
use crate::ingest::Direction;
use crate::judge::{Action, Context, Coverage, Decision};
use crate::labels::Label;
use maud::{DOCTYPE, Markup, PreEscaped, html};

pub struct Html;

const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// Static style sheet (not export text).
const CSS: &str = r#"
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#e3e3e3;--strong:#1b7837;--moderate:#7fbf7b;--weak:#c2a5cf;--none:#d6604d;--bar:#4a7bb7}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);max-width:1100px;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.muted{color:var(--muted)}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1rem}
.wide{overflow-x:auto}.tiles{display:grid;grid-template-columns:repeat(3,1fr);gap:.6rem}.card{border:1px solid var(--line);border-radius:8px;padding:.8rem}text.axis{fill:var(--muted)}text.total{font-size:10px}.big{font-size:1.8rem;font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
td.n,th.n{text-align:right}td.d{white-space:nowrap}td{overflow-wrap:break-word}.scroll{overflow-x:auto}svg{width:100%;height:auto}svg text{font-size:12px;fill:var(--fg)}
.todo{border:2px solid var(--bar);border-radius:8px;padding:.2rem 1rem;margin:1rem 0}.todo h2{border:0;margin-top:.6rem}
.warn{background:#fff4e5;border-left:4px solid #e8a33d;padding:.5rem .8rem}details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
@media (max-width:640px){table.rows thead{display:none}table.rows,table.rows tbody,table.rows tr,table.rows td{display:block;width:100%}table.rows tr{border-bottom:1px solid var(--line);padding:.4rem 0}table.rows td{border:0;padding:.1rem 0;text-align:left}table.rows td[data-l]::before{content:attr(data-l) ": ";color:var(--muted)}.wide svg{min-width:600px}}
.legend span{display:inline-block;margin-right:.8rem}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}
@media print{body{max-width:none;font-size:11px}.card{break-inside:avoid}a{color:inherit;text-decoration:none}h2{break-after:avoid}}
"#;

fn color(context: Context) -> &'static str {
    match context {
        Context::Strong => "var(--strong)",
        Context::Moderate => "var(--moderate)",
        Context::Weak => "var(--weak)",
        Context::None => "var(--none)",
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

/// Round numbers for an axis from 0 to at least `max`: a step of 1, 2 or 5
/// times a power of ten, at most five steps.
fn ticks(max: u32) -> Vec<u32> {
    let max = max.max(1);
    let mut unit = 1u32;
    loop {
        for m in [1, 2, 5] {
            let step = unit.saturating_mul(m);
            if max.div_ceil(step) <= 5 {
                return (0..=max.div_ceil(step)).map(|k| k * step).collect();
            }
        }
        unit = unit.saturating_mul(10);
    }
}

/// Grid lines across a chart at each tick, their values up the side
/// (`x`: the plot's left and right; `y_of`: a value's height).
fn y_grid(ticks: &[u32], (left, right): (f64, f64), y_of: impl Fn(f64) -> f64) -> Markup {
    html! {
        @for t in ticks {
            @let y = y_of(f64::from(*t));
            line x1=(left) y1=(format!("{y:.1}")) x2=(right) y2=(format!("{y:.1}")) stroke=(if *t == 0 { "#999" } else { "#e3e3e3" }) {}
            text.axis x=(left - 4.0) y=(format!("{:.1}", y + 4.0)) text-anchor="end" { (t) }
        }
    }
}

/// An SVG path through the points, in order.
fn line_path(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" }))
        .collect()
}

/// Horizontal bars; `label(n)` prints the value; `axis` names what is
/// counted (under the bars).
fn hbars(
    title: &str,
    items: &[(String, u32)],
    label: &dyn Fn(u32) -> String,
    axis: &str,
) -> Markup {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1) as f64;
    let row_h = 22.0;
    let h = (items.len().max(1) as f64) * row_h + 26.0;
    html! {
        svg viewBox={ "0 0 320 " (h) } role="img" aria-label=(title) {
            title { (title) }
            @if items.iter().all(|(_, n)| *n == 0) {
                text x="4" y="16" { "no data in this export" }
            }
            @for (i, (k, n)) in items.iter().enumerate() {
                @let y = 4.0 + i as f64 * row_h;
                @let w = (*n as f64 / max) * 140.0;
                @let short: String = if k.chars().count() > 18 { k.chars().take(17).chain(['…']).collect() } else { k.clone() };
                text x="132" y=(y + 14.0) text-anchor="end" { title { (k) } (short) }
                rect class="bar" x="138" y=(y + 3.0) width=(format!("{w:.1}")) height="14" fill="var(--bar)" {}
                text x=(format!("{:.1}", 142.0 + w)) y=(y + 14.0) { (label(*n)) }
            }
            line x1="138" y1=(h - 20.0) x2="278" y2=(h - 20.0) stroke="#999" {}
            text.axis x="138" y=(h - 6.0) { (axis) }
        }
    }
}

/// Connections per year, stacked by context, with the year's total above
/// each bar and round numbers up the side.
fn per_year(d: &ReportData) -> Markup {
    let years = years(&d.tables);
    let get = |y: &str, c: &str| year_count(&d.tables, y, c);
    let totals: Vec<u32> = years
        .iter()
        .map(|y| labels::<Context>().map(|c| get(y, c)).sum())
        .collect();
    let ticks = ticks(totals.iter().copied().max().unwrap_or(0));
    let top = f64::from(*ticks.last().unwrap_or(&1)).max(1.0);
    let (w, h, left, bottom, head) = (640.0, 260.0, 44.0, 40.0, 18.0);
    let plot = h - bottom - head;
    let y_of = |n: f64| h - bottom - n / top * plot;
    let slot = (w - left) / (years.len().max(1) as f64);
    let bar = (slot * 0.75).max(2.0);
    let every = years.len().div_ceil(16).max(1);
    html! {
        svg viewBox="0 0 640 260" role="img" aria-label="Connections per year by context" {
            title { "Connections per year by context" }
            (y_grid(&ticks, (left, w), y_of))
            @if years.is_empty() { text x="60" y="100" { "no data in this export" } }
            @for (i, y) in years.iter().enumerate() {
                @let x = left + i as f64 * slot + (slot - bar) / 2.0;
                @let mut base = h - bottom;
                @for c in Context::ALL.iter().rev() {
                    @let n = get(y, c.as_str());
                    @let bh = f64::from(n) / top * plot;
                    @if n > 0 {
                        @let top_y = { base -= bh; base };
                        rect class="bar" x=(format!("{x:.1}")) y=(format!("{top_y:.1}")) width=(format!("{bar:.1}")) height=(format!("{bh:.1}")) fill=(color(*c)) {
                            title { (y) ": " (n) " " (c.as_str()) }
                        }
                    }
                }
                @if i % every == 0 {
                    text.axis x=(format!("{:.1}", x + bar / 2.0)) y=(h - bottom + 14.0) text-anchor="middle" { (if y.as_str() == "0" { "?" } else { y.as_str() }) }
                    text.total x=(format!("{:.1}", x + bar / 2.0)) y=(format!("{:.1}", y_of(f64::from(totals[i])) - 3.0)) text-anchor="middle" { (totals[i]) }
                }
            }
            text.axis x=(left + (w - left) / 2.0) y=(h - 4.0) text-anchor="middle" { "year connected (? = date unknown)" }
            text.axis x="12" y=(head + plot / 2.0) text-anchor="middle" transform=(format!("rotate(-90 12 {:.1})", head + plot / 2.0)) { "connections" }
        }
        p.legend {
            @for c in Context::ALL { span { span.sw style={ "background:" (color(*c)) } {} (c.as_str()) } }
        }
    }
}

/// The network's size over time: connections made up to each year.
fn growth(d: &ReportData) -> Markup {
    let years: Vec<&String> = years(&d.tables)
        .into_iter()
        .filter(|y| y.as_str() != "0")
        .collect();
    let mut total = 0u32;
    let points: Vec<(String, u32)> = years
        .iter()
        .map(|y| {
            total += labels::<Context>()
                .map(|c| year_count(&d.tables, y, c))
                .sum::<u32>();
            ((*y).clone(), total)
        })
        .collect();
    let ticks = ticks(total);
    let top = f64::from(*ticks.last().unwrap_or(&1)).max(1.0);
    let (w, h, left, bottom, head) = (320.0, 200.0, 44.0, 34.0, 10.0);
    let plot = h - bottom - head;
    let step = (w - left - 10.0) / (points.len().saturating_sub(1).max(1) as f64);
    let xy = |i: usize, n: u32| {
        (
            left + i as f64 * step,
            h - bottom - f64::from(n) / top * plot,
        )
    };
    let path = line_path(points.iter().enumerate().map(|(i, (_, n))| xy(i, *n)));
    html! {
        svg viewBox="0 0 320 200" role="img" aria-label="Connections over time (cumulative)" {
            title { "Connections over time (cumulative)" }
            (y_grid(&ticks, (left, w), |n| h - bottom - n / top * plot))
            @if points.is_empty() { text x="60" y="80" { "no data in this export" } }
            @else {
                path class="bar" d=(path) fill="none" stroke="var(--bar)" stroke-width="2" {}
                @let (first, last) = (&points[0], &points[points.len() - 1]);
                text.axis x=(left) y=(h - bottom + 14.0) { (first.0) }
                text.axis x=(w - 10.0) y=(h - bottom + 14.0) text-anchor="end" { (last.0) }
            }
            text.axis x=(left + (w - left) / 2.0) y=(h - 4.0) text-anchor="middle" { "year; connections so far" }
        }
    }
}

/// Rows of a long table shown at once; the rest are a click away.
const SHOWN: usize = 25;
/// Rows of a long table the page holds at most (a network of thousands in
/// review would make a page of megabytes); the CSV holds them all.
const EMBEDDED: usize = 500;

/// A table of people: the first [`SHOWN`] rows, the rest behind a
/// disclosure that names the CSV holding them all. At phone width each row
/// becomes a card (the cells carry their column names).
fn people_table(people: &[PersonLine], csv: &str) -> Markup {
    let head = html! {
        thead { tr { th { "Name" } th { "Company" } th { "Connected" } th.n { "Score" } th { "Why" } } }
    };
    let rows = |part: &[PersonLine]| {
        html! {
            tbody { @for p in part { tr {
                td data-l="Name" { (profile(&p.name, &p.url)) }
                td data-l="Company" { (p.company) }
                td.d data-l="Connected" { (p.connected_on.map(|x| x.to_string()).unwrap_or_default()) }
                td.n data-l="Score" { (p.score) }
                td data-l="Why" { (p.reasons) }
            } } }
        }
    };
    let all = html! { " (all " (people.len()) " are in " code { (csv) } ")" };
    shown_first(people, &head, rows, all)
}

/// The first [`SHOWN`] rows of a table, the rest behind a disclosure whose
/// summary ends with `where_all` (where the whole list is).
fn shown_first<T>(
    items: &[T],
    head: &Markup,
    rows: impl Fn(&[T]) -> Markup,
    where_all: Markup,
) -> Markup {
    let (first, rest) = items.split_at(items.len().min(SHOWN));
    // The page stays a page: past EMBEDDED rows, the CSV holds the rest.
    let (rest, left_out) = rest.split_at(rest.len().min(EMBEDDED - SHOWN));
    html! {
        table.rows { (head) (rows(first)) }
        @if !rest.is_empty() {
            details {
                summary { "Show " @if left_out.is_empty() { "the other " } @else { "the next " } (rest.len()) (where_all) }
                table.rows { (head) (rows(rest)) }
            }
        }
        @if !left_out.is_empty() {
            p.muted { "The other " (left_out.len()) " are in the CSV only." }
        }
    }
}

/// Invitations to act on, as [`people_table`] lays out people.
fn invitation_table(lines: &[InvitationLine]) -> Markup {
    let head = html! {
        thead { tr { th { "Action" } th { "Direction" } th { "Name" } th { "Sent" } th { "Note" } th.n { "Times" } th { "Why" } } }
    };
    let rows = |part: &[InvitationLine]| {
        html! {
            tbody { @for i in part { tr {
                td data-l="Action" { strong { (i.action) } }
                td data-l="Direction" { (i.direction) }
                td data-l="Name" { (profile(&i.name, &i.url)) }
                td.d data-l="Sent" { (i.sent_on.to_string()) }
                td data-l="Note" { (i.note) }
                td.n data-l="Times" { (i.times_sent) }
                td data-l="Why" { (i.reasons) }
            } } }
        }
    };
    let all = html! { " (all are in " code { "invitations.csv" } ")" };
    shown_first(lines, &head, rows, all)
}

/// Changes of one kind: the first [`SHOWN`], and where all of them are (a
/// comparison can list thousands; the page is the summary).
fn change_table(changes: &[&Change]) -> Markup {
    html! {
        table.rows {
            thead { tr { th { "Name" } th { "Before" } th { "After" } th { "Detail" } } }
            tbody { @for c in changes.iter().take(SHOWN) { tr {
                td data-l="Name" { (profile(&c.name, &c.url)) }
                td data-l="Before" { (c.before) }
                td data-l="After" { (c.after) }
                td data-l="Detail" { (c.detail) }
            } } }
        }
        @if changes.len() > SHOWN {
            p.muted { "…and " (changes.len() - SHOWN) " more in " code { "changes.csv" } "." }
        }
    }
}

/// Network size at each export, with what came and went between them.
fn timeline_chart(points: &[Point]) -> Markup {
    let most = points.iter().map(|p| p.connections).max().unwrap_or(0);
    let ticks = ticks(u32::try_from(most).unwrap_or(u32::MAX));
    let top = f64::from(*ticks.last().unwrap_or(&1)).max(1.0);
    let (w, h, left, bottom, head) = (640.0, 220.0, 52.0, 40.0, 14.0);
    let plot = h - bottom - head;
    let step = (w - left - 40.0) / (points.len().saturating_sub(1).max(1) as f64);
    let xy = |i: usize, n: usize| {
        (
            left + 20.0 + i as f64 * step,
            h - bottom - n as f64 / top * plot,
        )
    };
    let path = line_path(points.iter().enumerate().map(|(i, p)| xy(i, p.connections)));
    html! {
        svg viewBox="0 0 640 220" role="img" aria-label="Connections at each export" {
            title { "Connections at each export" }
            (y_grid(&ticks, (left, w), |n| h - bottom - n / top * plot))
            path class="bar" d=(path) fill="none" stroke="var(--bar)" stroke-width="2" {}
            @for (i, p) in points.iter().enumerate() {
                @let (x, y) = xy(i, p.connections);
                circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="3" fill="var(--bar)" {
                    title { (p.as_of.to_string()) ": " (p.connections) " connections" }
                }
                // The first and last labels stay inside the picture.
                @let anchor = if i == 0 { "start" } else if i + 1 == points.len() { "end" } else { "middle" };
                @let lx = if i == 0 { x - 6.0 } else if i + 1 == points.len() { x + 6.0 } else { x };
                text.total x=(format!("{lx:.1}")) y=(format!("{:.1}", y - 6.0)) text-anchor=(anchor) {
                    (p.connections)
                    @if let (Some(a), Some(r)) = (p.added, p.removed) { " (+" (a) " −" (r) ")" }
                }
                text.axis x=(format!("{lx:.1}")) y=(h - bottom + 14.0) text-anchor=(anchor) { (p.as_of.to_string()) }
            }
            text.axis x=(left + (w - left) / 2.0) y=(h - 4.0) text-anchor="middle" { "export date; connections (added, removed since the export before)" }
        }
    }
}

/// The layers by context on a log scale, against the sizes of the layers of
/// a close personal network.
fn layers_chart(d: &ReportData) -> Markup {
    let l = layers(&d.tables);
    let most = l.last().map_or(0, |x| x.2).max(150);
    let (left, right, row_h) = (140.0, 272.0, 24.0);
    let span = f64::from(most).log10().max(1.0);
    let x_of = |n: u32| left + (f64::from(n.max(1)).log10() / span) * (right - left);
    let h = l.len() as f64 * row_h + 40.0;
    html! {
        svg viewBox={ "0 0 320 " (h) } role="img" aria-label="Your network by context, against layers of about 5, 15, 50 and 150" {
            title { "Your network by context, against layers of about 5, 15, 50 and 150 (log scale)" }
            @for size in crate::history::LAYER_SIZES {
                @let x = x_of(size);
                line x1=(format!("{x:.1}")) y1="14" x2=(format!("{x:.1}")) y2=(h - 20.0) stroke="#999" stroke-dasharray="3 3" {}
                text.axis x=(format!("{x:.1}")) y="10" text-anchor="middle" { (size) }
            }
            @for (i, (label, _, so_far, _)) in l.iter().enumerate() {
                @let y = 18.0 + i as f64 * row_h;
                @let w = if *so_far == 0 { 0.0 } else { x_of(*so_far) - left };
                text x=(left - 6.0) y=(y + 13.0) text-anchor="end" { (label) }
                rect class="bar" x=(left) y=(y + 2.0) width=(format!("{w:.1}")) height="14" fill=(color(Context::ALL[i])) {
                    title { (label) ": " (so_far) }
                }
                text x=(format!("{:.1}", left + w + 4.0)) y=(y + 13.0) { (so_far) }
            }
            text.axis x="4" y=(h - 4.0) { "log scale; dashed: layers of a close network" }
        }
    }
}

/// Ties worth keeping alive: the strongest [`SHOWN`], and where all of
/// them are (a large network can have thousands; the page is the summary).
fn reconnect_table(lines: &[ReconnectLine]) -> Markup {
    html! {
        table.rows {
            thead { tr { th { "Name" } th { "Company" } th { "Past context" } th { "Last message" } th { "Quiet" } } }
            tbody { @for r in lines.iter().take(SHOWN) { tr {
                td data-l="Name" { (profile(&r.name, &r.url)) }
                td data-l="Company" { (r.company) }
                td data-l="Past context" { (r.past) }
                td.d data-l="Last message" { (r.last_message_on.map(|x| x.to_string()).unwrap_or_else(|| "none".into())) }
                td data-l="Quiet" { (r.when()) }
            } } }
        }
        @if lines.len() > SHOWN {
            p.muted { "…and " (lines.len() - SHOWN) " more in " code { "reconnect.csv" } "." }
        }
    }
}

/// What changed since the export before, and the timeline.
fn since(s: &Since) -> Markup {
    let c = &s.comparison;
    html! {
        h2 id="since" { "Since " (c.since.to_string()) }
        p { "Compared with " code { (c.previous) } ". " (s.headline()) }
        p { (s.pruning()) }
        @if let Some(m) = s.matching() { p.muted { (m) } }
        @for (kind, changes) in s.by_kind() {
            details open[changes.len() <= 10] {
                summary { (kind.title()) " (" (changes.len()) ")" }
                (change_table(&changes))
            }
        }
        @if s.timeline.len() > 2 {
            h3 { "Timeline" }
            div.wide { (timeline_chart(&s.timeline)) }
            p.muted { "Every export's figures are in " code { "timeline.csv" } "." }
        }
    }
}

/// The first block of the page: what to do, how many, and how on LinkedIn.
fn what_now(d: &ReportData) -> Markup {
    let reviewing = d.reviewing();
    let actions = d.to_act_by_action();
    html! {
        section.todo {
            h2 { "What to do next" }
            ul {
                @if !d.unlink.is_empty() {
                    li { strong { (d.unlink.len()) " to unlink" } ": no context found, or only a pitch (each row says which). "
                        a href="#unlink" { "See the list" } " (all in " code { "unlink_candidates.csv" } ")." }
                }
                @if reviewing > 0 {
                    li { strong { (reviewing) " to review" } ": "
                        @for (k, g) in d.review.iter().enumerate() {
                            @if k > 0 { "; " }
                            (g.people.len()) " " (g.why.label())
                        }
                        ". " a href="#review" { "See them by reason" } "." }
                }
                @if !d.to_act.is_empty() {
                    li { strong { (super::count_of(d.to_act.len(), "invitation", "invitations")) " to act on" } ": "
                        @for (k, (a, n)) in actions.iter().enumerate() {
                            @if k > 0 { ", " }
                            (n) " " (a)
                        }
                        ". " a href="#invitations" { "See them" } "." }
                }
                @if let Some(y) = &d.yours {
                    li { "You decided about " (y.decided) " of them; " (y.agreement()) "."
                        @if y.absent > 0 { " " (y.absent) " of your decisions are about people not in this export: kept in your_decisions.csv, with all the others." }
                        " Pass your_decisions.csv with --decisions next time."
                        @if y.skipped > 0 { " " (super::count_of(y.skipped, "row", "rows")) " of your file could not be used (see ingest.json)." }
                    }
                }
                @if !d.reconnect.is_empty() {
                    li { (d.reconnect_line()) ". " a href="#reconnect" { "See them" } " (all in " code { "reconnect.csv" } ")." }
                }
                @if let Some(s) = &d.since {
                    li { "Since " (s.comparison.since.to_string()) ": " (s.headline()) " " a href="#since" { "See what changed" } "." }
                }
                @if d.unlink.is_empty() && reviewing == 0 && d.to_act.is_empty() {
                    li { "Nothing to act on: every connection has some context, and no invitation waits for you." }
                }
            }
            @if !d.has_messages {
                p.warn { "This export has no messages: nothing can be judged from silence. Request the complete export (Settings, Data privacy, Get a copy of your data) and audit it again." }
            }
            p {
                "tieaudit never acts on your account; you do, on LinkedIn. To remove a connection: open their profile, select More, then Remove connection (they are not told). "
                "To withdraw an invitation you sent: My Network, Manage, Sent, then Withdraw (you cannot invite them again for about three weeks). "
                "To ignore one you received: My Network, Invitations, Ignore."
            }
        }
    }
}

/// The unlink candidates and the review groups.
fn verdicts(d: &ReportData) -> Markup {
    let reviewing = d.reviewing();
    html! {
        h2 id="unlink" { "Unlink candidates (" (d.unlink.len()) ")" }
        @if d.unlink.is_empty() {
            p { @if reviewing > 0 { "None recommended; " (reviewing) " connections are in review below." } @else { "None: every connection has some context." } }
        } @else {
            (people_table(&d.unlink, "unlink_candidates.csv"))
        }

        h2 id="review" { "To review (" (reviewing) ")" }
        @if d.review.is_empty() { p { "Nothing in review." } }
        @for g in &d.review {
            details open[g.people.len() <= 10] {
                summary { (g.why.title()) " (" (g.people.len()) ")" }
                p.muted { (g.why.advice()) }
                (people_table(&g.people, "connections.csv"))
            }
        }
    }
}

/// The ties worth keeping alive.
fn reconnect_section(d: &ReportData) -> Markup {
    html! {
        h2 id="reconnect" { "Ties worth keeping alive (" (d.reconnect.len()) ")" }
        @if !d.has_messages { p { "This export has no messages, so no tie can be seen going quiet." } }
        @else if d.reconnect.is_empty() { p { "None: every tie with real past context is still in touch." } }
        @else {
            p.muted { "People you once had real context with (two-way messages, a recommendation, work together) who have gone quiet for over a year and over four times their usual gap between conversations; then people who accepted your invitation with a personal note but never exchanged a message. Strongest first." }
            (reconnect_table(&d.reconnect))
        }
    }
}

/// Invitations to act on, and repeated inviters.
fn invitations_section(d: &ReportData) -> Markup {
    html! {
        h2 id="invitations" { "Invitations to act on (" (d.to_act.len()) ")" }
        @if !d.has_invitations { p { "This export has no Invitations.csv." } }
        @else if d.to_act.is_empty() { p { "None pending." } }
        @else { (invitation_table(&d.to_act)) }
        @if !d.repeated.is_empty() {
            h3 { "Repeated inviters" }
            ul { @for i in &d.repeated { li { (profile(&i.name, &i.url)) " sent " (i.times_sent) " invitations (" (i.note) ")" } } }
        }
    }
}

/// The network at a glance: charts of the tables.
fn glance(d: &ReportData) -> Markup {
    let e = &d.etiquette;
    let count = |n: u32| n.to_string();
    let notes_in = notes_by_class(&d.tables, Direction::Incoming);
    let notes_out = notes_by_class(&d.tables, Direction::Outgoing);
    let rate = |(a, t): (u32, u32)| percent(a, t).unwrap_or(0);
    let acceptance = vec![
        (
            format!("with a note ({} sent)", e.sent_with_note.1),
            rate(e.sent_with_note),
        ),
        (
            format!("without ({} sent)", e.sent_without_note.1),
            rate(e.sent_without_note),
        ),
    ];
    let top =
        |c: &Counts| -> Vec<(String, u32)> { c.iter().map(|(k, n)| (k[0].clone(), *n)).collect() };
    let companies = top(&d.tables.unlink_companies);
    html! {
        h2 { "Your network at a glance" }
        h3 { "Connections per year, by context strength" }
        div.wide { (per_year(d)) }
        div.grid {
            div.card { h3 { "Growth" } (growth(d)) }
            div.card { h3 { "Layers" } (layers_chart(d)) p.muted { (layers_text(&d.tables)) } }
            div.card { h3 { "Top companies" } (hbars("Companies most represented in your network", &top(&d.tables.companies), &count, "connections")) }
            div.card { h3 { "Top positions" } (hbars("Positions most represented in your network", &top(&d.tables.positions), &count, "connections")) }
            div.card { h3 { "Evidence coverage" } (hbars("Evidence coverage", &ordered::<Coverage>(&d.tables.by_coverage), &count, "connections")) }
            div.card { h3 { "Notes on invitations received" } (hbars("Notes on invitations received", &notes_in, &count, "invitations")) }
            div.card { h3 { "Notes on invitations you sent" } (hbars("Notes on invitations you sent", &notes_out, &count, "invitations")) }
            div.card { h3 { "Your invitations accepted" } (hbars("Share of your invitations accepted, with and without a personal note", &acceptance, &|n| format!("{n}%"), "% accepted")) }
            div.card { h3 { "Companies among unlink candidates" } (hbars("Companies most represented among unlink candidates", &companies, &count, "unlink candidates")) }
        }
    }
}

/// The owner's own invitations.
fn etiquette(d: &ReportData) -> Markup {
    let e = &d.etiquette;
    html! {
        h2 { "Your own etiquette" }
        @if !d.has_invitations {
            p { "This export has no Invitations.csv, so your own invitations cannot be judged." }
        } @else {
            p {
                @if e.sent > 0 {
                    "Your invitations with a personal note: " (pct(e.sent_personal, e.sent)) ". "
                    "Accepted: " (pct(e.sent_with_note.0, e.sent_with_note.1)) " with a note, " (pct(e.sent_without_note.0, e.sent_without_note.1)) " without. "
                }
                (etiquette_advice(e))
            }
        }
    }
}

/// What was read and ignored.
fn files(d: &ReportData) -> Markup {
    html! {
        h2 { "What was read" }
        div.scroll { table {
            thead { tr { th { "File" } th.n { "Rows" } th.n { "Used" } th.n { "Skipped" } th { "Why skipped" } } }
            tbody { @for f in &d.files { tr {
                td { (f.file) } td.n { (f.rows_read) } td.n { (f.rows_used) } td.n { (f.skipped_total()) }
                td {
                    @for why in f.why_skipped() { (why) br; }
                    @if let Some(err) = &f.error { (err) }
                }
            } } }
        } }
        @if !d.ignored.is_empty() {
            p.muted { "Ignored files: " @for (i, f) in d.ignored.iter().enumerate() { @if i > 0 { ", " } (f.name) } }
        }
        p.muted { "Invitations by action (none: already accepted, or nothing to do): " @for (i, (k, n)) in ordered::<Action>(&d.tables.by_action).iter().enumerate() { @if i > 0 { ", " } (n) " " (k) } "." }
    }
}

impl Render for Html {
    fn file_name(&self) -> &'static str {
        "report.html"
    }

    fn render(&self, d: &ReportData) -> Vec<u8> {
        let decisions = ordered::<Decision>(&d.tables.by_decision);
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
                    div.tiles {
                        @for (k, n) in &decisions {
                            div.card { div.muted { (k) } div.big { (n) } }
                        }
                    }
                    (what_now(d))
                    @if let Some(s) = &d.since { (since(s)) }
                    p.muted { "Little communication does not prove a weak tie, so every verdict carries its reasons. Coverage says how much the export can show about a connection: high (messages, and the invitation when it falls in the months Invitations.csv keeps), partial (messages, but how the link began is older than Invitations.csv), low (no messages, or the owner could not be told apart, so silence shows nothing)." }

                    (verdicts(d))
                    (reconnect_section(d))
                    (invitations_section(d))
                    (glance(d))
                    (etiquette(d))
                    (files(d))
                }
            }
        };
        crate::text::page_safe(page.into_string()).into_bytes()
    }
}

#[cfg(test)]
mod link_tests {
    use crate::report::canonical_profile_url as link;

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
