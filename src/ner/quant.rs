//! int8 linear layers for inference: weights quantized per output channel at load time,
//! activations quantized per row (per token) at run time, integer products through oneDNN.
//!
//! Why not libtorch's own int8 routines: Debian's libtorch 1.13 is built without FBGEMM
//! (`fbgemm_linear_quantize_weight` fails with "not compiled with FBGEMM"; the build flags name
//! only QNNPACK and XNNPACK), and the `quantized::linear_dynamic` operator is not reachable from
//! tch 0.10. The oneDNN library libtorch links (`libdnnl.so.2`) exports a plain C GEMM,
//! `dnnl_gemm_u8s8s32` (unsigned 8-bit × signed 8-bit → 32-bit), which picks its kernel for the
//! CPU it runs on (AVX2 `vpmaddubsw`, AVX512, AVX512-VNNI, AMX) and honours
//! `DNNL_MAX_CPU_ISA` / `ONEDNN_MAX_CPU_ISA`. It is looked up at run time (`dlsym`), so
//! whosaid still links against a libtorch without it; int8 then runs on a portable Rust loop
//! (correct, slow) and `--precision auto` does not pick it.
//!
//! The number format:
//! - weights: symmetric, per output channel, **7 bits** (−63..63). With unsigned 8-bit
//!   activations (0..255) a pair of products sums to at most 2·255·63 = 32,130, below the
//!   16-bit saturation of AVX2's `vpmaddubsw`, so the integer results are exact on every
//!   instruction set: int8 output is the same bit for bit on AVX2, AVX512 and VNNI machines.
//! - activations: asymmetric per row (token), 8 bits: `x ≈ s·(q − z)`, `q` in 0..255, the row's
//!   range always including 0.
//! - `y[i,j] = s_i · w_j · (C[i,j] − z_i · Σ_k W[j,k]) + b[j]`, where `C = Q·Wᵀ` in int32.
//! - outlier input channels ([`outlier_channels`]: a channel whose largest weight is more than
//!   [`OUTLIER_RATIO`] times the median channel's) stay in float32, outside both the int8
//!   weights and the rows' activation ranges, and are added in one fixed order of plain float
//!   operations, so the layer's output is still the same on every instruction set. On the
//!   joint model this lifts CoNLL-2003 testa F1 at int8 from 93.88 to 93.93 and testb from
//!   89.22 to 89.32 (float32: 89.33).

use std::os::raw::{c_char, c_int};
use std::sync::OnceLock;

use tch::{Kind, Tensor};

/// Largest weight magnitude after quantization (7 bits, see the module doc).
pub const WEIGHT_MAX: f32 = 63.0;

type GemmU8S8S32 = unsafe extern "C" fn(
    transa: c_char,
    transb: c_char,
    offsetc: c_char,
    m: i64,
    n: i64,
    k: i64,
    alpha: f32,
    a: *const u8,
    lda: i64,
    ao: u8,
    b: *const i8,
    ldb: i64,
    bo: i8,
    beta: f32,
    c: *mut i32,
    ldc: i64,
    co: *const i32,
) -> c_int;

type OmpSetNumThreads = unsafe extern "C" fn(c_int);

struct Dnnl {
    gemm: GemmU8S8S32,
}

fn sym(name: &std::ffi::CStr) -> *mut libc::c_void {
    // SAFETY: dlsym with a NUL-terminated name on the global namespace of the process.
    unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) }
}

fn dnnl() -> Option<&'static Dnnl> {
    static D: OnceLock<Option<Dnnl>> = OnceLock::new();
    D.get_or_init(|| {
        if std::env::var("WHOSAID_NO_DNNL").is_ok_and(|v| v == "1") {
            return None;
        }
        let g = sym(c"dnnl_gemm_u8s8s32");
        if g.is_null() {
            return None;
        }
        // SAFETY: the symbol has this C signature (oneDNN 2.x `dnnl.h`).
        unsafe {
            Some(Dnnl {
                gemm: std::mem::transmute::<*mut libc::c_void, GemmU8S8S32>(g),
            })
        }
    })
    .as_ref()
}

