//! A counting global allocator (registered by the bench binary) for the peak heap of a run, and
//! the maximum resident set size of this process or of a child it runs.
//!
//! It counts only inside [`peak_during`]: elsewhere it is the system allocator plus one relaxed
//! load, so the decoding figures measure what a receiver's allocations cost, not the counting.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

static ON: AtomicBool = AtomicBool::new(false);
/// Bytes allocated minus bytes freed since counting started (negative when older blocks are freed).
static CURRENT: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
/// Whether a peak was ever measured, for [`counting`].
static USED: AtomicBool = AtomicBool::new(false);

/// The system allocator, counting live bytes and their peak while [`peak_during`] runs.
pub struct Counting;

// A global allocator is an unsafe trait; each method only forwards to the system allocator.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grow(new_size - layout.size());
            } else {
                shrink(layout.size() - new_size);
            }
        }
        p
    }
}

fn grow(by: usize) {
    if ON.load(Ordering::Relaxed) {
        let by = by as isize;
        let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrink(by: usize) {
    if ON.load(Ordering::Relaxed) {
        CURRENT.fetch_sub(by as isize, Ordering::Relaxed);
    }
}

/// Whether the counting allocator is in use (it is in the bench binary, not in tests).
pub fn counting() -> bool {
    USED.load(Ordering::Relaxed)
}

/// Runs `f` and returns its result with the peak heap it used above what was live before it.
pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    ON.store(true, Ordering::Relaxed);
    let out = f();
    ON.store(false, Ordering::Relaxed);
    // Only the bench binary registers the allocator; a peak of zero means nothing was counted.
    let peak = PEAK.load(Ordering::Relaxed).max(0) as usize;
    USED.fetch_or(peak > 0, Ordering::Relaxed);
    (out, peak)
}

/// The process's maximum resident set size so far, in bytes (`getrusage`).
#[allow(unsafe_code)] // The one libc call; no crate of the workspace wraps it.
pub fn max_rss() -> usize {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    if rc != 0 {
        return 0;
    }
    // SAFETY: filled by the successful call above. On Linux `ru_maxrss` is in KiB.
    unsafe { usage.assume_init() }.ru_maxrss as usize * 1024
}

/// Runs `command` to completion and returns its exit status with the peak resident set size of
/// that process alone, in bytes (the resource usage `wait4` reports for the child it reaps;
/// `getrusage(RUSAGE_CHILDREN)` would give the largest of every child so far).
#[allow(unsafe_code)] // One libc call, as above: std's `Child::wait` does not return the usage.
pub fn run_with_peak_rss(
    command: &mut std::process::Command,
) -> std::io::Result<(std::process::ExitStatus, usize)> {
    use std::os::unix::process::ExitStatusExt as _;
    let child = command.spawn()?;
    let pid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 writes the status and the usage it is given; `pid` is our own child, not yet
    // reaped (dropping a `Child` neither waits for nor kills it).
    let rc = unsafe { libc::wait4(pid, &mut status, 0, usage.as_mut_ptr()) };
    if rc < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: filled by the successful call above. On Linux `ru_maxrss` is in KiB.
    let usage = unsafe { usage.assume_init() };
    Ok((
        std::process::ExitStatus::from_raw(status),
        usage.ru_maxrss as usize * 1024,
    ))
}
