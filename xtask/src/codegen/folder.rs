//! A folder as the generator's [`Sink`]: each file is compared with the one on disk as its text
//! arrives and written (through a temporary file, renamed into place) only when it differs, so
//! that an unchanged file keeps its modification time and nothing is held in memory.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use codegen::{FileWriter, Sink};

use super::FileOutcome;

/// Writes the files under `dir`, each shown as `shown/<path>`.
#[derive(Debug)]
pub(crate) struct FolderSink {
    dir: PathBuf,
    shown: String,
    outcomes: Mutex<Vec<(usize, String, FileOutcome)>>,
}

impl FolderSink {
    pub(crate) fn new(dir: &Path, shown: &str) -> Self {
        Self {
            dir: dir.to_path_buf(),
            shown: shown.to_owned(),
            outcomes: Mutex::new(Vec::new()),
        }
    }

    /// Each file closed, shown, with what happened to it, in the files' order.
    pub(crate) fn into_outcomes(self) -> Vec<(String, FileOutcome)> {
        let mut outcomes = self
            .outcomes
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        outcomes.sort_by_key(|(index, ..)| *index);
        outcomes
            .into_iter()
            .map(|(_, shown, outcome)| (shown, outcome))
            .collect()
    }
}

impl Sink for FolderSink {
    fn open(&self, index: usize, path: &str) -> Result<Box<dyn FileWriter + '_>, String> {
        let target = self.dir.join(path);
        let existing = match File::open(&target) {
            Ok(file) => Some(BufReader::new(file)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(format!("cannot read {}: {error}", target.display())),
        };
        let shown = if self.shown.is_empty() {
            path.to_owned()
        } else {
            format!("{}/{path}", self.shown)
        };
        Ok(Box::new(FolderFile {
            sink: self,
            index,
            shown,
            temporary: temporary_path(&target),
            target,
            existing,
            matched: 0,
            written: None,
            buffer: Vec::new(),
        }))
    }
}

/// `.NAME.xtask-new` beside `target`.
fn temporary_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.xtask-new"))
}

struct FolderFile<'a> {
    sink: &'a FolderSink,
    index: usize,
    shown: String,
    target: PathBuf,
    temporary: PathBuf,
    /// The file on disk while the text so far is the same as its start.
    existing: Option<BufReader<File>>,
    /// How many bytes of the file on disk the text so far is.
    matched: u64,
    /// Once the text differs: the new file being written.
    written: Option<BufWriter<File>>,
    buffer: Vec<u8>,
}

impl FolderFile<'_> {
    /// Starts the new file with the text so far (the first `matched` bytes of the file on disk).
    fn start_writing(&mut self) -> Result<&mut BufWriter<File>, String> {
        let error = |path: &Path, error: std::io::Error| {
            format!("cannot write {}: {error}", path.display())
        };
        if let Some(parent) = self.temporary.parent() {
            fs::create_dir_all(parent).map_err(|e| error(parent, e))?;
        }
        let file = File::create(&self.temporary).map_err(|e| error(&self.temporary, e))?;
        let mut writer = BufWriter::new(file);
        if self.matched > 0 {
            let mut same = File::open(&self.target)
                .map_err(|e| format!("cannot read {}: {e}", self.target.display()))?
                .take(self.matched);
            std::io::copy(&mut same, &mut writer).map_err(|e| error(&self.temporary, e))?;
        }
        self.existing = None;
        Ok(self.written.insert(writer))
    }

    /// Whether the file on disk goes on with `text`.
    fn goes_on_with(&mut self, text: &[u8]) -> Result<bool, String> {
        let Some(existing) = &mut self.existing else {
            return Ok(false);
        };
        self.buffer.resize(text.len(), 0);
        match existing.read_exact(&mut self.buffer) {
            Ok(()) => Ok(self.buffer == text),
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
            Err(error) => Err(format!("cannot read {}: {error}", self.target.display())),
        }
    }
}