/// Whether the fast int8 products (oneDNN) are available in this process.
pub fn fast_int8_available() -> bool {
    dnnl().is_some()
}

/// Whether oneDNN's int8 product works here: a small product (37×29×96, sizes that take
/// the kernels' edge paths) through `dnnl_gemm_u8s8s32` returns success and equals the portable
/// loop's. Caps the instruction set first ([`cap_isa_for_int8`]: oneDNN takes it only before
/// its first product). Computed once per process.
pub fn fast_int8_works() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(|| {
        let Some(d) = dnnl() else { return false };
        cap_isa_for_int8();
        let (m, n, k) = (37usize, 29usize, 96usize);
        let a: Vec<u8> = (0..m * k).map(|i| (i * 37 % 256) as u8).collect();
        let b: Vec<i8> = (0..n * k)
            .map(|i| ((i * 11 % 127) as i32 - 63) as i8)
            .collect();
        let mut c = vec![0i32; m * n];
        let mut want = vec![0i32; m * n];
        gemm_u8s8_portable(&a, &b, m, n, k, &mut want);
        dnnl_gemm(d, &a, &b, m, n, k, &mut c) == 0 && c == want
    })
}

/// The instruction set oneDNN uses here (e.g. "avx2", "avx512_core_vnni"), when known.
pub fn dnnl_isa() -> Option<String> {
    let f = sym(c"dnnl_get_effective_cpu_isa");
    if f.is_null() || dnnl().is_none() {
        return None;
    }
    // SAFETY: `dnnl_cpu_isa_t dnnl_get_effective_cpu_isa(void)`; the enum is an int.
    let isa = unsafe { std::mem::transmute::<*mut libc::c_void, extern "C" fn() -> c_int>(f)() };
    // Values of dnnl_cpu_isa_t in oneDNN 2.x.
    Some(
        match isa {
            0x0 => "all",
            0x1 => "sse41",
            0x3 => "avx",
            0x7 => "avx2",
            0xf => "avx512_mic",
            0x1f => "avx512_mic_4ops",
            0x27 => "avx512_core",
            0x67 => "avx512_core_vnni",
            0xe7 => "avx512_core_bf16",
            0x3e7 => "avx512_core_amx",
            0x407 => "avx2_vnni",
            _ => return Some(format!("isa {isa:#x}")),
        }
        .to_string(),
    )
}

/// Keeps oneDNN's integer products off AMX (measured on a Xeon with AMX under KVM: the AMX path
/// of `dnnl_gemm_u8s8s32` ran 1,600×384×1,536 at 117 GOP/s, the AVX512-VNNI path at 724), unless
/// `DNNL_MAX_CPU_ISA` / `ONEDNN_MAX_CPU_ISA` already says. oneDNN takes this only before its
/// first use in the process, so it is called when an int8 model loads (the bfloat16 path, which
/// wants AMX-BF16, never calls it).
pub fn cap_isa_for_int8() {
    if std::env::var_os("DNNL_MAX_CPU_ISA").is_some()
        || std::env::var_os("ONEDNN_MAX_CPU_ISA").is_some()
    {
        return;
    }
    let f = sym(c"dnnl_set_max_cpu_isa");
    if f.is_null() || dnnl().is_none() {
        return;
    }
    // SAFETY: `dnnl_status_t dnnl_set_max_cpu_isa(dnnl_cpu_isa_t)`; 0x67 = avx512_core_vnni
    // (a cap: a CPU without it gets its best ISA below). A failure (called too late) is harmless.
    unsafe {
        let set = std::mem::transmute::<*mut libc::c_void, extern "C" fn(c_int) -> c_int>(f);
        let _ = set(0x67);
    }
}

/// Sets the OpenMP threads oneDNN uses for products started from the calling thread (the int8
/// products here and libtorch's bfloat16 ones; OpenMP keeps this setting per thread).
pub fn set_thread_count(n: usize) {
    static OMP: OnceLock<Option<OmpSetNumThreads>> = OnceLock::new();
    let f = OMP.get_or_init(|| {
        let o = sym(c"omp_set_num_threads");
        // SAFETY: the symbol has the C signature `void omp_set_num_threads(int)`.
        (!o.is_null())
            .then(|| unsafe { std::mem::transmute::<*mut libc::c_void, OmpSetNumThreads>(o) })
    });
    if let Some(f) = f {
        // SAFETY: `void omp_set_num_threads(int)`.
        unsafe { f(n.max(1) as c_int) }
    }
}

