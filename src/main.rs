//! Thin binary: parse arguments, call the library, print, map to an exit code.
// One audited exception: `keep_freed_pages`, a call into the allocator.
#![deny(unsafe_code)]

mod cli;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;
use tieaudit::text::for_terminal;

/// `mi_option_purge_delay` in mimalloc v2's `mi_option_e` (the sys crate
/// does not name it); `Cargo.lock` pins the C source it comes from.
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc (v2) hands freed pages back to the kernel 10 ms after they are
/// freed; an audit frees and allocates all the time, so it would then fault
/// them in again, each one zeroed by the kernel. A one-second delay keeps
/// them for the audit and still returns them between exports of a batch.
#[cfg(feature = "mimalloc")]
#[allow(unsafe_code)]
fn keep_freed_pages() {
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table:
    // it takes no pointers, is thread-safe, and may be called at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1000) }
}

fn main() -> ExitCode {
    #[cfg(feature = "mimalloc")]
    keep_freed_pages();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            // Line by line: a TOML error keeps its own layout (the line,
            // a caret under the column), each line made safe to print.
            let text = e.to_string();
            let mut lines = text.lines();
            eprintln!("tieaudit: {}", for_terminal(lines.next().unwrap_or("")));
            for l in lines {
                eprintln!("{}", for_terminal(l));
            }
            ExitCode::from(2)
        }
    }
}

/// Print a usage error (or help) the way clap does, but never echo an
/// argument's control characters or bidi overrides to the terminal: they
/// could retitle the window or disguise the message.
fn usage_error(e: &clap::Error) -> ExitCode {
    let hostile = std::env::args_os().any(|a| {
        a.to_string_lossy()
            .chars()
            .any(|c| !tieaudit::text::terminal_safe(c))
    });
    if !hostile || !e.use_stderr() {
        e.exit()
    }
    let plain = e.render().to_string();
    for line in plain.lines() {
        eprintln!("{}", for_terminal(line));
    }
    ExitCode::from(2)
}

/// `Ok(false)`: done, with problems that `--strict` turns into exit code 1.
fn run(cli: cli::Cli) -> tieaudit::Result<bool> {
    match cli.command {
        cli::Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut cli::Cli::command(),
                "tieaudit",
                &mut std::io::stdout(),
            );
            Ok(true)
        }
        cli::Command::Man { out } => man(out),
        cli::Command::Review(a) => review(&a),
        cli::Command::Calibrate(a) => calibrate(&a),
        cli::Command::Policy => {
            print!("{}", tieaudit::policy::Policy::default_toml());
            Ok(true)
        }
        cli::Command::Sample(a) if a.evolve.is_some() => evolve(&a),
        cli::Command::Sample(a) => sample(&a),
        cli::Command::Audit(a) => audit(&a),
    }
}

/// `tieaudit man`: a page per subcommand into a folder, or the main page.
fn man(out: Option<std::path::PathBuf>) -> tieaudit::Result<bool> {
    use clap::CommandFactory;
    let err = |e: std::io::Error| tieaudit::Error::Usage(format!("cannot write the man page: {e}"));
    match out {
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(err)?;
            clap_mangen::generate_to(cli::Cli::command(), &dir).map_err(err)?;
            println!(
                "wrote the man pages to {}",
                for_terminal(&dir.display().to_string())
            );
        }
        None => clap_mangen::Man::new(cli::Cli::command())
            .render(&mut std::io::stdout())
            .map_err(err)?,
    }
    Ok(true)
}

/// `tieaudit sample --evolve FROM`: the export some months later.
fn evolve(a: &cli::SampleArgs) -> tieaudit::Result<bool> {
    let from = a.evolve.clone().unwrap_or_default();
    let opts = tieaudit::evolve::Options {
        months: a.months,
        seed: a.seed,
        no_urls: a.no_urls,
    };
    // FROM is never changed: no output into it, nor over it.
    tieaudit::output::refuse_inputs(&a.out, &[&from])?;
    let (files, applied) = tieaudit::evolve::evolve(&from, &opts)?;
    tieaudit::sample::write_files(&a.out, &files, a.zip)?;
    // What was changed, as JSON on standard output (for scripts and
    // tests); the sentence for people on standard error.
    eprintln!(
        "wrote {} as {} months later to {}",
        for_terminal(&from.display().to_string()),
        a.months,
        for_terminal(&a.out.display().to_string()),
    );
    println!("{}", serde_json::to_string(&applied).unwrap_or_default());
    Ok(true)
}

