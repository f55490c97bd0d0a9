//! The `whosaid` command: parse the arguments, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        // The reader went away (`whosaid export out.jsonl | head -1`): nothing more to say.
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("whosaid: error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// `print!` panics when stdout is a pipe whose reader has closed it; that is how a pipeline
/// ends, not an error, so the process ends quietly with exit status 0 instead.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