/// While alive, the calling thread's OpenMP pool has one thread; dropping it gives back the
/// count it had before (`omp_get_max_threads`, what `tch::get_num_threads` reads).
pub struct OmpThreads(i32);

impl OmpThreads {
    pub fn one() -> Self {
        let before = tch::get_num_threads();
        set_thread_count(1);
        OmpThreads(before)
    }
}

impl Drop for OmpThreads {
    fn drop(&mut self) {
        if self.0 > 1 {
            set_thread_count(self.0 as usize);
        }
    }
}

/// A linear layer `y = x·Wᵀ + b` with int8 weights.
pub struct QLinear {
    /// `[n, k]` row-major, −63..63.
    w: Vec<i8>,
    /// Per output channel: weight scale.
    w_scale: Vec<f32>,
    /// Per output channel: Σ_k w[j, k] (for the activation zero points).
    w_sum: Vec<i32>,
    bias: Vec<f32>,
    /// Input channels kept in float32 ([`OUTLIER_RATIO`]), ascending; their int8 weights are 0.
    outliers: Vec<usize>,
    /// `[n, outliers.len()]` row-major: the float weights of those channels.
    w_outliers: Vec<f32>,
    pub n: usize,
    pub k: usize,
}

/// An input channel whose largest weight magnitude is more than this many times the median
/// channel's is an outlier: kept in float32 beside the int8 product (as LLM.int8() keeps outlier
/// features), so that the rows it crosses keep a fine weight scale. MiniLM's FFN output
/// projections have a few such channels (the first layer's largest weight is 55 times the
/// median channel's largest); without them each of those rows would have its other weights
/// rounded to a handful of levels.
pub const OUTLIER_RATIO: f32 = 8.0;

/// At most this many outlier channels per layer.
pub const MAX_OUTLIERS: usize = 8;

/// The outlier input channels of `w` (`[n, k]`, row-major), ascending.
pub fn outlier_channels(w: &[f32], n: usize, k: usize) -> Vec<usize> {
    if n == 0 || k < 2 {
        return Vec::new();
    }
    let mut colmax = vec![0f32; k];
    for row in w.chunks_exact(k) {
        for (m, &v) in colmax.iter_mut().zip(row) {
            *m = m.max(v.abs());
        }
    }
    let mut sorted = colmax.clone();
    sorted.sort_by(f32::total_cmp);
    let median = sorted[k / 2];
    if median <= 0.0 {
        return Vec::new();
    }
    let mut out: Vec<usize> = (0..k)
        .filter(|&j| colmax[j] > OUTLIER_RATIO * median)
        .collect();
    out.sort_by(|&a, &b| colmax[b].total_cmp(&colmax[a]).then(a.cmp(&b)));
    out.truncate(MAX_OUTLIERS);
    out.sort_unstable();
    out
}

impl QLinear {
    /// Quantizes a float linear layer: `weight` `[n, k]`, `bias` `[n]` (any float kind).
    pub fn new(weight: &Tensor, bias: Option<&Tensor>) -> QLinear {
        let size = weight.size();
        let (n, k) = (size[0] as usize, size[1] as usize);
        let w32: Vec<f32> = Vec::<f32>::from(weight.to_kind(Kind::Float).contiguous().view(-1));
        let bias: Vec<f32> = match bias {
            Some(b) => Vec::<f32>::from(b.to_kind(Kind::Float).contiguous().view(-1)),
            None => vec![0.0; n],
        };
        Self::from_f32(&w32, &bias, n, k)
    }