/// `tieaudit sample`: a synthetic export.
fn sample(a: &cli::SampleArgs) -> tieaudit::Result<bool> {
    let opts = tieaudit::sample::Options {
        connections: a.connections,
        seed: a.seed,
        messages: a.messages,
        invitations: a.invitations,
        endorsements: a.endorsements,
    };
    tieaudit::sample::write(&a.out, &opts, a.zip, a.truth.as_deref())?;
    println!(
        "wrote a synthetic export of {} connections to {}",
        a.connections,
        a.out.display()
    );
    Ok(true)
}

/// `tieaudit audit`: one export, or a batch.
fn audit(a: &cli::AuditArgs) -> tieaudit::Result<bool> {
    let cfg = a.to_config()?;
    if let Some(n) = cfg.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| tieaudit::Error::Usage(e.to_string()))?;
    }
    let exports = tieaudit::batch::expand(&cfg.exports);
    if !cfg.quiet {
        for p in tieaudit::batch::skipped_outputs(&cfg.exports) {
            eprintln!(
                "tieaudit: skipped {}: it holds the outputs of an earlier audit",
                for_terminal(&p.display().to_string())
            );
        }
    }
    let is_batch = exports.len() != 1 || cfg.exports.len() != 1;
    if is_batch && !cfg.previous.is_empty() {
        return Err(tieaudit::Error::Usage(
            "--previous compares one export with earlier ones of the same owner: \
             audit one export at a time with it"
                .into(),
        ));
    }
    if is_batch {
        return batch(&exports, &cfg);
    }
    let bar = (!cfg.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.enable_steady_tick(std::time::Duration::from_millis(120));
        b
    });
    let progress = |msg: &str| {
        if let Some(b) = &bar {
            b.set_message(msg.to_string());
        }
    };
    let outcome = tieaudit::audit::run(&cfg, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let outcome = outcome?;
    if cfg.timings {
        for (stage, d) in &outcome.timings {
            eprintln!(
                "timing {:>10.3} ms  {}",
                d.as_secs_f64() * 1000.0,
                for_terminal(stage)
            );
        }
    }
    if !cfg.quiet {
        print!("{}", tieaudit::audit::render_text(&outcome));
    }
    Ok(!cfg.strict || outcome.ingest.files.iter().all(|f| f.error.is_none()))
}

/// `tieaudit review`: a key at a time in a terminal, a line at a time in a
/// dumb one; not at all when standard input is not a terminal.
fn review(a: &cli::ReviewArgs) -> tieaudit::Result<bool> {
    use tieaudit::review;
    if !std::io::stdin().is_terminal() {
        return Err(tieaudit::Error::Usage(
            "review asks you, person by person: standard input is not a terminal".into(),
        ));
    }
    let decided = review::check_file(&a.decisions)?;
    let scratch = tempfile::tempdir().map_err(|e| tieaudit::Error::Usage(e.to_string()))?;
    let folder = review::audit_folder(&a.input, scratch.path(), &decided)?;
    let pile = review::pile(&folder, a.unlink, &decided)?;
    if pile.is_empty() {
        println!("Nothing left to decide here.");
        return Ok(true);
    }
    let term = console::Term::stdout();
    let dumb = std::env::var("TERM").map_or(true, |t| t.is_empty() || t == "dumb");
    let tally = if dumb || !term.is_term() {
        println!("(this terminal cannot read single keys: type a letter and Enter)");
        let stdin = std::io::stdin();
        review::walk(
            &pile,
            &a.decisions,
            review::today(),
            &mut review::Lines(stdin.lock(), std::io::stdout()),
        )?
    } else {
        review::walk(
            &pile,
            &a.decisions,
            review::today(),
            &mut review::Keys(term),
        )?
    };
    println!(
        "{} kept, {} unlinked, {} skipped{}; saved to {}",
        tally.kept,
        tally.unlinked,
        tally.skipped,
        if tally.quit {
            " (you quit; run again to go on)"
        } else {
            ""
        },
        for_terminal(&a.decisions.display().to_string())
    );
    Ok(true)
}

