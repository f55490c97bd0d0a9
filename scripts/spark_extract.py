#!/usr/bin/env python3
"""whosaid as a stage of Apache Spark: entities and attributed quotes for a corpus of articles.

Two subcommands:

  bundle   packs the whosaid binary and its model (and, with --with-libs, the shared libraries
           it links, libtorch among them) into one tar.gz for Spark to ship:

             python3 scripts/spark_extract.py bundle -o whosaid-bundle.tar.gz

  run      the Spark job (submit it with spark-submit; see docs/SPARK.md):

             spark-submit --master yarn --archives whosaid-bundle.tar.gz#whosaid \\
                 scripts/spark_extract.py run hdfs:///news/2024 --output hdfs:///whosaid/2024 \\
                 [--parquet hdfs:///whosaid/2024-quotes]

What the job does:

* Inputs are Hadoop paths (file:, hdfs:, s3a:, gs:, abfs:, ..., globs allowed). A folder is
  walked recursively, in name order, for .txt .md .markdown .html .htm (one document per file:
  id = file stem, source = the file's path) and .jsonl (.jsonl.gz, .jsonl.bz2) files (one
  document per line, `{"id": .., "text": .., "format": ..}`); entries whose name starts with
  `.` or `_` are skipped (Hadoop's convention). A file named explicitly is read whatever its
  extension, as `whosaid extract FILE` does.
* Each partition is streamed through ONE `whosaid extract -` process (the model is loaded once
  per partition) with JSON Lines on its stdin and one output line per input line on its stdout:
  `mapPartitions` with a subprocess, which is `RDD.pipe` plus what pipe lacks: the output of
  every line is checked to be for the document sent (same id, same order), lines the job cannot
  send (invalid UTF-8, not JSON, over --max-bytes) get an output line with `errors` filled in
  their place, and `source` and error messages name the real file and line, not `-`.
* Output: JSON Lines (the schema of `whosaid extract`, one line per document) as text part
  files under --output; with --parquet, also a Parquet table of the quotes, one row per quote,
  with the document's published, title, byline and url (null when unknown) on every row.
* The binary and the model come from the archive shipped with `--archives BUNDLE#whosaid` (or
  `--bundle BUNDLE`, which calls SparkContext.addArchive), unpacked by Spark in each executor's
  SparkFiles folder; or from --binary/--model paths that exist on every node.

Only the Python standard library and pyspark are used (Python 3.8+, Spark 3.1+).
"""

import argparse
import json
import os
import posixpath
import queue
import subprocess
import sys
import tarfile
import threading
import time
from collections import deque

BUNDLE_NAME = "whosaid"  # the name the archive is unpacked under (`--archives X.tar.gz#whosaid`)
MODEL_NAME = "whosaid-joint-en"
TEXT_EXTENSIONS = {"txt", "md", "markdown", "html", "htm"}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.bz2")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # as `whosaid extract`
# Libraries every Linux node has (glibc and the loader): never shipped with --with-libs.
SYSTEM_LIBS = ("linux-vdso", "ld-linux", "libc.so", "libm.so", "libpthread.so", "libdl.so",
               "librt.so", "libresolv.so", "libutil.so")


