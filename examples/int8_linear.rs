//! Does this libtorch have FBGEMM, and how fast and how exact is an int8 linear layer here?
//! `cargo run --release --example int8_linear [ROWS] [REPEATS]`: a 384→1536 and a 1536→384
//! layer (MiniLM's feed-forward) on ROWS tokens (default 1600 = 16 windows × 100), single
//! thread, float32 (libtorch → OpenBLAS) against int8 (oneDNN), interleaved A B A B.
use std::time::Instant;

use tch::{Kind, Tensor};
use whosaid::ner::quant::{self, QLinear};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let m: i64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1600);
    let reps: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    whosaid::ner::threads::set_inference_threads(2); // concurrent setting: 1 thread per pass
    quant::cap_isa_for_int8();
    if std::env::var("MALLOPT").is_ok() {
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
        }
    }
    quant::set_thread_count(1);
    tch::manual_seed(1);

    // 1. FBGEMM in this libtorch?
    let w = Tensor::randn(&[1536, 384], (Kind::Float, tch::Device::Cpu)) * 0.05;
    // (tch 0.10 does not wrap fbgemm_linear_quantize_weight: it returns a 4-tuple.)
    match w.f_fbgemm_pack_quantized_matrix() {
        Ok(_) => println!("fbgemm_pack_quantized_matrix: available"),
        Err(e) => println!(
            "fbgemm_pack_quantized_matrix: {}",
            e.to_string().lines().next().unwrap_or("")
        ),
    }
    // (fbgemm_linear_int8_weight_fp32_activation fails the same way, and tch 0.10 then panics
    // while dropping its scalar arguments, so it is not called here.)
    println!(
        "oneDNN int8 GEMM: {}, ISA {:?}",
        quant::fast_int8_available(),
        quant::dnnl_isa()
    );

    // 2. Speed and error, both shapes of the feed-forward.
    for (k, n) in [(384i64, 1536i64), (1536, 384), (384, 1152)] {
        let w = Tensor::randn(&[n, k], (Kind::Float, tch::Device::Cpu)) * (1.0 / (k as f64).sqrt());
        let b = Tensor::randn(&[n], (Kind::Float, tch::Device::Cpu)) * 0.1;
        let x = Tensor::randn(&[m, k], (Kind::Float, tch::Device::Cpu));
        let q = QLinear::new(&w, Some(&b));
        let reference = x.linear(&w, Some(&b));
        let y = q.forward_t(&x, None);
        let err = (&y - &reference).abs();
        let rel = f64::from(err.max()) / f64::from(reference.abs().max());
        let rms = f64::from((&err * &err).mean(Kind::Float).sqrt())
            / f64::from((&reference * &reference).mean(Kind::Float).sqrt());
        let (mut tf, mut ti) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let t = Instant::now();
            let _ = x.linear(&w, Some(&b));
            tf.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            let _ = q.forward_t(&x, None);
            ti.push(t.elapsed().as_secs_f64());
        }
        // Where the int8 time goes.
        let xs = Vec::<f32>::from(x.view(-1));
        let (mu, ku, nu) = (m as usize, k as usize, n as usize);
        let mut qa = vec![0u8; mu * ku];
        let (mut sc, mut z) = (vec![0f32; mu], vec![0i32; mu]);
        let wq = vec![1i8; nu * ku];
        let mut c = vec![0i32; mu * nu];
        let (mut tq, mut tg) = (Vec::new(), Vec::new());
        for _ in 0..reps {
            let t = Instant::now();
            quant::quantize_rows(&xs, ku, &mut qa, &mut sc, &mut z);
            tq.push(t.elapsed().as_secs_f64());
            let t = Instant::now();
            quant::gemm_u8s8(&qa, &wq, mu, nu, ku, &mut c);
            tg.push(t.elapsed().as_secs_f64());
        }
        tq.sort_by(f64::total_cmp);
        tg.sort_by(f64::total_cmp);
        println!(
            "  int8 parts: quantize {:.2} ms, integer GEMM {:.2} ms ({:.0} GOP/s)",
            tq[reps / 2] * 1e3,
            tg[reps / 2] * 1e3,
            2.0 * (m * k * n) as f64 / 1e9 / tg[reps / 2]
        );
        tf.sort_by(f64::total_cmp);
        ti.sort_by(f64::total_cmp);
        let (f, i) = (tf[reps / 2], ti[reps / 2]);
        let gflop = 2.0 * (m * k * n) as f64 / 1e9;
        println!(
            "{k}→{n}, {m} rows: float32 {:.2} ms ({:.0} GFLOP/s), int8 {:.2} ms ({:.0} GOP/s), {:.2}x; error max {:.4} rms {:.4} (relative)",
            f * 1e3,
            gflop / f,
            i * 1e3,
            gflop / i,
            f / i,
            rel,
            rms
        );
    }
}
