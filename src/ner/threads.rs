//! Thread settings for libtorch and OpenBLAS.
//!
//! Measured on 2 cores (training step, MiniLM, batch 16 × 128 tokens): libtorch intra-op
//! threads = 2 with OpenBLAS threads = 2 took 6.9 s a step (the two pools fight); libtorch = 1
//! with OpenBLAS = 2 took 1.9 s. So libtorch runs single-threaded and the matrix products
//! get the cores through OpenBLAS.

/// Sets libtorch to one intra-op thread and OpenBLAS to `n` threads (when OpenBLAS is the
/// BLAS in the process; otherwise only libtorch is set, to `n`).
pub fn set_compute_threads(n: usize) {
    let n = n.max(1);
    if env_override() {
        return;
    }
    if set_openblas_threads(n) {
        tch::set_num_threads(1);
    } else {
        tch::set_num_threads(n as i32);
    }
}

/// For bfloat16 training ([`super::autocast`]): the matrix products run in oneDNN on
/// libtorch's threads, not in OpenBLAS, so libtorch gets `n` threads and OpenBLAS one.
/// Measured on 2 Xeon cores with AMX (joint training, batch 16): 1.65 s a step, against 2.35 s
/// with libtorch on one thread and 2.8 s for float32.
fn set_compute_threads_bf16(n: usize) {
    let n = n.max(1);
    if env_override() {
        return;
    }
    set_openblas_threads(1);
    tch::set_num_threads(n as i32);
}

/// The thread split for training in float32 or bfloat16. Each epoch's scoring runs inference
/// forwards on the training thread; they set its OpenMP pool to one thread and give the count
/// back when done ([`super::quant::OmpThreads`]). Before they gave it back, bfloat16 training,
/// whose products run on that pool, went on with one core after epoch 1 (3.2 s a step instead
/// of 1.6 on 2 Xeon cores).
pub fn set_training_threads(n: usize, bf16: bool) {
    if bf16 {
        set_compute_threads_bf16(n);
    } else {
        set_compute_threads(n);
    }
}

/// For experiments: WHOSAID_TORCH_THREADS and WHOSAID_BLAS_THREADS, both set, override the
/// split; true when they did.
fn env_override() -> bool {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<usize>().ok());
    let (Some(t), Some(b)) = (env("WHOSAID_TORCH_THREADS"), env("WHOSAID_BLAS_THREADS")) else {
        return false;
    };
    set_openblas_threads(b.max(1));
    tch::set_num_threads(t.max(1) as i32);
    true
}

fn set_openblas_threads(n: usize) -> bool {
    // SAFETY: dlsym with a NUL-terminated name; the symbol, if present, has the C signature
    // `void openblas_set_num_threads(int)`.
    unsafe {
        let sym = libc::dlsym(libc::RTLD_DEFAULT, c"openblas_set_num_threads".as_ptr());
        if sym.is_null() {
            return false;
        }
        let f: extern "C" fn(libc::c_int) = std::mem::transmute(sym);
        f(n as libc::c_int);
        true
    }
}

/// The number of cores to use when the user gave none.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Thread settings for tagging with `n` workers: libtorch and OpenBLAS get one thread each
/// (so does oneDNN, per forward pass: [`super::quant::set_thread_count`]), and forward passes
/// run concurrently on the rayon pool when `n > 1`. Returns whether they should. A kernel's
/// rounding then depends on the shapes alone, never on how many threads split the product.
pub fn set_inference_threads(n: usize) -> bool {
    single_threaded_kernels();
    n > 1
}

/// One thread for libtorch's operators and for OpenBLAS (the tagger's setting).
pub fn single_threaded_kernels() {
    set_openblas_threads(1);
    tch::set_num_threads(1);
}

/// [`set_inference_threads`] plus the global rayon pool of `n` workers (the pool concurrent
/// forward passes run on). Returns whether forward passes should run concurrently.
pub fn start_inference_pool(n: usize) -> bool {
    let n = n.max(1);
    let concurrent = set_inference_threads(n);
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build_global()
        .ok();
    concurrent
}