    /// Quantizes `w` (`[n, k]` row-major) and keeps `bias` (`[n]`).
    pub fn from_f32(w: &[f32], bias: &[f32], n: usize, k: usize) -> QLinear {
        assert_eq!(w.len(), n * k);
        assert_eq!(bias.len(), n);
        let outliers = outlier_channels(w, n, k);
        let mut w_outliers = Vec::with_capacity(n * outliers.len());
        let mut inner = std::borrow::Cow::Borrowed(w);
        if !outliers.is_empty() {
            let wm = inner.to_mut();
            for row in wm.chunks_exact_mut(k) {
                for &c in &outliers {
                    w_outliers.push(row[c]);
                    row[c] = 0.0;
                }
            }
        }
        let w = &inner[..];
        let mut q = vec![0i8; n * k];
        let mut w_scale = vec![0f32; n];
        let mut w_sum = vec![0i32; n];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2.
            unsafe { quantize_weights_avx2(w, k, &mut q, &mut w_scale, &mut w_sum) };
        } else {
            quantize_weights(w, k, &mut q, &mut w_scale, &mut w_sum);
        }
        #[cfg(not(target_arch = "x86_64"))]
        quantize_weights(w, k, &mut q, &mut w_scale, &mut w_sum);
        QLinear {
            w: q,
            w_scale,
            w_sum,
            bias: bias.to_vec(),
            outliers,
            w_outliers,
            n,
            k,
        }
    }

    /// The input channels this layer keeps in float32.
    pub fn outliers(&self) -> &[usize] {
        &self.outliers
    }

    /// Bytes held by the layer.
    pub fn bytes(&self) -> usize {
        self.w.len()
            + 4 * (self.w_scale.len()
                + self.w_sum.len()
                + self.bias.len()
                + self.w_outliers.len()
                + self.outliers.len())
    }

    /// `out = x·Wᵀ + b (+ residual)` for `m` rows: `x` is `[m, k]`, `out` and `residual`
    /// `[m, n]`, all row-major.
    pub fn forward(&self, x: &[f32], m: usize, residual: Option<&[f32]>, out: &mut [f32]) {
        let (n, k) = (self.n, self.k);
        assert_eq!(x.len(), m * k);
        assert_eq!(out.len(), m * n);
        if let Some(r) = residual {
            assert_eq!(r.len(), m * n);
        }
        if m == 0 {
            return;
        }
        // Scratch buffers kept per thread: fresh multi-megabyte buffers would be fresh pages
        // (page faults) on every call.
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Vec<u8>, Vec<i32>)> =
                const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let (q, c) = &mut *guard;
            q.resize(m * k, 0);
            c.resize(m * n, 0);
            let mut scale = vec![0f32; m];
            let mut zero = vec![0i32; m];
            if self.outliers.is_empty() {
                quantize_rows(x, k, &mut q[..m * k], &mut scale, &mut zero);
            } else {
                // The outlier channels leave the rows' quantization ranges too: each row is
                // staged without them (one row at a time, so the copy stays in cache).
                let mut row = vec![0f32; k];
                for i in 0..m {
                    row.copy_from_slice(&x[i * k..(i + 1) * k]);
                    for &j in &self.outliers {
                        row[j] = 0.0;
                    }
                    quantize_rows(
                        &row,
                        k,
                        &mut q[i * k..(i + 1) * k],
                        &mut scale[i..i + 1],
                        &mut zero[i..i + 1],
                    );
                }
            }
            gemm_u8s8(&q[..m * k], &self.w, m, n, k, &mut c[..m * n]);
            dequantize(self, &c[..m * n], m, &scale, &zero, residual, out);
        });
        self.add_outliers(x, m, out);
    }

    /// `out += x[:, outliers] · W[:, outliers]ᵀ` in float32, in one fixed order (plain
    /// multiplications and additions, no fused ones), so the same bits on every CPU.
    fn add_outliers(&self, x: &[f32], m: usize, out: &mut [f32]) {
        let (n, k, c) = (self.n, self.k, self.outliers.len());
        if c == 0 {
            return;
        }
        for (xr, or) in x.chunks_exact(k).zip(out.chunks_exact_mut(n)).take(m) {
            for (o, wr) in or.iter_mut().zip(self.w_outliers.chunks_exact(c)) {
                let mut acc = 0f32;
                for (&j, b) in self.outliers.iter().zip(wr) {
                    acc += xr[j] * b;
                }
                *o += acc;
            }
        }
    }

    /// [`QLinear::forward`] on tensors: `x` `[.., k]` float → `[.., n]` float.
    pub fn forward_t(&self, x: &Tensor, residual: Option<&Tensor>) -> Tensor {
        let x = x.to_kind(Kind::Float).contiguous();
        let mut shape = x.size();
        let m = x.numel() / self.k.max(1);
        *shape.last_mut().expect("a tensor with dimensions") = self.n as i64;
        let out = Tensor::empty(&shape, (Kind::Float, tch::Device::Cpu));
        let res = residual.map(|r| r.to_kind(Kind::Float).contiguous());
        // SAFETY: both tensors are contiguous float32 on the CPU with the sizes checked in
        // `forward`; `out` is freshly allocated and not aliased.
        unsafe {
            let xs = std::slice::from_raw_parts(x.data_ptr() as *const f32, m * self.k);
            let os = std::slice::from_raw_parts_mut(out.data_ptr() as *mut f32, m * self.n);
            let rs = res
                .as_ref()
                .map(|r| std::slice::from_raw_parts(r.data_ptr() as *const f32, m * self.n));
            self.forward(xs, m, rs, os);
        }
        out
    }
}

