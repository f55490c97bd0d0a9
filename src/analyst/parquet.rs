//! Parquet tables (`--format parquet`): the CSV's rows and columns, typed, for pandas, polars,
//! DuckDB or Spark.
//!
//! A table is written from the same rows as the CSV ([`super::export::quote_rows`],
//! [`super::export::entity_rows`]), so the two never disagree. Column types follow the column
//! names:
//! - offsets (`start`, `end`, `*_start`, `*_end`) are `INT64`;
//! - `confidence` and `score` are `DOUBLE`;
//! - `published` is a `DATE` when the value is an ISO date (`YYYY-MM-DD`, optionally followed
//!   by a time, which is dropped), else null;
//! - everything else is a UTF-8 string.
//!
//! Every column is optional: an empty CSV cell is a null. Pages are Snappy-compressed; all
//! rows go into one row group per 64k rows.

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::parser::parse_message_type;

/// Rows per row group.
const ROW_GROUP: usize = 65_536;

/// The Parquet type of a column, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Int64,
    Double,
    Date,
    Utf8,
}

impl ColumnType {
    pub fn of(name: &str) -> ColumnType {
        if name == "start" || name == "end" || name.ends_with("_start") || name.ends_with("_end") {
            ColumnType::Int64
        } else if name == "confidence" || name == "score" {
            ColumnType::Double
        } else if name == "published" {
            ColumnType::Date
        } else {
            ColumnType::Utf8
        }
    }

    fn schema(self, name: &str) -> String {
        match self {
            ColumnType::Int64 => format!("OPTIONAL INT64 {name};"),
            ColumnType::Double => format!("OPTIONAL DOUBLE {name};"),
            ColumnType::Date => format!("OPTIONAL INT32 {name} (DATE);"),
            ColumnType::Utf8 => format!("OPTIONAL BYTE_ARRAY {name} (UTF8);"),
        }
    }
}

/// Days since 1970-01-01 of an ISO date (`2024-03-14`, `2024-03-14T09:30:00Z`).
pub fn days_since_epoch(s: &str) -> Option<i32> {
    let d = s.get(..10)?;
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = d[..4].parse().ok()?;
    let m: i64 = d[5..7].parse().ok()?;
    let day: i64 = d[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || day < 1 || day > month_days[(m - 1) as usize] {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    i32::try_from(era * 146_097 + doe - 719_468).ok()
}

/// Writes `rows` (each as long as `columns`) as one Parquet table named `name`.
pub fn write_table<W: Write + Send>(
    out: W,
    name: &str,
    columns: &[&str],
    rows: &[Vec<String>],
) -> Result<W> {
    let message = format!(
        "message {name} {{ {} }}",
        columns
            .iter()
            .map(|c| ColumnType::of(c).schema(c))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let schema = Arc::new(parse_message_type(&message).context("the Parquet schema")?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("whosaid {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(out, schema, props)?;
    for group in rows.chunks(ROW_GROUP) {
        let mut rg = writer.next_row_group()?;
        let mut k = 0;
        while let Some(mut col) = rg.next_column()? {
            let name = columns[k];
            let cells: Vec<&str> = group.iter().map(|r| r[k].as_str()).collect();
            match ColumnType::of(name) {
                ColumnType::Int64 => {
                    write_column::<Int64Type>(&mut col, &cells, |c| c.parse().ok())?
                }
                ColumnType::Double => {
                    write_column::<DoubleType>(&mut col, &cells, |c| c.parse().ok())?
                }
                ColumnType::Date => write_column::<Int32Type>(&mut col, &cells, days_since_epoch)?,
                ColumnType::Utf8 => write_column::<ByteArrayType>(&mut col, &cells, |c| {
                    (!c.is_empty()).then(|| ByteArray::from(c))
                })?,
            }
            col.close()?;
            k += 1;
        }
        rg.close()?;
    }
    Ok(writer.into_inner()?)
}

/// Writes one column: each cell parsed, a cell that does not parse (an empty one) a null.
fn write_column<T: DataType>(
    col: &mut SerializedColumnWriter<'_>,
    cells: &[&str],
    parse: impl Fn(&str) -> Option<T::T>,
) -> Result<()> {
    let mut def = Vec::with_capacity(cells.len());
    let values: Vec<T::T> = cells
        .iter()
        .filter_map(|c| {
            let v = parse(c);
            def.push(i16::from(v.is_some()));
            v
        })
        .collect();
    col.typed::<T>().write_batch(&values, Some(&def), None)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_the_epoch() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(days_since_epoch("2024-02-29T10:00:00Z"), Some(19_782));
        assert_eq!(days_since_epoch("2023-02-29"), None);
        assert_eq!(days_since_epoch("March 4"), None);
    }

    #[test]
    fn column_types_follow_the_names() {
        assert_eq!(ColumnType::of("start"), ColumnType::Int64);
        assert_eq!(ColumnType::of("cue_end"), ColumnType::Int64);
        assert_eq!(ColumnType::of("confidence"), ColumnType::Double);
        assert_eq!(ColumnType::of("published"), ColumnType::Date);
        assert_eq!(ColumnType::of("speaker"), ColumnType::Utf8);
    }

    #[test]
    fn a_table_starts_and_ends_with_the_parquet_magic() {
        let rows = vec![
            vec!["d1".to_string(), "3".to_string(), "".to_string()],
            vec!["".to_string(), "".to_string(), "2024-01-02".to_string()],
        ];
        let bytes =
            write_table(Vec::new(), "t", &["document", "start", "published"], &rows).unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    }
}
