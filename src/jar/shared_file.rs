//! A `Read + Seek` over one open file that is cheap to clone: each clone keeps its own position
//! and read-ahead buffer and reads with positioned reads, so threads can read entries of one JAR
//! without reopening it or sharing a cursor.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::Arc;

const READ_AHEAD: usize = 16 * 1024;

#[derive(Debug)]
pub struct SharedFile {
    file: Arc<File>,
    len: u64,
    /// Bytes the file occupies on disk (a sparse file's apparent length can be far more).
    on_disk: u64,
    pos: u64,
    buf: Vec<u8>,
    buf_start: u64,
}

impl SharedFile {
    pub fn new(file: File) -> io::Result<Self> {
        let metadata = file.metadata()?;
        let len = metadata.len();
        #[cfg(unix)]
        let on_disk = {
            use std::os::unix::fs::MetadataExt;
            len.min(metadata.blocks().saturating_mul(512))
        };
        #[cfg(not(unix))]
        let on_disk = len;
        Ok(SharedFile {
            file: Arc::new(file),
            len,
            on_disk,
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
        })
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    /// Bytes really stored: budgets grow with this, never with a sparse file's holes.
    pub fn on_disk(&self) -> u64 {
        self.on_disk
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn read_at(&self, out: &mut [u8], offset: u64) -> io::Result<usize> {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_at(&*self.file, out, offset)
        }
        #[cfg(windows)]
        {
            std::os::windows::fs::FileExt::seek_read(&*self.file, out, offset)
        }
    }

    fn buffered(&self) -> Option<&[u8]> {
        let start = self.pos.checked_sub(self.buf_start)?;
        let start = usize::try_from(start).ok()?;
        self.buf.get(start..).filter(|rest| !rest.is_empty())
    }
}

/// A clone starts with an empty buffer: copying read-ahead data would cost more than it saves.
impl Clone for SharedFile {
    fn clone(&self) -> Self {
        SharedFile {
            file: Arc::clone(&self.file),
            len: self.len,
            on_disk: self.on_disk,
            pos: self.pos,
            buf: Vec::new(),
            buf_start: 0,
        }
    }
}

impl Read for SharedFile {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() || self.pos >= self.len {
            return Ok(0);
        }
        if self.buffered().is_none() {
            if out.len() >= READ_AHEAD {
                let n = self.read_at(out, self.pos)?;
                self.pos += n as u64;
                return Ok(n);
            }
            self.buf.resize(READ_AHEAD, 0);
            let mut buf = std::mem::take(&mut self.buf);
            let n = self.read_at(&mut buf, self.pos);
            self.buf = buf;
            let n = n?;
            self.buf.truncate(n);
            self.buf_start = self.pos;
            if n == 0 {
                return Ok(0);
            }
        }
        let available = self.buffered().unwrap_or(&[]);
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, target: SeekFrom) -> io::Result<u64> {
        let new_pos = match target {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = new_pos.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )
        })?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn clones_read_independently_across_buffer_boundaries() {
        let mut tmp = tempfile::tempfile().unwrap();
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        tmp.write_all(&data).unwrap();
        let mut a = SharedFile::new(tmp).unwrap();
        let mut b = a.clone();
        a.seek(SeekFrom::Start(READ_AHEAD as u64 - 3)).unwrap();
        let mut chunk = [0u8; 10];
        a.read_exact(&mut chunk).unwrap();
        assert_eq!(&chunk[..], &data[READ_AHEAD - 3..READ_AHEAD + 7]);
        let mut all = Vec::new();
        b.read_to_end(&mut all).unwrap();
        assert_eq!(all, data);
        assert_eq!(b.seek(SeekFrom::End(-1)).unwrap(), 99_999);
        assert!(b.seek(SeekFrom::Current(-200_000)).is_err());
    }
}