def log(msg):
    print(f"spark_extract: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# bundle


def shared_libraries(binary):
    """The shared libraries `binary` loads (resolved by ldd), less glibc and the loader."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split("=>")
        if len(parts) != 2:
            continue
        name, target = parts[0].strip(), parts[1].strip().split(" (")[0].strip()
        if not target or target == "not found":
            raise SystemExit(f"bundle: {binary} needs {name}, which ldd cannot find")
        if not name.startswith(SYSTEM_LIBS):
            libs.append((name, target))
    return libs


def bundle(args):
    binary = args.binary
    model = args.model or os.environ.get("WHOSAID_MODEL") or os.path.join("models", MODEL_NAME)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"bundle: {binary} is not an executable (cargo build --release first)")
    if not os.path.isfile(os.path.join(model, "config.json")):
        raise SystemExit(f"bundle: {model} is not a model folder (no config.json)")
    out = args.output
    tmp = out + ".partial"
    size = 0
    with tarfile.open(tmp, "w:gz", compresslevel=args.level) as tar:
        tar.add(binary, arcname="whosaid")
        size += os.path.getsize(binary)
        for name in sorted(os.listdir(model)):
            path = os.path.join(model, name)
            if os.path.isfile(path):
                tar.add(path, arcname=f"models/{MODEL_NAME}/{name}")
                size += os.path.getsize(path)
        libs = shared_libraries(binary) if args.with_libs else []
        for name, target in libs:
            # Under its soname, the real file (not the symlink).
            tar.add(os.path.realpath(target), arcname=f"lib/{name}")
            size += os.path.getsize(os.path.realpath(target))
    os.replace(tmp, out)
    log(f"wrote {out}: whosaid + models/{MODEL_NAME} (from {model})"
        + (f" + {len(libs)} shared libraries in lib/" if libs else "")
        + f", {size / 2**20:.0f} MiB unpacked, {os.path.getsize(out) / 2**20:.0f} MiB packed")
    log(f"ship it with: spark-submit --archives {out}#{BUNDLE_NAME} scripts/spark_extract.py run ...")


# --------------------------------------------------------------------------------------------
# What runs on the executors (plain functions of picklable values).


def stem_of(path):
    name = posixpath.basename(path.rstrip("/"))
    for suffix in JSONL_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    base, dot, _ = name.rpartition(".")
    return base if dot and base else name


def format_of(path):
    """The `format` to send for a file, as `whosaid extract FILE` picks it from the extension;
    None lets whosaid look at the text (HTML doctype or plain text)."""
    ext = posixpath.splitext(path)[1].lower()
    if ext in (".md", ".markdown"):
        return "markdown"
    if ext in (".html", ".htm", ".xhtml"):
        return "html"
    return None


def error_line(doc_id, source, message):
    # A line of the output contract (docs/OUTPUT.md), schema version first.
    return json.dumps({"schema": "whosaid/1", "id": doc_id, "source": source, "title": None, "published": None, "byline": None,
                       "url": None, "entities": [], "quotes": [], "errors": [message]},
                      ensure_ascii=False, separators=(",", ":"))


# A prepared record is ("send", id, source, error_prefix, line_bytes, words) for whosaid,
# or ("done", output_line) for a document that gets its (error) output without whosaid.


def prepare_file(path, data, max_bytes):
    doc_id = stem_of(path)
    if len(data) > max_bytes:
        return ("done", error_line(doc_id, path, f"{path}: document is {len(data)} bytes, over the limit "
                                   f"of {max_bytes}; pass --max-bytes to raise it"))
    try:
        text = data.decode("utf-8")  # strict, like the CLI; a byte order mark stays in the text
    except UnicodeDecodeError as e:
        return ("done", error_line(doc_id, path, f"{path}: not valid UTF-8 at byte {e.start}"))
    record = {"id": doc_id, "text": text}
    fmt = format_of(path)
    if fmt:
        record["format"] = fmt
    line = json.dumps(record, ensure_ascii=False).encode("utf-8")
    return ("send", doc_id, path, f"{path}: ", line, len(text.split()))


def json_id(value, fallback):
    """The document id `whosaid extract` takes from a JSON Lines record's "id"."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return fallback
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return fallback


def prepare_json_line(path, n, line, max_bytes):
    """Line `n` (1-based) of JSON Lines file `path`; None for a blank line (no document)."""
    if not line.lstrip("\ufeff").strip():
        return None
    stem = stem_of(path)
    fallback = f"{stem}:{n}"
    where = f"{path}:{n}: "
    try:
        value = json.loads(line)
    except ValueError as e:
        return ("done", error_line(fallback, path, f"{where}not a JSON object: {e}"))
    if not isinstance(value, dict):  # as whosaid: valid JSON, but no "text" field in it
        return ("done", error_line(fallback, path, f'{where}no "text" string field'))
    doc_id = json_id(value.get("id"), fallback)
    value["id"] = doc_id
    try:
        # Strict: whosaid would refuse NaN and lone surrogates and answer under another id.
        data = json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, UnicodeEncodeError) as e:
        return ("done", error_line(doc_id, path, f"{where}not a JSON object: {e}"))
    text = value.get("text")
    if isinstance(text, str) and len(text.encode("utf-8")) > max_bytes:
        return ("done", error_line(doc_id, path, f"{where}document is {len(text.encode('utf-8'))} bytes, "
                                   f"over the limit of {max_bytes}; pass --max-bytes to raise it"))
    return ("send", doc_id, path, where, data, len(text.split()) if isinstance(text, str) else 0)