/// The same code compiled for AVX2 (rounding instructions instead of calls into libm).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn quantize_weights_avx2(
    w: &[f32],
    k: usize,
    q: &mut [i8],
    scale: &mut [f32],
    sum: &mut [i32],
) {
    quantize_weights(w, k, q, scale, sum)
}

/// Per output channel (row of `w`): `scale = max |w| / 63`, `q = round(w / scale)`, `sum = Σ q`.
#[inline(always)]
fn quantize_weights(w: &[f32], k: usize, q: &mut [i8], scale: &mut [f32], sum: &mut [i32]) {
    for (j, (row, qr)) in w.chunks_exact(k).zip(q.chunks_exact_mut(k)).enumerate() {
        let max = row.iter().fold(0f32, |m, &v| m.max(v.abs()));
        let s = if max > 0.0 { max / WEIGHT_MAX } else { 1.0 };
        scale[j] = s;
        let mut total = 0i32;
        for (o, &v) in qr.iter_mut().zip(row) {
            let x = (v / s).round_ties_even().clamp(-WEIGHT_MAX, WEIGHT_MAX) as i32;
            *o = x as i8;
            total += x;
        }
        sum[j] = total;
    }
}

/// `c[m, n] = a[m, k] · b[n, k]ᵀ` in exact integer arithmetic.
pub fn gemm_u8s8(a: &[u8], b: &[i8], m: usize, n: usize, k: usize, c: &mut [i32]) {
    match dnnl() {
        Some(d) => {
            let st = dnnl_gemm(d, a, b, m, n, k, c);
            assert_eq!(st, 0, "dnnl_gemm_u8s8s32 failed with status {st}");
        }
        None => gemm_u8s8_portable(a, b, m, n, k, c),
    }
}

/// `dnnl_gemm_u8s8s32` for `c[m, n] = a[m, k] · b[n, k]ᵀ` (row-major, no offsets); its status.
fn dnnl_gemm(d: &Dnnl, a: &[u8], b: &[i8], m: usize, n: usize, k: usize, c: &mut [i32]) -> i32 {
    assert!(a.len() >= m * k && b.len() >= n * k && c.len() >= m * n);
    let zero = 0i32;
    // SAFETY: row-major buffers at least as large as the sizes given (asserted above).
    unsafe {
        (d.gemm)(
            b'N' as c_char,
            b'T' as c_char,
            b'F' as c_char,
            m as i64,
            n as i64,
            k as i64,
            1.0,
            a.as_ptr(),
            k as i64,
            0,
            b.as_ptr(),
            k as i64,
            0,
            0.0,
            c.as_mut_ptr(),
            n as i64,
            &zero,
        )
    }
}

