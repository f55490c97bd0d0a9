//! `whosaid train --polnear` (one encoder, NER and attribution heads) on a tiny random BERT,
//! invented CoNLL sentences and an invented PolNeAR-format corpus (brat `.ann` files written
//! here): the same seed gives bit-identical weights, the attribution loss goes down, a held-out
//! fold is scored, `--resume` continues after the last finished epoch, and the written folder
//! loads with its attribution head and extracts.
//!
//! (The real run, CoNLL-2003 and PolNeAR train with MiniLM, takes about an hour; its command,
//! time and figures are in the model card.)

use std::path::{Path, PathBuf};

use whosaid::attribution::joint::{self, JointOptions, TrainState};
use whosaid::ner::{write_random_model, NerModel, NerOptions, Precision};

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("joint-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const PEOPLE: [&str; 4] = ["Anna Berg", "Tom Reed", "Lena Voss", "Omar Khan"];
const PLACES: [&str; 4] = ["Oslo", "Lima", "Perth", "Quito"];

fn conll(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let (first, last) = PEOPLE[i % 4].split_once(' ').unwrap();
        for (w, l) in [
            (first, "B-PER"),
            (last, "I-PER"),
            ("visited", "O"),
            (PLACES[i % 4], "B-LOC"),
            (".", "O"),
        ] {
            out += &format!("{w} X X {l}\n");
        }
        out += "\n";
    }
    out
}

/// One invented article and its brat annotation: "NAME said the PLACE plan would fail." with
/// Source = the name, Cue = "said", Content = "the PLACE plan would fail".
fn article(i: usize) -> (String, String) {
    let mut text = String::new();
    let mut ann = String::new();
    let mut t = 1;
    for s in 0..3 {
        let k = i + s;
        let name = PEOPLE[k % 4];
        let place = PLACES[(k / 4) % 4];
        let sentence = format!("{name} said the {place} plan would fail. ");
        let base = text.chars().count();
        let cue = base + name.len() + 1;
        let content = cue + 5;
        let content_end = base + sentence.trim_end().len() - 1;
        ann += &format!("T{t}\tSource {base} {}\t{name}\n", base + name.len());
        ann += &format!("T{}\tCue {cue} {}\tsaid\n", t + 1, cue + 4);
        ann += &format!(
            "T{}\tContent {content} {content_end}\t{}\n",
            t + 2,
            &sentence[content - base..content_end - base]
        );
        ann += &format!(
            "E{s}\tAttribution:T{} Content:T{} Cue:T{} Source:T{t}\n",
            t + 1,
            t + 2,
            t + 1
        );
        t += 3;
        text += &sentence;
        text += "Nothing else happened.\n\n";
    }
    (text, ann)
}

/// A PolNeAR-shaped folder of `n` articles and 5 fold lists over them.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    std::fs::create_dir_all(dir.join("text")).unwrap();
    std::fs::create_dir_all(dir.join("attributions")).unwrap();
    let folds = dir.join("folds");
    std::fs::create_dir_all(&folds).unwrap();
    let mut lists = vec![String::new(); joint::FOLDS];
    for i in 0..n {
        let name = format!("invented_{i:03}");
        let (text, ann) = article(i);
        std::fs::write(dir.join("text").join(format!("{name}.txt")), text).unwrap();
        std::fs::write(dir.join("attributions").join(format!("{name}_a1.ann")), ann).unwrap();
        lists[i % joint::FOLDS] += &format!("{name}\n");
    }
    for (k, l) in lists.iter().enumerate() {
        std::fs::write(folds.join(format!("polnear-train-fold-{}.txt", k + 1)), l).unwrap();
    }
    folds
}

struct Data {
    base: PathBuf,
    conll: PathBuf,
    polnear: PathBuf,
    folds: PathBuf,
}

/// The tests that train share the data folders and the process's thread settings (a bf16 run
/// sets them differently), so they run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn data() -> Data {
    let base = tmp("base");
    // The random base model is drawn from libtorch's generator: seeded, so every run of this
    // test trains the same model.
    tch::manual_seed(1);
    write_random_model(&base, "bert", true, false, &[]).unwrap();
    let d = tmp("data");
    std::fs::write(d.join("train.conll"), conll(40)).unwrap();
    std::fs::write(d.join("dev.conll"), conll(8)).unwrap();
    let polnear = d.join("polnear");
    let folds = corpus(&polnear, 20);
    Data {
        base,
        conll: d.join("train.conll"),
        polnear,
        folds,
    }
}

