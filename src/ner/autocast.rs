//! bfloat16 mixed precision for training on the CPU (libtorch's CPU autocast).
//!
//! Inside [`CpuAutocast`]'s scope libtorch runs its matrix products (`linear`, `matmul`,
//! `addmm`, `bmm`, …) in bfloat16 and keeps the rest (layer norm, softmax, losses) in float32;
//! the parameters and AdamW's moments stay float32, so only the products lose precision. On a
//! CPU with AVX512-BF16 or AMX, oneDNN runs those products several times faster than float32.
//! Elsewhere they run too, but slowly, so training uses it only when asked (`--bf16`).
//!
//! tch 0.10 wraps only CUDA's autocast; the CPU switches are libtorch C++ functions
//! (`at::autocast::set_cpu_enabled` and friends, exported by `libtorch_cpu.so`), looked up at
//! run time by their mangled names. The state is per thread: the scope covers the forward pass
//! on the calling thread; the backward pass follows the types the forward pass recorded.

use anyhow::{bail, Result};

struct Fns {
    set_cpu_enabled: extern "C" fn(bool),
    is_cpu_enabled: extern "C" fn() -> bool,
    set_cpu_dtype: extern "C" fn(i8),
    increment_nesting: extern "C" fn() -> i64,
    decrement_nesting: extern "C" fn() -> i64,
    clear_cache: extern "C" fn(),
}

/// c10::ScalarType::BFloat16.
const BFLOAT16: i8 = 15;

fn fns() -> Option<&'static Fns> {
    static F: std::sync::OnceLock<Option<Fns>> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let sym = |name: &std::ffi::CStr| {
            // SAFETY: dlsym with a NUL-terminated name on the process's global namespace.
            let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
            (!p.is_null()).then_some(p)
        };
        let set = sym(c"_ZN2at8autocast15set_cpu_enabledEb")?;
        let is = sym(c"_ZN2at8autocast14is_cpu_enabledEv")?;
        let dtype = sym(c"_ZN2at8autocast22set_autocast_cpu_dtypeEN3c1010ScalarTypeE")?;
        let inc = sym(c"_ZN2at8autocast17increment_nestingEv")?;
        let dec = sym(c"_ZN2at8autocast17decrement_nestingEv")?;
        let clear = sym(c"_ZN2at8autocast11clear_cacheEv")?;
        // SAFETY: the symbols are these C++ functions of libtorch 1.13 (`ATen/autocast_mode.h`):
        // `void(bool)`, `bool()`, `void(c10::ScalarType)` (an `int8_t` enum), `int64_t()`,
        // `int64_t()`, `void()`; with the x86-64 System V ABI they are called like C.
        unsafe {
            Some(Fns {
                set_cpu_enabled: std::mem::transmute::<*mut libc::c_void, extern "C" fn(bool)>(set),
                is_cpu_enabled: std::mem::transmute::<*mut libc::c_void, extern "C" fn() -> bool>(
                    is,
                ),
                set_cpu_dtype: std::mem::transmute::<*mut libc::c_void, extern "C" fn(i8)>(dtype),
                increment_nesting: std::mem::transmute::<*mut libc::c_void, extern "C" fn() -> i64>(
                    inc,
                ),
                decrement_nesting: std::mem::transmute::<*mut libc::c_void, extern "C" fn() -> i64>(
                    dec,
                ),
                clear_cache: std::mem::transmute::<*mut libc::c_void, extern "C" fn()>(clear),
            })
        }
    })
    .as_ref()
}

/// Whether this libtorch has CPU autocast.
pub fn available() -> bool {
    fns().is_some()
}

/// An error unless bfloat16 training can run here: CPU autocast exists and libtorch's
/// bfloat16 products work ([`super::bf16_works`]; they fail with oneDNN capped below AVX512,
/// `DNNL_MAX_CPU_ISA=AVX2`, on a CPU with AVX512-BF16).
pub fn check_bf16() -> Result<()> {
    if !available() {
        bail!("--bf16: this libtorch has no CPU autocast (at::autocast::set_cpu_enabled); train in float32");
    }
    if !super::bf16_works() {
        bail!(
            "--bf16: libtorch's bfloat16 products fail on this CPU with these kernel settings \
             (DNNL_MAX_CPU_ISA, ATEN_CPU_CAPABILITY); train in float32"
        );
    }
    Ok(())
}

/// bfloat16 autocast on the CPU while it lives (on this thread); dropping it restores the
/// previous state and, at the outermost scope, clears the cache of cast weights (they change
/// at every optimizer step).
pub struct CpuAutocast {
    prev: bool,
}

impl CpuAutocast {
    pub fn new() -> Result<CpuAutocast> {
        let Some(f) = fns() else {
            bail!("this libtorch has no CPU autocast (at::autocast::set_cpu_enabled)");
        };
        let prev = (f.is_cpu_enabled)();
        (f.set_cpu_dtype)(BFLOAT16);
        (f.set_cpu_enabled)(true);
        (f.increment_nesting)();
        Ok(CpuAutocast { prev })
    }
}

impl Drop for CpuAutocast {
    fn drop(&mut self) {
        let f = fns().expect("checked in new");
        if (f.decrement_nesting)() == 0 {
            (f.clear_cache)();
        }
        (f.set_cpu_enabled)(self.prev);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Kind, Tensor};

    #[test]
    fn products_run_in_bfloat16_inside_the_scope_only() {
        let a = Tensor::randn(&[4, 8], (Kind::Float, tch::Device::Cpu));
        let w = Tensor::randn(&[3, 8], (Kind::Float, tch::Device::Cpu));
        let exact = a.matmul(&w.tr());
        let mixed = {
            let _g = CpuAutocast::new().expect("libtorch 1.13 has CPU autocast");
            a.matmul(&w.tr())
        };
        assert_eq!(mixed.kind(), Kind::BFloat16);
        let diff = f64::from((mixed.to_kind(Kind::Float) - &exact).abs().max());
        assert!(diff < 0.2, "bfloat16 product off by {diff}");
        assert_eq!(a.matmul(&w.tr()).kind(), Kind::Float);
    }
}
