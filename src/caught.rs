//! Panics of other crates' code that migsim turns into errors. The
//! spreadsheet writer starts a thread per sheet and panics when the
//! process may start no more (a limit on processes, as some job schedulers
//! set); migsim catches that and stops with a one-line error instead.
//!
//! The default panic hook would still print the panic and its backtrace;
//! `install_hook` (called by `main`) keeps it quiet for panics caught here,
//! and leaves every other panic, which would be a bug, as loud as ever.

use std::cell::Cell;

thread_local! {
    /// Whether this thread is inside `catching`.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Wraps the default panic hook so that it prints nothing for a panic that
/// `catching` will turn into an error.
pub fn install_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CATCHING.with(Cell::get) {
            default(info);
        }
    }));
}

/// `f`'s value, or the message of its panic.
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let outer = CATCHING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(outer));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_is_its_message_and_a_value_passes_through() {
        assert_eq!(catching(|| 7), Ok(7));
        assert_eq!(catching(|| -> () { panic!("no thread") }), Err("no thread".to_string()));
        let n = 3;
        assert_eq!(
            catching(|| -> () { panic!("{n} threads") }),
            Err("3 threads".to_string())
        );
    }
}