fn options(d: &Data, epochs: usize) -> JointOptions {
    JointOptions {
        epochs,
        batch_size: 4,
        lr: 1e-2,
        folds: d.folds.clone(),
        heldout: Some(1),
        threads: 1,
        seed: 7,
        ..Default::default()
    }
}

/// `joint::train` on the test data into `out`.
fn train(
    d: &Data,
    out: &Path,
    opt: &JointOptions,
    resume: bool,
    log: &mut Vec<u8>,
) -> anyhow::Result<f64> {
    joint::train(
        &d.base,
        &joint::Corpora {
            conll: &d.conll,
            conll_dev: &d.conll.with_file_name("dev.conll"),
            polnear: &d.polnear,
        },
        out,
        opt,
        resume,
        log,
    )
}

fn run(
    d: &Data,
    name: &str,
    opt: &JointOptions,
    resume: bool,
    out: Option<&Path>,
) -> (f64, String, PathBuf) {
    let out = out.map_or_else(|| tmp(name), Path::to_path_buf);
    let mut log = Vec::new();
    let f1 = train(d, &out, opt, resume, &mut log).unwrap();
    (f1, String::from_utf8(log).unwrap(), out)
}

/// The epochs' mean attribution losses the log reports, in order.
fn attribution_losses(log: &str) -> Vec<f64> {
    log.lines()
        .filter(|l| l.contains(" mean loss "))
        .filter_map(|l| l.split(" attribution ").nth(1))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn joint_training_repeats_learns_resumes_and_loads() {
    let _serial = serial();
    let d = data();
    let opt = options(&d, 3);
    let (f1_a, log_a, dir_a) = run(&d, "a", &opt, false, None);
    let (f1_b, log_b, dir_b) = run(&d, "b", &opt, false, None);
    println!("{log_a}");
    let read = |dir: &Path, f: &str| std::fs::read(dir.join(f)).unwrap();
    assert_eq!(
        read(&dir_a, "model.safetensors"),
        read(&dir_b, "model.safetensors")
    );
    assert_eq!(
        read(&dir_a, "attribution.safetensors"),
        read(&dir_b, "attribution.safetensors")
    );
    assert_eq!(f1_a, f1_b);
    assert_eq!(attribution_losses(&log_a), attribution_losses(&log_b));

    // 16 training articles (fold 1 held out), the held-out fold scored after every epoch.
    assert!(log_a.contains("PolNeAR: 16 training articles"), "{log_a}");
    assert!(log_a.contains("4 held out"), "{log_a}");
    assert_eq!(log_a.matches("held-out fold, tagger alone").count(), 3);
    let l = attribution_losses(&log_a);
    assert!(l.len() >= 2, "{log_a}");
    // Every epoch lowers the mean loss, and the last is well under a uniform guess's (ln 3).
    assert!(
        l.windows(2).all(|w| w[1] < w[0]) && *l.last().unwrap() < 0.8 * 3f64.ln(),
        "attribution loss did not go down: {l:?}"
    );
    // The log is also in the model folder.
    let file_log = std::fs::read_to_string(dir_a.join("train-joint.log")).unwrap();
    assert!(file_log.contains("epoch 3 written"), "{file_log}");

    // Resume: 1 epoch, then the same folder resumed to 3 epochs goes on from epoch 2, with the
    // step count of the uninterrupted run.
    let out = tmp("resumed");
    run(&d, "r1", &options(&d, 1), false, Some(&out));
    let s1: TrainState =
        serde_json::from_str(&std::fs::read_to_string(out.join(joint::STATE_FILE)).unwrap())
            .unwrap();
    assert_eq!(s1.epochs_done, 1);
    let (_, log_r, _) = run(&d, "r2", &opt, true, Some(&out));
    assert!(
        log_r.contains(&format!("weights from {}", out.display())),
        "{log_r}"
    );
    assert!(!log_r.contains("epoch 1 mean loss"), "{log_r}");
    assert!(
        log_r.contains("epoch 2 mean loss") && log_r.contains("epoch 3 written"),
        "{log_r}"
    );
    let s3: TrainState =
        serde_json::from_str(&std::fs::read_to_string(out.join(joint::STATE_FILE)).unwrap())
            .unwrap();
    let sa: TrainState =
        serde_json::from_str(&std::fs::read_to_string(dir_a.join(joint::STATE_FILE)).unwrap())
            .unwrap();
    assert_eq!((s3.epochs_done, s3.step), (3, sa.step));

    // The folder is a model with an attribution head over the last layer; it loads with the
    // head at every precision the heads support and tags.
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir_a.join("attribution.json")).unwrap())
            .unwrap();
    assert_eq!(config["branch_layers"], 0);
    for precision in [Precision::F32, Precision::Int8] {
        let model = NerModel::load(
            &dir_a,
            NerOptions {
                precision,
                attribution: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(model.attribution().is_some());
        assert_eq!(model.tags().len(), 9);
    }
}

/// `--bf16`: the same run in bfloat16 mixed precision learns as well (the loss goes down as in
/// float32), records the option, and its weights are not float32's (the products did run in
/// bfloat16). Runs on any x86 CPU whose bfloat16 products work (slowly without AVX512-BF16;
/// the model here is tiny); where they fail, the run is refused with a clear error.
#[test]
fn bf16_training_learns() {
    let _serial = serial();
    let d = data();
    let f32_opt = options(&d, 3);
    let bf16_opt = JointOptions {
        bf16: true,
        threads: 2,
        ..options(&d, 3)
    };
    if !whosaid::ner::bf16_works() {
        // bfloat16 products fail here (oneDNN capped below AVX512 on an AVX512-BF16 CPU):
        // the run is refused with a clear error before anything is written.
        let out = tmp("bf16-refused");
        let err = train(&d, &out, &bf16_opt, false, &mut Vec::new()).unwrap_err();
        assert!(format!("{err:#}").contains("--bf16"), "{err:#}");
        assert!(!out.join("model.safetensors").exists());
        return;
    }
    let (_, log_f, dir_f) = run(&d, "f32", &f32_opt, false, None);
    let (f1, log_b, dir_b) = run(&d, "bf16", &bf16_opt, false, None);
    // The products keep both threads after each epoch's scoring (whose inference forward sets
    // this thread's pool to one).
    assert_eq!(tch::get_num_threads(), 2);
    println!("{log_b}");
    assert!(log_b.contains("bf16: true"), "{log_b}");
    assert!(f1.is_finite());
    let (lf, lb) = (attribution_losses(&log_f), attribution_losses(&log_b));
    assert_eq!(lb.len(), 3, "{log_b}");
    assert!(
        lb.windows(2).all(|w| w[1] < w[0]) && *lb.last().unwrap() < 0.8 * 3f64.ln(),
        "bf16 attribution loss did not go down: {lb:?}"
    );
    // Close to float32's losses, not the same bits.
    for (f, b) in lf.iter().zip(&lb) {
        assert!(
            (f - b).abs() < 0.25 * f.max(*b),
            "float32 {lf:?}, bf16 {lb:?}"
        );
    }
    let read = |dir: &Path| std::fs::read(dir.join("model.safetensors")).unwrap();
    assert_ne!(read(&dir_f), read(&dir_b));
    let model = NerModel::load(
        &dir_b,
        NerOptions {
            attribution: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(model.attribution().is_some());
}

#[test]
fn folds_must_cover_the_corpus() {
    let d = tmp("folds");
    let folds = corpus(&d, 10);
    // An article in no fold is an error naming the folder.
    let (text, ann) = article(99);
    std::fs::write(d.join("text/stray.txt"), text).unwrap();
    std::fs::write(d.join("attributions/stray_a1.ann"), ann).unwrap();
    let err = joint::fold_files(&d, &folds, Some(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("in no fold") && err.contains("stray"), "{err}");
    std::fs::remove_file(d.join("text/stray.txt")).unwrap();
    std::fs::remove_file(d.join("attributions/stray_a1.ann")).unwrap();
    let (train, held) = joint::fold_files(&d, &folds, Some(2)).unwrap();
    assert_eq!((train.len(), held.len()), (8, 2));
    assert!(held
        .iter()
        .all(|f| f.0 == "invented_001" || f.0 == "invented_006"));
    // The repository's own fold lists are disjoint, 5 × 168 names.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/folds");
    let mut all = std::collections::HashSet::new();
    for k in 1..=joint::FOLDS {
        let names = joint::read_fold(&repo, k).unwrap();
        assert_eq!(names.len(), 168, "fold {k}");
        for n in names {
            assert!(all.insert(n.clone()), "{n} in two folds");
        }
    }
}