/// The same product in plain Rust (no oneDNN).
pub fn gemm_u8s8_portable(a: &[u8], b: &[i8], m: usize, n: usize, k: usize, c: &mut [i32]) {
    for i in 0..m {
        let ar = &a[i * k..(i + 1) * k];
        for j in 0..n {
            let br = &b[j * k..(j + 1) * k];
            c[i * n + j] = ar.iter().zip(br).map(|(&x, &y)| x as i32 * y as i32).sum();
        }
    }
}

/// Per row: `scale`, `zero` and `q = round(x / scale) + zero` in 0..255, the range including 0.
pub fn quantize_rows(x: &[f32], k: usize, q: &mut [u8], scale: &mut [f32], zero: &mut [i32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        unsafe { quantize_rows_avx2(x, k, q, scale, zero) };
        return;
    }
    quantize_rows_portable(x, k, q, scale, zero)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn quantize_rows_avx2(
    x: &[f32],
    k: usize,
    q: &mut [u8],
    scale: &mut [f32],
    zero: &mut [i32],
) {
    use std::arch::x86_64::*;
    for (i, (row, qr)) in x.chunks_exact(k).zip(q.chunks_exact_mut(k)).enumerate() {
        let mut vlo = _mm256_setzero_ps();
        let mut vhi = _mm256_setzero_ps();
        let mut it = row.chunks_exact(8);
        for c in &mut it {
            let v = _mm256_loadu_ps(c.as_ptr());
            vlo = _mm256_min_ps(vlo, v);
            vhi = _mm256_max_ps(vhi, v);
        }
        let mut lo = [0f32; 8];
        let mut hi = [0f32; 8];
        _mm256_storeu_ps(lo.as_mut_ptr(), vlo);
        _mm256_storeu_ps(hi.as_mut_ptr(), vhi);
        let (mut mn, mut mx) = (0f32, 0f32);
        for l in 0..8 {
            mn = if lo[l] < mn { lo[l] } else { mn };
            mx = if hi[l] > mx { hi[l] } else { mx };
        }
        for &v in it.remainder() {
            mn = if v < mn { v } else { mn };
            mx = if v > mx { v } else { mx };
        }
        let (s, z) = row_params(mn, mx);
        let inv = 1.0 / s;
        let (vinv, vz) = (_mm256_set1_ps(inv), _mm256_set1_ps(z));
        let (v0, v255) = (_mm256_setzero_ps(), _mm256_set1_ps(255.0));
        let perm = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
        let mut j = 0;
        while j + 32 <= k {
            let p = row.as_ptr().add(j);
            // Clamping before rounding equals rounding before clamping: the bounds are integers.
            let f = |o: usize| {
                let y = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(p.add(o)), vinv), vz);
                _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(y, v0), v255))
            };
            let a = _mm256_packs_epi32(f(0), f(8));
            let b = _mm256_packs_epi32(f(16), f(24));
            let bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(a, b), perm);
            _mm256_storeu_si256(qr.as_mut_ptr().add(j) as *mut __m256i, bytes);
            j += 32;
        }
        for (o, &v) in qr[j..].iter_mut().zip(&row[j..]) {
            *o = (v * inv + z).round_ties_even().clamp(0.0, 255.0) as u8;
        }
        scale[i] = s;
        zero[i] = z as i32;
    }
}

/// Scale and zero point of a row with minimum `mn <= 0` and maximum `mx >= 0`.
#[inline(always)]
fn row_params(mn: f32, mx: f32) -> (f32, f32) {
    let s = if mx > mn { (mx - mn) / 255.0 } else { 1.0 };
    let z = (-mn / s).round_ties_even().clamp(0.0, 255.0);
    (s, z)
}

