//! Where formatted files go as they are written: the [`Sink`] a caller gives
//! [`crate::generate_into`], a sink that keeps them in memory, and one that compares them with
//! files already written.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::GeneratedFile;

/// Where generated files go as they are formatted. Files are opened in their fixed order within
/// each half of the output, and the two halves may be written on two threads at once: `index`
/// is a file's place in the fixed order of all the files (sorting by it gives the order of
/// [`crate::Generated::files`]). Each file is written and closed by the thread that opened it.
pub trait Sink: Sync {
    /// Opens the file `path` (relative to the crate's `src/`), the `index`th of the output.
    fn open(&self, index: usize, path: &str) -> Result<Box<dyn FileWriter + '_>, String>;
}

/// One file being written: its text arrives piece by piece, then it is closed. A file dropped
/// without being closed was not finished (the generation failed): the sink discards it.
pub trait FileWriter {
    /// Appends `text` to the file.
    fn write(&mut self, text: &str) -> Result<(), String>;
    /// The file is complete.
    fn close(self: Box<Self>) -> Result<(), String>;
}

/// Keeps every file in memory: what [`crate::generate`] returns.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Vec<(usize, GeneratedFile)>>,
}

impl MemorySink {
    pub fn new() -> Self {
        Self::default()
    }

    /// The files closed, in their fixed order.
    pub fn into_files(self) -> Vec<GeneratedFile> {
        let mut files = self
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        files.sort_by_key(|(index, _)| *index);
        files.into_iter().map(|(_, file)| file).collect()
    }
}

impl Sink for MemorySink {
    fn open(&self, index: usize, path: &str) -> Result<Box<dyn FileWriter + '_>, String> {
        Ok(Box::new(MemoryFile {
            sink: self,
            index,
            file: GeneratedFile {
                path: path.to_owned(),
                contents: String::new(),
            },
        }))
    }
}

struct MemoryFile<'a> {
    sink: &'a MemorySink,
    index: usize,
    file: GeneratedFile,
}

impl FileWriter for MemoryFile<'_> {
    fn write(&mut self, text: &str) -> Result<(), String> {
        self.file.contents.push_str(text);
        Ok(())
    }

    fn close(self: Box<Self>) -> Result<(), String> {
        let Self { sink, index, file } = *self;
        sink.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((index, file));
        Ok(())
    }
}

/// What is there now for a path: its text, `None` when there is no such file, or why it cannot
/// be read.
type ReadCurrent<'a> = dyn Fn(&str) -> Result<Option<String>, String> + Sync + 'a;

/// Compares each file as it is written with the file already there (`--check`), holding the
/// current text of the files being written and nothing of the others: only the first file that
/// differs (in the fixed order) keeps its generated text, for a diff.
pub struct CompareSink<'a> {
    /// What is there now for a path: its text, `None` when there is no such file, or why it
    /// cannot be read.
    read: Box<ReadCurrent<'a>>,
    /// The lowest index of a file found to differ so far (`usize::MAX`: none).
    first: AtomicUsize,
    /// The files found to differ: index, path, and the texts while it may be the first.
    differing: Mutex<Vec<(usize, String, Option<Differs>)>>,
}

impl std::fmt::Debug for CompareSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompareSink")
            .field("first", &self.first)
            .field("differing", &self.differing)
            .finish_non_exhaustive()
    }
}

/// What comparing found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// The files that differ from what is there (or are not there), in their fixed order.
    pub differing: Vec<String>,
    /// The first of them with both texts.
    pub first: Option<Differs>,
}

/// A file that differs from what is there, with both texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Differs {
    pub path: String,
    /// What is there now; `None` when there is no such file.
    pub current: Option<String>,
    /// What was generated.
    pub generated: String,
}

impl<'a> CompareSink<'a> {
    /// Compares with what `read` gives for each path: its text, `None` when there is no such
    /// file, or why it cannot be read.
    pub fn new(read: impl Fn(&str) -> Result<Option<String>, String> + Sync + 'a) -> Self {
        Self {
            read: Box::new(read),
            first: AtomicUsize::new(usize::MAX),
            differing: Mutex::new(Vec::new()),
        }
    }

    /// The files that differ, the first with its texts.
    pub fn into_comparison(self) -> Comparison {
        let mut differing = self
            .differing
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        differing.sort_by_key(|(index, ..)| *index);
        let first = differing.first_mut().and_then(|(_, _, texts)| texts.take());
        Comparison {
            differing: differing.into_iter().map(|(_, path, _)| path).collect(),
            first,
        }
    }

    /// Whether a file at `index` that differs keeps its generated text: no file before it is
    /// known to differ.
    fn keeps(&self, index: usize) -> bool {
        index <= self.first.load(Ordering::Relaxed)
    }
}

impl Sink for CompareSink<'_> {
    fn open(&self, index: usize, path: &str) -> Result<Box<dyn FileWriter + '_>, String> {
        let current = (self.read)(path)?;
        let mut file = ComparedFile {
            sink: self,
            index,
            path: path.to_owned(),
            current,
            matched: 0,
            differs: false,
            generated: None,
        };
        if file.current.is_none() {
            file.differ("");
        }
        Ok(Box::new(file))
    }
}

struct ComparedFile<'a> {
    sink: &'a CompareSink<'a>,
    index: usize,
    path: String,
    current: Option<String>,
    /// How many bytes of `current` the text so far is.
    matched: usize,
    differs: bool,
    /// Once the file differs: the generated text so far, if this file may be the first.
    generated: Option<String>,
}

impl ComparedFile<'_> {
    /// The text so far and `text` differ from the current one.
    fn differ(&mut self, text: &str) {
        self.differs = true;
        self.sink.first.fetch_min(self.index, Ordering::Relaxed);
        if self.sink.keeps(self.index) {
            let current = self.current.as_deref().unwrap_or_default();
            let mut generated = current.get(..self.matched).unwrap_or_default().to_owned();
            generated.push_str(text);
            self.generated = Some(generated);
        }
    }
}

impl FileWriter for ComparedFile<'_> {
    fn write(&mut self, text: &str) -> Result<(), String> {
        if self.differs {
            if !self.sink.keeps(self.index) {
                // A file before this one differs: this one's text is not needed.
                self.generated = None;
            }
            if let Some(generated) = &mut self.generated {
                generated.push_str(text);
            }
            return Ok(());
        }
        let current = self.current.as_deref().unwrap_or_default();
        let rest = current.as_bytes().get(self.matched..).unwrap_or_default();
        if rest.starts_with(text.as_bytes()) {
            self.matched += text.len();
        } else {
            self.differ(text);
        }
        Ok(())
    }

    fn close(mut self: Box<Self>) -> Result<(), String> {
        let whole = self.current.as_ref().map(String::len);
        if !self.differs && whole != Some(self.matched) {
            self.differ("");
        }
        if !self.differs {
            return Ok(());
        }
        let texts = match self.generated {
            Some(generated) if self.sink.keeps(self.index) => Some(Differs {
                path: self.path.clone(),
                current: self.current,
                generated,
            }),
            _ => None,
        };
        let mut differing = self
            .sink
            .differing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // Only the first file's texts are kept.
        for (index, _, texts) in differing.iter_mut() {
            if *index > self.index {
                *texts = None;
            }
        }
        differing.push((self.index, self.path, texts));
        Ok(())
    }
}