/// `tieaudit calibrate`: fit the policy to the owner's decisions and write it.
fn calibrate(a: &cli::CalibrateArgs) -> tieaudit::Result<bool> {
    use tieaudit::calibrate;
    let cfg = a.to_config()?;
    let same = |p: &std::path::Path| {
        p.canonicalize()
            .ok()
            .is_some_and(|p| Some(p) == a.out.canonicalize().ok())
    };
    if same(&a.decisions) || a.policy.as_deref().is_some_and(same) || same(&a.export) {
        return Err(tieaudit::Error::Usage(format!(
            "--out {}: that is one of the inputs, which are never changed",
            for_terminal(&a.out.display().to_string())
        )));
    }
    let c = calibrate::from_export(&cfg)?;
    let text = calibrate::policy_file(&c, &a.decisions.display().to_string());
    tieaudit::output::write_file_atomic(&a.out, text.as_bytes())?;
    println!("Calibrated on {} of your decisions.", c.before.decisions);
    println!("  agreement before: {}", c.before.describe());
    println!("  agreement after:  {}", c.after.describe());
    println!(
        "  on decisions the fit did not see (five folds): {:.1}% before, {:.1}% after",
        c.held_out_before.share() * 100.0,
        c.held_out_after.share() * 100.0
    );
    for ch in &c.changes {
        println!("  {}: {} -> {}", ch.field, ch.from, ch.to);
    }
    if c.changes.is_empty() {
        println!("  nothing moved: the policy you started from already fits your decisions best");
    }
    if !c.unsupported.is_empty() {
        println!(
            "  left alone, too few of your decisions carry their signal: {}",
            c.unsupported.join(", ")
        );
    }
    if c.held_out_after.agreed <= c.held_out_before.agreed && !c.changes.is_empty() {
        println!(
            "  note: on decisions it did not see, the fit does no better: decide more people before relying on it"
        );
    }
    println!(
        "Wrote {}: pass it with `tieaudit audit EXPORT --policy {}`.",
        for_terminal(&a.out.display().to_string()),
        for_terminal(&a.out.display().to_string())
    );
    Ok(true)
}

/// Many exports: audit each into its own sub-folder, then the index.
fn batch(exports: &[std::path::PathBuf], cfg: &tieaudit::audit::Config) -> tieaudit::Result<bool> {
    if exports.is_empty() {
        return Err(tieaudit::Error::Usage(
            "no exports found in the given folders".into(),
        ));
    }
    let items = tieaudit::batch::run(exports, cfg)?;
    let failed = items.iter().filter(|i| i.result.is_err()).count();
    for i in &items {
        match &i.result {
            Ok(o) if !cfg.quiet => println!(
                "{}: {} connections; {}",
                for_terminal(&i.export.display().to_string()),
                o.connections,
                o.decisions
                    .iter()
                    .map(|(k, v)| format!("{v} {k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Ok(_) => {}
            Err(e) => eprintln!("tieaudit: {}", for_terminal(&e.to_string())),
        }
    }
    if !cfg.quiet {
        println!(
            "Audited {} of {} exports; index: {}",
            items.len() - failed,
            items.len(),
            for_terminal(&cfg.out.join("index.html").display().to_string())
        );
    }
    if failed == items.len() {
        return Err(tieaudit::Error::Usage(format!(
            "none of the {failed} exports could be audited"
        )));
    }
    Ok(!cfg.strict || failed == 0)
}

#[cfg(all(test, feature = "mimalloc"))]
mod tests {
    /// The option number is the purge delay: it holds mimalloc's documented
    /// default (10 ms) until set, then the value set.
    #[test]
    #[allow(unsafe_code)]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reading an integer from mimalloc's option table.
        let get = || unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 10);
        }
        super::keep_freed_pages();
        assert_eq!(get(), 1000);
    }
}