/// [`quantize_rows`] without SIMD (the same results).
pub fn quantize_rows_portable(
    x: &[f32],
    k: usize,
    q: &mut [u8],
    scale: &mut [f32],
    zero: &mut [i32],
) {
    for (i, (row, qr)) in x.chunks_exact(k).zip(q.chunks_exact_mut(k)).enumerate() {
        // Min and max in 8 lanes (vectorizes; same result as a scalar pass).
        let mut lo = [0f32; 8];
        let mut hi = [0f32; 8];
        let mut it = row.chunks_exact(8);
        for c in &mut it {
            for l in 0..8 {
                lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
                hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
            }
        }
        let (mut mn, mut mx) = (0f32, 0f32);
        for l in 0..8 {
            mn = if lo[l] < mn { lo[l] } else { mn };
            mx = if hi[l] > mx { hi[l] } else { mx };
        }
        for &v in it.remainder() {
            mn = if v < mn { v } else { mn };
            mx = if v > mx { v } else { mx };
        }
        let (s, z) = row_params(mn, mx);
        let inv = 1.0 / s;
        for (o, &v) in qr.iter_mut().zip(row) {
            *o = (v * inv + z).round_ties_even().clamp(0.0, 255.0) as u8;
        }
        scale[i] = s;
        zero[i] = z as i32;
    }
}