def find_bundle():
    """The unpacked archive on this executor: SparkFiles (local mode, standalone, Kubernetes),
    or the container's working folder (YARN), or $WHOSAID_BUNDLE."""
    candidates = []
    try:
        from pyspark import SparkFiles
        candidates.append(SparkFiles.get(BUNDLE_NAME))
    except Exception:  # not in a Spark worker
        pass
    candidates += [os.path.join(os.getcwd(), BUNDLE_NAME), os.environ.get("WHOSAID_BUNDLE")]
    for base in candidates:
        if not base or not os.path.isdir(base):
            continue
        if os.path.isfile(os.path.join(base, "whosaid")):
            return base
        for sub in sorted(os.listdir(base)):  # an archive with one top folder
            if os.path.isfile(os.path.join(base, sub, "whosaid")):
                return os.path.join(base, sub)
    return None


def whosaid_command(opts):
    """(argv, env) of the whosaid process of this executor."""
    base = find_bundle() if not (opts["binary"] and opts["model"]) else None
    binary = opts["binary"] or (base and os.path.join(base, "whosaid"))
    model = opts["model"] or (base and os.path.join(base, "models", MODEL_NAME))
    if not binary or not os.path.isfile(binary):
        raise RuntimeError("whosaid binary not found on this executor: ship the bundle with "
                           f"--archives BUNDLE.tar.gz#{BUNDLE_NAME} (or --bundle), or pass --binary")
    if not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    env = dict(os.environ)
    env["WHOSAID_MODEL"] = model
    env.pop("WHOSAID_STATS", None)
    lib = base and os.path.join(base, "lib")
    if lib and os.path.isdir(lib):
        env["LD_LIBRARY_PATH"] = lib + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    threads = opts["threads"]
    if not threads:
        try:
            from pyspark import TaskContext
            threads = TaskContext.get().cpus()
        except Exception:
            threads = 1
    # --input-format jsonl: every line is a record, even if the first one is broken.
    argv = [binary, "extract", "-", "--input-format", "jsonl", "--model", model,
            "--threads", str(max(1, threads)), "--chunk-size", str(opts["chunk_size"]), "--max-bytes", str(opts["max_bytes"])]
    if opts["max_len"]:
        argv += ["--max-len", str(opts["max_len"])]
    if opts.get("html_mode"):
        argv += ["--html-mode", opts["html_mode"]]
    return argv, env


_END = object()