impl FileWriter for FolderFile<'_> {
    fn write(&mut self, text: &str) -> Result<(), String> {
        if self.written.is_none() {
            if self.goes_on_with(text.as_bytes())? {
                self.matched += text.len() as u64;
                return Ok(());
            }
            self.start_writing()?;
        }
        let temporary = &self.temporary;
        match &mut self.written {
            Some(writer) => writer
                .write_all(text.as_bytes())
                .map_err(|error| format!("cannot write {}: {error}", temporary.display())),
            None => Ok(()),
        }
    }

    fn close(mut self: Box<Self>) -> Result<(), String> {
        if self.written.is_none() {
            let unchanged = match &mut self.existing {
                // Nothing after the text: the file is the same.
                Some(existing) => {
                    existing.read(&mut [0]).map_err(|error| {
                        format!("cannot read {}: {error}", self.target.display())
                    })? == 0
                }
                None => false,
            };
            if unchanged {
                self.record(FileOutcome::Unchanged);
                return Ok(());
            }
            self.start_writing()?;
        }
        if let Some(writer) = self.written.take() {
            let file = writer
                .into_inner()
                .map_err(|error| format!("cannot write {}: {error}", self.temporary.display()))?;
            drop(file);
        }
        fs::rename(&self.temporary, &self.target).map_err(|error| {
            format!(
                "cannot rename {} to {}: {error}",
                self.temporary.display(),
                self.target.display()
            )
        })?;
        self.record(FileOutcome::Written);
        Ok(())
    }
}

impl FolderFile<'_> {
    fn record(&self, outcome: FileOutcome) {
        self.sink
            .outcomes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((self.index, self.shown.clone(), outcome));
    }
}

impl Drop for FolderFile<'_> {
    /// A file not closed was not finished: its new text is removed, the file on disk kept.
    fn drop(&mut self) {
        if self.written.take().is_some() {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-folder-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// Writes `pieces` as the file `path` of a sink over `dir`: what happened to it.
    fn write(dir: &Path, path: &str, pieces: &[&str]) -> Vec<(String, FileOutcome)> {
        let sink = FolderSink::new(dir, "shown");
        let mut file = sink.open(0, path).unwrap_or_else(|error| panic!("{error}"));
        for piece in pieces {
            file.write(piece).unwrap_or_else(|error| panic!("{error}"));
        }
        file.close().unwrap_or_else(|error| panic!("{error}"));
        sink.into_outcomes()
    }

    fn outcome(path: &str, outcome: FileOutcome) -> Vec<(String, FileOutcome)> {
        vec![(format!("shown/{path}"), outcome)]
    }

    /// A new file is written; the same text again leaves it alone (its modification time too);
    /// a text that differs midway, is shorter or is longer is written, and no temporary file
    /// stays behind.
    #[test]
    fn files_are_written_only_when_they_differ() {
        let dir = scratch("differ");
        let path = dir.join("sub/a.rs");
        let read = || fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            write(&dir, "sub/a.rs", &["one\n", "two\n"]),
            outcome("sub/a.rs", FileOutcome::Written)
        );
        assert_eq!(read(), "one\ntwo\n");
        let modified = || fs::metadata(&path).and_then(|m| m.modified()).ok();
        let before = modified();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(
            write(&dir, "sub/a.rs", &["one\nt", "wo\n"]),
            outcome("sub/a.rs", FileOutcome::Unchanged)
        );
        assert_eq!(modified(), before);
        for text in [
            &["one\n", "three\n"][..],
            &["one\n"],
            &["one\n", "three\n", "four\n"],
        ] {
            assert_eq!(
                write(&dir, "sub/a.rs", text),
                outcome("sub/a.rs", FileOutcome::Written)
            );
            assert_eq!(read(), text.concat());
        }
        let names: Vec<String> = fs::read_dir(dir.join("sub"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(names, ["a.rs"]);
        let _ = fs::remove_dir_all(&dir);
    }

    /// A file dropped without being closed (the generation failed) leaves the file on disk as
    /// it was, and no temporary file.
    #[test]
    fn an_unfinished_file_changes_nothing() {
        let dir = scratch("unfinished");
        write(&dir, "a.rs", &["old\n"]);
        let sink = FolderSink::new(&dir, "");
        let mut file = sink
            .open(0, "a.rs")
            .unwrap_or_else(|error| panic!("{error}"));
        file.write("new\n")
            .unwrap_or_else(|error| panic!("{error}"));
        drop(file);
        assert_eq!(sink.into_outcomes(), []);
        assert_eq!(
            fs::read_to_string(dir.join("a.rs")).ok().as_deref(),
            Some("old\n")
        );
        assert!(!temporary_path(&dir.join("a.rs")).exists());
        let _ = fs::remove_dir_all(&dir);
    }
}