fn dequantize(
    l: &QLinear,
    c: &[i32],
    m: usize,
    scale: &[f32],
    zero: &[i32],
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2.
        unsafe { dequantize_avx2(l, c, m, scale, zero, residual, out) };
        return;
    }
    dequantize_body(l, c, m, scale, zero, residual, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dequantize_avx2(
    l: &QLinear,
    c: &[i32],
    m: usize,
    scale: &[f32],
    zero: &[i32],
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    dequantize_body(l, c, m, scale, zero, residual, out)
}

#[inline(always)]
fn dequantize_body(
    l: &QLinear,
    c: &[i32],
    m: usize,
    scale: &[f32],
    zero: &[i32],
    residual: Option<&[f32]>,
    out: &mut [f32],
) {
    let n = l.n;
    let mut ws = vec![0f32; n];
    for i in 0..m {
        let (s, z) = (scale[i], zero[i]);
        for (w, &x) in ws.iter_mut().zip(&l.w_scale) {
            *w = s * x;
        }
        let cr = &c[i * n..(i + 1) * n];
        let or = &mut out[i * n..(i + 1) * n];
        match residual {
            Some(r) => {
                let rr = &r[i * n..(i + 1) * n];
                for j in 0..n {
                    or[j] = (cr[j] - z * l.w_sum[j]) as f32 * ws[j] + l.bias[j] + rr[j];
                }
            }
            None => {
                for j in 0..n {
                    or[j] = (cr[j] - z * l.w_sum[j]) as f32 * ws[j] + l.bias[j];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> f32 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((*seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
    }

    #[test]
    fn integer_products_match_the_portable_loop_exactly() {
        let (m, n, k) = (37, 29, 96);
        let mut s = 7;
        let a: Vec<u8> = (0..m * k)
            .map(|_| ((lcg(&mut s) + 0.5) * 255.0) as u8)
            .collect();
        let b: Vec<i8> = (0..n * k).map(|_| (lcg(&mut s) * 126.0) as i8).collect();
        let mut c1 = vec![0; m * n];
        let mut c2 = vec![0; m * n];
        gemm_u8s8(&a, &b, m, n, k, &mut c1);
        gemm_u8s8_portable(&a, &b, m, n, k, &mut c2);
        assert_eq!(c1, c2);
    }

    #[test]
    fn simd_quantization_equals_the_portable_one() {
        for k in [5, 32, 100, 384] {
            let m = 9;
            let mut s = k as u64;
            let mut x: Vec<f32> = (0..m * k).map(|_| lcg(&mut s) * 7.0).collect();
            // A row of positives and a row of zeros: the range still includes 0.
            x[..k].iter_mut().for_each(|v| *v = v.abs() + 0.1);
            x[k..2 * k].iter_mut().for_each(|v| *v = 0.0);
            let (mut q1, mut q2) = (vec![0u8; m * k], vec![0u8; m * k]);
            let (mut s1, mut s2) = (vec![0f32; m], vec![0f32; m]);
            let (mut z1, mut z2) = (vec![0i32; m], vec![0i32; m]);
            quantize_rows(&x, k, &mut q1, &mut s1, &mut z1);
            quantize_rows_portable(&x, k, &mut q2, &mut s2, &mut z2);
            assert_eq!((q1, s1, z1.clone()), (q2, s2, z2));
            assert_eq!(z1[0], 0);
        }
    }

    #[test]
    fn int8_linear_is_close_to_float() {
        let (m, n, k) = (20, 48, 64);
        let mut s = 11;
        let x: Vec<f32> = (0..m * k).map(|_| lcg(&mut s) * 4.0).collect();
        let w: Vec<f32> = (0..n * k).map(|_| lcg(&mut s) * 0.2).collect();
        let b: Vec<f32> = (0..n).map(|_| lcg(&mut s)).collect();
        let r: Vec<f32> = (0..m * n).map(|_| lcg(&mut s)).collect();
        let l = QLinear::from_f32(&w, &b, n, k);
        let mut y = vec![0f32; m * n];
        l.forward(&x, m, Some(&r), &mut y);
        let mut max_err = 0f32;
        let mut max_ref = 0f32;
        for i in 0..m {
            for j in 0..n {
                let mut e = b[j] + r[i * n + j];
                for t in 0..k {
                    e += x[i * k + t] * w[j * k + t];
                }
                max_err = max_err.max((e - y[i * n + j]).abs());
                max_ref = max_ref.max(e.abs());
            }
        }
        assert!(max_err < 0.02 * max_ref, "error {max_err} of {max_ref}");
        assert!(l.outliers().is_empty());
        // Zero points: a row of one value quantizes exactly.
        let mut q = vec![0u8; 4];
        let (mut sc, mut z) = (vec![0f32; 1], vec![0i32; 1]);
        quantize_rows(&[-1.0, 0.0, 1.0, 0.5], 4, &mut q, &mut sc, &mut z);
        assert_eq!(q[0], 0);
        assert!(q[2] >= 254, "{q:?}");
        assert_eq!(q[1] as i32, z[0]);
    }

    /// A weight channel 50 times larger than the rest is kept in float32: the output is far
    /// closer to the float product than when that channel sets the scale of every row it
    /// crosses.
    #[test]
    fn an_outlier_channel_is_kept_in_float() {
        let (m, n, k) = (16, 32, 128);
        let mut s = 5;
        let mut x: Vec<f32> = (0..m * k).map(|_| lcg(&mut s) * 2.0).collect();
        let mut w: Vec<f32> = (0..n * k).map(|_| lcg(&mut s) * 0.2).collect();
        let b = vec![0f32; n];
        for i in 0..n {
            w[i * k + 17] = 5.0 * if i % 2 == 0 { 1.0 } else { -1.0 };
        }
        for i in 0..m {
            x[i * k + 17] = 0.01 * i as f32;
        }
        assert_eq!(outlier_channels(&w, n, k), vec![17]);
        let err = |l: &QLinear| {
            let mut y = vec![0f32; m * n];
            l.forward(&x, m, None, &mut y);
            let mut worst = 0f32;
            for i in 0..m {
                for j in 0..n {
                    let e: f32 = (0..k).map(|t| x[i * k + t] * w[j * k + t]).sum();
                    worst = worst.max((e - y[i * n + j]).abs());
                }
            }
            worst
        };
        let kept = QLinear::from_f32(&w, &b, n, k);
        assert_eq!(kept.outliers(), &[17]);
        // The same weights all in int8 (the rows' scale set by the 5.0s).
        let coarse = {
            let mut q = vec![0i8; n * k];
            let (mut sc, mut sum) = (vec![0f32; n], vec![0i32; n]);
            quantize_weights(&w, k, &mut q, &mut sc, &mut sum);
            QLinear {
                w: q,
                w_scale: sc,
                w_sum: sum,
                bias: b.clone(),
                outliers: Vec::new(),
                w_outliers: Vec::new(),
                n,
                k,
            }
        };
        let (e_kept, e_coarse) = (err(&kept), err(&coarse));
        assert!(e_kept * 4.0 < e_coarse, "kept {e_kept}, coarse {e_coarse}");
        // A channel as large as the others is no outlier.
        for i in 0..n {
            w[i * k + 17] = 0.1;
        }
        assert!(outlier_channels(&w, n, k).is_empty());
    }
}
