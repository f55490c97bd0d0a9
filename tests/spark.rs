//! whosaid as a stage of Apache Spark (docs/SPARK.md): runs `scripts/test_spark.sh` with this
//! build's binary. The script installs pyspark into `.venv-spark`, runs
//! `scripts/spark_extract.py` with `spark-submit --master local[2]` (binary and model shipped
//! with `--archives`) on `fixtures/` plus edge cases, and checks every document's output against
//! `whosaid extract` run directly (id, entities, quotes, errors) and the Parquet quote table.
//! It prints SKIP and succeeds only where Java or pyspark cannot be installed.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn spark_local_mode_gives_the_same_documents_as_the_cli() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let model = std::env::var_os("WHOSAID_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("models/whosaid-joint-en"));
    let out = Command::new("bash")
        .arg(root.join("scripts/test_spark.sh"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_whosaid"))
        .arg("--model")
        .arg(&model)
        .current_dir(&root)
        .output()
        .expect("bash runs scripts/test_spark.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Written to stderr directly (not captured by the test harness): what was compared shows
    // in every run's log.
    let _ = writeln!(std::io::stderr(), "--- scripts/test_spark.sh ---\n{stdout}");
    assert!(
        out.status.success(),
        "scripts/test_spark.sh failed ({}):\n{stdout}\n--- stderr ---\n{stderr}",
        out.status
    );
    if stdout.contains("SKIP:") {
        return;
    }
    assert!(
        stdout.contains("test_spark: PASS"),
        "no PASS line:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("documents equal"),
        "nothing compared:\n{stdout}"
    );
}
