//! Output files written atomically: [`AtomicFile`] writes under a temporary name beside the
//! destination and renames into place; the destination may be a symlink (the file it points
//! to is replaced), never a FIFO, device, socket or folder ([`output_target`]). [`cleanup`]
//! removes the temporary files when the process gets SIGINT or SIGTERM.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Removing temporary output files when the process is interrupted (SIGINT, SIGTERM).
///
/// [`AtomicFile`] registers its temporary file here; [`install`] (called by the binary) sets
/// handlers that unlink every registered file, then die of the signal as they would have.
pub mod cleanup {
    use std::ffi::CString;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SLOTS: usize = 16;
    #[allow(clippy::declare_interior_mutable_const)]
    const EMPTY: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    static FILES: [AtomicPtr<libc::c_char>; SLOTS] = [EMPTY; SLOTS];

    extern "C" fn on_signal(sig: libc::c_int) {
        for slot in &FILES {
            let p = slot.swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: p is a NUL-terminated path leaked by `register`; unlink is
                // async-signal-safe. The memory is never freed once taken here.
                unsafe { libc::unlink(p) };
            }
        }
        // SAFETY: restoring the default action and re-raising are async-signal-safe.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Installs the SIGINT and SIGTERM handlers (once per process is enough; again is harmless).
    pub fn install() {
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: a plain sigaction with a handler that only calls async-signal-safe code.
            unsafe {
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut sa.sa_mask);
                libc::sigaction(sig, &sa, std::ptr::null_mut());
            }
        }
    }

    /// Registers `path` for removal on a signal; the slot to give to [`unregister`].
    pub fn register(path: &Path) -> Option<usize> {
        use std::os::unix::ffi::OsStrExt;
        let c = CString::new(path.as_os_str().as_bytes()).ok()?;
        let raw = c.into_raw();
        for (i, slot) in FILES.iter().enumerate() {
            if slot
                .compare_exchange(
                    std::ptr::null_mut(),
                    raw,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                return Some(i);
            }
        }
        // SAFETY: raw came from into_raw above and was stored nowhere.
        drop(unsafe { CString::from_raw(raw) });
        None
    }

    /// Forgets a registered path (renamed into place or removed).
    pub fn unregister(slot: Option<usize>) {
        if let Some(i) = slot {
            let p = FILES[i].swap(std::ptr::null_mut(), Ordering::SeqCst);
            if !p.is_null() {
                // SAFETY: p came from `register`'s into_raw and the handler did not take it.
                drop(unsafe { CString::from_raw(p) });
            }
        }
    }
}

/// Where output for `dest` really goes: `dest` itself, or the file a symlink at `dest` points
/// to (followed through up to 40 links; it may not exist yet). Refuses a folder, a FIFO, a
/// device or a socket, with a message naming `dest`: output is never written over them.
pub fn output_target(dest: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::FileTypeExt;
    let mut p = dest.to_path_buf();
    for _ in 0..40 {
        let m = match std::fs::symlink_metadata(&p) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(p),
            Err(e) => bail!("cannot write {}: {e}", dest.display()),
            Ok(m) => m,
        };
        let t = m.file_type();
        if t.is_symlink() {
            let to = std::fs::read_link(&p)
                .with_context(|| format!("cannot write {}: reading the link", dest.display()))?;
            p = match p.parent() {
                Some(dir) if to.is_relative() => dir.join(to),
                _ => to,
            };
            continue;
        }
        let what = if t.is_file() {
            return Ok(p);
        } else if t.is_dir() {
            "a folder"
        } else if t.is_fifo() {
            "a FIFO (named pipe)"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_char_device() || t.is_block_device() {
            "a device"
        } else {
            "not a regular file"
        };
        let via = if p != dest {
            format!(" (through the link, {})", p.display())
        } else {
            String::new()
        };
        bail!(
            "{} is {what}{via}; refusing to replace it with a file (use -o - for standard output)",
            dest.display()
        );
    }
    bail!(
        "cannot write {}: too many levels of symbolic links",
        dest.display()
    )
}

/// The temporary file beside `dest` that [`AtomicFile`] writes for process `pid`.
pub fn partial_path(dest: &Path, pid: u32) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.partial-{pid}"))
}

/// Temporary files of `dest` left by processes that are gone (killed runs), oldest PID
/// order not guaranteed: sorted by name.
pub fn stale_partials(dest: &Path) -> Vec<PathBuf> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.partial-");
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return vec![];
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            let pid: i32 = n.strip_prefix(&prefix)?.parse().ok()?;
            if pid as u32 == std::process::id() || pid <= 0 {
                return None;
            }
            // SAFETY: kill with signal 0 only checks whether the process exists.
            let alive = unsafe { libc::kill(pid, 0) } == 0
                || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
            (!alive && e.file_type().is_ok_and(|t| t.is_file())).then(|| dir.join(n))
        })
        .collect();
    out.sort();
    out
}

/// A file written under a temporary name and renamed into place by [`AtomicFile::commit`]:
/// readers never see half a file, and a crash leaves the old file (if any) untouched. A
/// symlink at the destination is followed (its target is replaced); a folder, FIFO, device
/// or socket is refused ([`output_target`]). Write errors name the destination. The
/// temporary file is removed on SIGINT/SIGTERM once [`cleanup::install`] ran.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    w: io::BufWriter<std::fs::File>,
    slot: Option<usize>,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<AtomicFile> {
        let target = output_target(dest)?;
        let tmp = partial_path(&target, std::process::id());
        let f = std::fs::File::create(&tmp).with_context(|| {
            format!(
                "cannot write {}: creating {}",
                dest.display(),
                tmp.display()
            )
        })?;
        let slot = cleanup::register(&tmp);
        Ok(AtomicFile {
            tmp,
            dest: target,
            w: io::BufWriter::new(f),
            slot,
        })
    }

    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("writing {}: {e}", self.dest.display()))
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<()> {
        let done = self
            .w
            .flush()
            .and_then(|_| self.w.get_ref().sync_all())
            .map_err(|e| self.named(e))
            .map_err(anyhow::Error::from)
            .and_then(|_| {
                std::fs::rename(&self.tmp, &self.dest)
                    .with_context(|| format!("moving output to {}", self.dest.display()))
            });
        cleanup::unregister(self.slot.take());
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        done
    }

    /// Removes the temporary file (on failure).
    pub fn discard(mut self) {
        cleanup::unregister(self.slot.take());
        let tmp = self.tmp.clone();
        drop(self);
        let _ = std::fs::remove_file(tmp);
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf).map_err(|e| self.named(e))
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf).map_err(|e| self.named(e))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.w.flush().map_err(|e| self.named(e))
    }
}

/// Writes `bytes` to `dest` atomically.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = AtomicFile::create(dest)?;
    if let Err(e) = f.write_all(bytes) {
        f.discard();
        return Err(e.into());
    }
    f.commit()
}