class _Whosaid:
    """One `whosaid extract -` process, started on the first document it is sent."""

    def __init__(self, opts):
        self.opts = opts
        self.proc = None
        self.stderr_tail = deque(maxlen=40)
        self.stderr_thread = None

    def start(self):
        argv, env = whosaid_command(self.opts)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.stderr_thread = threading.Thread(target=self._forward_stderr, daemon=True)
        self.stderr_thread.start()

    def _forward_stderr(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stderr_tail.append(line)
            print(line, file=sys.stderr, flush=True)

    def stderr(self):
        if self.stderr_thread:
            self.stderr_thread.join(5)
        return "\n".join(self.stderr_tail)


def run_partition(records, opts, counters=None):
    """Streams the prepared records of one partition through one whosaid process (started on
    the first record that needs it); yields one output JSON line per record, in order."""
    ws = _Whosaid(opts)
    # Bounded: the writer runs at most this many records (plus the pipe and whosaid's own
    # queue of 2 x chunk-size documents) ahead of the reader. Slots hold no document text.
    slots = queue.Queue(maxsize=1024)
    failure = []
    stop = threading.Event()  # the consumer went away: the writer must not block forever

    def put(item):
        while not stop.is_set():
            try:
                return slots.put(item, timeout=0.5)
            except queue.Full:
                pass

    def write():
        try:
            for rec in records:
                if stop.is_set():
                    break
                if rec[0] == "done":
                    put(rec)
                    continue
                if ws.proc is None:
                    ws.start()
                put(rec[:4] + rec[5:])
                # Flushed line by line: nothing the reader waits for stays in a buffer.
                ws.proc.stdin.write(rec[4] + b"\n")
                ws.proc.stdin.flush()
        except BaseException as e:  # BrokenPipeError when whosaid died: the reader says why
            failure.append(e)
        finally:
            if ws.proc is not None:
                try:
                    ws.proc.stdin.close()
                except OSError:
                    pass
            put(_END)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    sent = done = failed = words = quotes = 0
    finished = False
    try:
        while True:
            rec = slots.get()
            if rec is _END:
                break
            if rec[0] == "done":
                done += 1
                failed += 1
                yield rec[1]
                continue
            _, doc_id, source, prefix, n_words = rec
            sent += 1
            raw = ws.proc.stdout.readline()
            if not raw:
                code = ws.proc.wait()
                raise RuntimeError(f"whosaid exited with code {code} after {sent - 1} documents of this "
                                   f"partition (next: {doc_id!r}); its stderr ends with:\n{ws.stderr()}")
            out = json.loads(raw)
            if out.get("id") != doc_id:
                raise RuntimeError(f"whosaid answered {out.get('id')!r} for document {doc_id!r} "
                                   f"(line {sent} of this partition): the stream is out of step")
            out["source"] = source
            # "-:N: message" (line N of whosaid's stdin) -> "FILE: message" or "FILE:LINE: message"
            mark = f"-:{sent}: "
            out["errors"] = [prefix + e[len(mark):] if e.startswith(mark) else e for e in out.get("errors", [])]
            done += 1
            words += n_words
            quotes += len(out.get("quotes", []))
            failed += bool(out["errors"])
            yield json.dumps(out, ensure_ascii=False, separators=(",", ":"))
        if failure:
            raise RuntimeError(f"reading or sending the documents failed: {failure[0]!r}"
                               + (f"; whosaid's stderr ends with:\n{ws.stderr()}" if ws.proc else ""))
        if ws.proc is not None:
            rest = ws.proc.stdout.read()
            code = ws.proc.wait()
            if rest.strip():
                raise RuntimeError(f"whosaid wrote more lines than documents sent: {rest[:200]!r}")
            if code not in (0, 2):  # 2: some documents failed (they carry `errors`)
                raise RuntimeError(f"whosaid exited with code {code}; its stderr ends with:\n{ws.stderr()}")
        finished = True
    finally:
        stop.set()
        if not finished and ws.proc is not None and ws.proc.poll() is None:
            ws.proc.kill()
            ws.proc.wait()
        if counters is not None:
            for name, value in zip(("documents", "failed", "words", "quotes"), (done, failed, words, quotes)):
                counters[name].add(value)


QUOTE_FIELDS = [
    ("doc_id", "string"), ("source", "string"), ("quote_id", "string"), ("kind", "string"),
    ("text", "string"), ("start", "long"), ("end", "long"), ("speaker", "string"),
    ("speaker_id", "string"), ("speaker_kind", "string"),
    ("speaker_entity", "string"), ("speaker_type", "string"),
    ("resolved_by", "string"), ("cue", "string"), ("cue_start", "long"), ("cue_end", "long"),
    ("confidence", "double"),
    # The document's metadata (HTML pages, or fields of JSON Lines input); null when unknown.
    ("published", "string"), ("title", "string"), ("byline", "string"), ("url", "string"),
]
NULLABLE = {"speaker", "speaker_id", "speaker_kind", "speaker_entity", "speaker_type", "resolved_by", "cue", "cue_start",
            "cue_end", "source", "published", "title", "byline", "url"}


def quote_rows(line):
    """One tuple per quote of an output line (QUOTE_FIELDS)."""
    doc = json.loads(line)
    entities = {e["id"]: e for e in doc.get("entities", [])}
    for q in doc.get("quotes", []):
        sp = q.get("speaker") or {}
        ent = entities.get(sp.get("entity")) or {}
        cue = q.get("cue") or {}
        yield (doc["id"], doc.get("source"), q["id"], q["kind"], q["text"], q["start"], q["end"],
               sp.get("name"), sp.get("id") or None, sp.get("kind") or None, sp.get("entity"), ent.get("type"),
               sp.get("resolved_by"),
               cue.get("text"), cue.get("start"), cue.get("end"), float(q["confidence"]),
               doc.get("published"), doc.get("title"), doc.get("byline"), doc.get("url"))


# --------------------------------------------------------------------------------------------
# The driver


def list_inputs(sc, inputs):
    """([(text file, bytes)], [JSON Lines file]) under the given Hadoop paths, in walk order."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    texts, jsonls = [], []

    def add(st, explicit):
        s = st.getPath().toString()
        name = st.getPath().getName().lower()
        if name.endswith(JSONL_SUFFIXES):
            jsonls.append(s)
        elif explicit or posixpath.splitext(name)[1].lstrip(".") in TEXT_EXTENSIONS:
            texts.append((s, st.getLen()))

    def walk(fs, path):
        for st in sorted(fs.listStatus(path), key=lambda st: st.getPath().getName()):
            name = st.getPath().getName()
            if name.startswith((".", "_")):
                continue
            if st.isDirectory():
                walk(fs, st.getPath())
            else:
                add(st, False)

    for inp in inputs:
        path = jvm.org.apache.hadoop.fs.Path(inp)
        fs = path.getFileSystem(conf)
        matches = fs.globStatus(path)
        if not matches:
            raise SystemExit(f"spark_extract: {inp}: no such file or folder")
        for st in sorted(matches, key=lambda st: st.getPath().toString()):
            if st.isDirectory():
                walk(fs, st.getPath())
            else:
                add(st, True)
    return texts, jsonls


def groups_by_size(files, n):
    """Splits [(path, bytes)] into at most n consecutive groups of about equal bytes."""
    total = sum(size for _, size in files) or 1
    groups, current, acc = [], [], 0
    for i, (path, size) in enumerate(files):
        current.append(path)
        acc += size
        left_files, left_groups = len(files) - i - 1, n - len(groups) - 1
        if left_groups > 0 and left_files > 0 and (acc >= total * (len(groups) + 1) / n or left_files <= left_groups):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def build_documents(sc, texts, jsonls, partitions, max_bytes):
    """An RDD of prepared records (see prepare_file), in input order within each partition."""
    escape = sc._jvm.org.apache.hadoop.util.StringUtils.escapeString  # commas in file names
    rdds = []
    # binaryFiles packs small files into few partitions (spark.files.openCostInBytes, 4 MiB):
    # one binaryFiles per group of files gives every core work, and keeps the files in order.
    for group in groups_by_size(texts, partitions):
        files = sc.binaryFiles(",".join(escape(t) for t in group), minPartitions=1)
        rdds.append(files.map(lambda kv: prepare_file(kv[0], kv[1], max_bytes)))
    for path in jsonls:
        lines = sc.textFile(path, minPartitions=partitions).zipWithIndex()
        rdds.append(lines.map(lambda li, p=path: prepare_json_line(p, li[1] + 1, li[0], max_bytes))
                    .filter(lambda r: r is not None))
    if not rdds:
        raise SystemExit("spark_extract: no documents (.txt .md .markdown .html .htm .jsonl) in the inputs")
    docs = rdds[0] if len(rdds) == 1 else sc.union(rdds)
    if docs.getNumPartitions() > partitions:
        # Each partition starts one whosaid (one model load): no more of them than asked.
        docs = docs.coalesce(partitions)
    return docs


def run(args):
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("whosaid-extract").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel(args.log_level)
    if args.bundle:
        sc.addArchive(f"{args.bundle}#{BUNDLE_NAME}")
    jvm = sc._jvm
    for out in filter(None, [args.output, args.parquet]):
        path = jvm.org.apache.hadoop.fs.Path(out)
        fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
        if fs.exists(path):
            if not args.overwrite:
                raise SystemExit(f"spark_extract: {out} exists (pass --overwrite to replace it)")
            fs.delete(path, True)
    partitions = args.partitions or sc.defaultParallelism
    t0 = time.time()
    texts, jsonls = list_inputs(sc, args.inputs)
    docs = build_documents(sc, texts, jsonls, partitions, args.max_bytes)
    log(f"{len(texts)} text files and {len(jsonls)} JSON Lines files in {docs.getNumPartitions()} partitions")
    counters = {k: sc.accumulator(0) for k in ("documents", "failed", "words", "quotes")}
    opts = {"binary": args.binary, "model": args.model, "threads": args.threads,
            "chunk_size": args.chunk_size, "max_bytes": args.max_bytes, "max_len": args.max_len,
            "html_mode": args.html_mode}
    results = docs.mapPartitions(lambda it: run_partition(it, opts, counters))
    codec = {"gzip": "org.apache.hadoop.io.compress.GzipCodec",
             "bzip2": "org.apache.hadoop.io.compress.BZip2Codec"}.get(args.compress)
    results.saveAsTextFile(args.output, compressionCodecClass=codec)
    secs = time.time() - t0
    c = {k: v.value for k, v in counters.items()}
    log(f"{c['documents']} documents ({c['failed']} failed), {c['words']} words, {c['quotes']} quotes "
        f"in {secs:.2f}s ({c['words'] / max(secs, 1e-9):.0f} words/s) -> {args.output}")
    if args.parquet:
        from pyspark.sql.types import StructField, StructType
        from pyspark.sql import types as T
        kinds = {"string": T.StringType(), "long": T.LongType(), "double": T.DoubleType()}
        schema = StructType([StructField(n, kinds[k], n in NULLABLE) for n, k in QUOTE_FIELDS])
        # From the written JSON Lines: the documents are not analysed twice.
        rows = sc.textFile(args.output).flatMap(quote_rows)
        spark.createDataFrame(rows, schema).write.parquet(args.parquet)
        log(f"quotes, one row per quote -> {args.parquet}")
    spark.stop()
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("bundle", help="pack the binary and the model into a tar.gz for --archives")
    b.add_argument("-o", "--output", default="whosaid-bundle.tar.gz")
    b.add_argument("--binary", default=os.path.join("target", "release", "whosaid"))
    b.add_argument("--model", help=f"model folder (default: $WHOSAID_MODEL, else models/{MODEL_NAME})")
    b.add_argument("--with-libs", action="store_true",
                   help="also ship the shared libraries the binary links (libtorch, OpenBLAS, ...; large) "
                        "for executors without Debian's libtorch-dev")
    b.add_argument("--level", type=int, default=6, help="gzip level (default 6)")
    r = sub.add_parser("run", help="the Spark job (run it with spark-submit)")
    r.add_argument("inputs", nargs="+", help="Hadoop paths: files, folders or globs")
    r.add_argument("-o", "--output", required=True, help="output folder: JSON Lines part files")
    r.add_argument("--parquet", help="also write the quotes, one row per quote, as Parquet here")
    r.add_argument("--overwrite", action="store_true", help="replace the output folders if they exist")
    r.add_argument("--compress", choices=["gzip", "bzip2"], help="compress the JSON Lines part files")
    r.add_argument("--bundle", help="the bundle to ship with SparkContext.addArchive "
                                    f"(instead of spark-submit --archives BUNDLE#{BUNDLE_NAME})")
    r.add_argument("--binary", help="whosaid binary on every node (instead of the bundle)")
    r.add_argument("--model", help="model folder on every node (instead of the bundle's)")
    r.add_argument("--partitions", type=int,
                   help="at most this many partitions, one whosaid process each (default: the default parallelism)")
    r.add_argument("--threads", type=int, help="threads of each whosaid process (default: spark.task.cpus)")
    r.add_argument("--chunk-size", type=int, default=32, help="documents per NER batch (default 32)")
    r.add_argument("--max-len", type=int, help="subword tokens per NER window (whosaid's default)")
    r.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger documents (default 5 MiB)")
    r.add_argument("--html-mode", choices=["article", "all"],
                   help="which text of HTML pages to analyse (whosaid's default: article)")
    r.add_argument("--log-level", default="WARN", help="Spark's log level (default WARN)")
    args = ap.parse_args(argv)
    return bundle(args) if args.command == "bundle" else run(args)


if __name__ == "__main__":
    sys.exit(main() or 0)
