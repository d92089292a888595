//! The shipped list's built index, kept on disk between runs.
//!
//! Importing the 25,921-entry snapshot and building its index costs about 0.1 s of CPU at every
//! start of a command or the app: more than `check` spends on a 100,000-row book without
//! screening. The index depends only on the list and on this build's normalisation and
//! weighting, so it is stored once in the user's cache folder, keyed by this executable (its
//! path, size and modification time: a rebuilt or reinstalled binary builds afresh), and read
//! back afterwards. Each build has its own file (the key is in its name), so a debug and a
//! release build, or two installed versions, do not keep replacing each other's; saving removes
//! all but the newest few.
//!
//! The file is a header (magic, format, key, payload length, CRC-32) followed by the index in
//! postcard. Anything that does not match — another build, a truncated or corrupted file, a
//! format this version does not read — is a miss: the index is built from the list, exactly as
//! without a cache, and the file replaced atomically. A cache folder that cannot be written
//! costs the build, never a failure. `DIFFUSION_DESK_INDEX_CACHE=off` turns the cache off.

use super::index::{FastMap, IndexedName, ScreeningIndex, Vocabulary};
use super::list::ScreeningList;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

const MAGIC: &[u8; 8] = b"DDSCRIDX";
/// Bump when the stored shape changes in a way the key would not notice.
const FORMAT: u32 = 1;
/// magic, format, key, payload length, CRC-32 of the payload.
const HEADER_LEN: usize = 8 + 4 + 8 + 8 + 4;
const FILE_PREFIX: &str = "screening-index-";
const FILE_SUFFIX: &str = ".bin";
/// Stored indexes kept per cache folder (this build's and the newest others).
const KEEP: usize = 3;

/// The shipped list's index: from the cache when this build stored one, else built (and
/// stored). Once per process.
pub fn shipped_index() -> Arc<ScreeningIndex> {
    static INDEX: OnceLock<Arc<ScreeningIndex>> = OnceLock::new();
    Arc::clone(INDEX.get_or_init(|| {
        let Some(store) = IndexStore::for_this_build() else {
            return Arc::new(build_shipped());
        };
        if let Ok(index) = store.load() {
            return Arc::new(index);
        }
        let index = build_shipped();
        // A cache that cannot be written only costs the next run a build.
        let _ = store.save(&index);
        Arc::new(index)
    }))
}

fn build_shipped() -> ScreeningIndex {
    ScreeningIndex::build(Arc::new(ScreeningList::embedded()))
}

/// Why a stored index was not used.
#[derive(Debug, thiserror::Error)]
pub enum Miss {
    #[error("no stored index: {0}")]
    Unreadable(#[source] std::io::Error),
    #[error("not a stored index of this format")]
    Format,
    #[error("stored by another build")]
    OtherBuild,
    #[error("the stored index is damaged")]
    Damaged,
}

/// One build's cache file and the key an index in it must carry.
#[derive(Debug, Clone)]
pub struct IndexStore {
    dir: PathBuf,
    path: PathBuf,
    key: u64,
}

impl IndexStore {
    /// The file in the user's cache folder for this executable; `None` when the cache is
    /// turned off or there is no cache folder or executable to key it by.
    pub fn for_this_build() -> Option<Self> {
        if std::env::var_os("DIFFUSION_DESK_INDEX_CACHE").is_some_and(|v| v == "off") {
            return None;
        }
        let dirs = directories::ProjectDirs::from("", "", "diffusion-desk")?;
        Some(Self::in_dir(dirs.cache_dir(), build_key()?))
    }

    /// The store for indexes carrying `key` in the folder `dir`.
    pub fn in_dir(dir: &Path, key: u64) -> Self {
        Self {
            dir: dir.to_path_buf(),
            path: dir.join(format!("{FILE_PREFIX}{key:016x}{FILE_SUFFIX}")),
            key,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored index, if the file holds one stored under this key, intact.
    pub fn load(&self) -> Result<ScreeningIndex, Miss> {
        let bytes = std::fs::read(&self.path).map_err(Miss::Unreadable)?;
        let (header, payload) = bytes.split_at_checked(HEADER_LEN).ok_or(Miss::Format)?;
        let field = |from: usize, len: usize| &header[from..from + len];
        if field(0, 8) != MAGIC || u32_at(field(8, 4)) != FORMAT {
            return Err(Miss::Format);
        }
        if u64_at(field(12, 8)) != self.key {
            return Err(Miss::OtherBuild);
        }
        let length_ok = usize::try_from(u64_at(field(20, 8))).is_ok_and(|n| n == payload.len());
        if !length_ok || crc32fast::hash(payload) != u32_at(field(28, 4)) {
            return Err(Miss::Damaged);
        }
        let parts: Parts = postcard::from_bytes(payload).map_err(|_| Miss::Damaged)?;
        Ok(ScreeningIndex::from_parts(
            Arc::new(parts.list),
            parts.vocab,
            parts.names,
            parts.postings,
            parts.exact,
            parts.compact,
        ))
    }

    /// Writes `index` under this store's key: to a temporary file in the same folder, then
    /// renamed over the old one, so a reader never sees half a file. Then removes the oldest
    /// other builds' files beyond [`KEEP`].
    pub fn save(&self, index: &ScreeningIndex) -> std::io::Result<()> {
        let payload = postcard::to_stdvec(&PartsRef::of(index)).map_err(std::io::Error::other)?;
        std::fs::create_dir_all(&self.dir)?;
        let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT.to_le_bytes());
        bytes.extend_from_slice(&self.key.to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        bytes.extend_from_slice(&payload);
        // Also clears what an interrupted save of this file left behind.
        crate::session::file::write_atomically(&self.path, &bytes)?;
        self.prune();
        Ok(())
    }

    /// Removes stored indexes beyond the newest [`KEEP`], never this build's. Best effort:
    /// another process may be doing the same.
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut others: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with(FILE_PREFIX) && name.ends_with(FILE_SUFFIX)
            })
            .map(|e| e.path())
            .filter(|p| *p != self.path)
            .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
            .collect();
        others.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
        for (_, old) in others.into_iter().skip(KEEP - 1) {
            let _ = std::fs::remove_file(old);
        }
    }
}

fn u32_at(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().expect("a 4-byte field"))
}

fn u64_at(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("an 8-byte field"))
}

/// This executable's identity: crate version, path, size and modification time. The shipped
/// list and the code that indexes it are inside the executable, so any change to either
/// changes the key.
fn build_key() -> Option<u64> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(exe.as_os_str().as_encoded_bytes());
    h.update(meta.len().to_le_bytes());
    h.update(modified.as_nanos().to_le_bytes());
    let digest = h.finalize();
    Some(u64::from_le_bytes(digest[..8].try_into().ok()?))
}

/// The index as stored, borrowed for writing; [`Parts`] reads the same shape back.
#[derive(Serialize)]
struct PartsRef<'a> {
    list: &'a ScreeningList,
    vocab: &'a Vocabulary,
    names: &'a [IndexedName],
    postings: &'a [Vec<u32>],
    exact: &'a FastMap<Box<str>, Vec<u32>>,
    compact: &'a FastMap<Box<str>, Vec<u32>>,
}

impl<'a> PartsRef<'a> {
    fn of(index: &'a ScreeningIndex) -> Self {
        Self {
            list: &index.list,
            vocab: &index.vocab,
            names: &index.names,
            postings: &index.postings,
            exact: &index.exact,
            compact: &index.compact,
        }
    }
}

#[derive(Deserialize)]
struct Parts {
    list: ScreeningList,
    vocab: Vocabulary,
    names: Vec<IndexedName>,
    postings: Vec<Vec<u32>>,
    exact: FastMap<Box<str>, Vec<u32>>,
    compact: FastMap<Box<str>, Vec<u32>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::CountryCode;
    use crate::screening::{DEFAULT_THRESHOLD, Match};

    fn shipped() -> &'static ScreeningIndex {
        static INDEX: OnceLock<ScreeningIndex> = OnceLock::new();
        INDEX.get_or_init(build_shipped)
    }

    /// Names that exercise exact, compact, fuzzy, embedded and country-corroborated matches.
    const PROBES: &[(&str, Option<&str>)] = &[
        ("Inspur Group", None),
        ("INSPUR GROUP CO LTD", Some("CN")),
        ("Hua Wei Technologies", None),
        ("Huawei Marine Networks", Some("CN")),
        ("Rosoboronexport", Some("RU")),
        ("Sugon Information Industry", None),
        ("Amsterdam Sub BV", Some("NL")),
        ("Inspurr Grop", None),
    ];

    fn results(index: &ScreeningIndex) -> Vec<Vec<Match>> {
        PROBES
            .iter()
            .map(|&(name, country)| {
                index.screen(
                    name,
                    country.and_then(CountryCode::parse),
                    DEFAULT_THRESHOLD,
                )
            })
            .collect()
    }

    #[test]
    fn a_stored_index_screens_exactly_as_the_built_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = IndexStore::in_dir(&dir.path().join("cache"), 42);
        store.save(shipped()).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.list(), shipped().list());
        assert_eq!(loaded.name_count(), shipped().name_count());
        assert_eq!(loaded.token_count(), shipped().token_count());
        let built = results(shipped());
        assert!(
            built.iter().filter(|m| !m.is_empty()).count() >= 5,
            "{built:?}"
        );
        assert_eq!(results(&loaded), built);
    }

    #[test]
    fn another_build_a_damaged_file_or_junk_is_a_miss_and_a_save_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = |key| IndexStore::in_dir(dir.path(), key);
        let path = store(1).path().to_path_buf();
        assert!(matches!(store(1).load(), Err(Miss::Unreadable(_))));
        store(1).save(shipped()).unwrap();
        // Another build's file, copied under this build's name.
        std::fs::copy(&path, store(2).path()).unwrap();
        assert!(matches!(store(2).load(), Err(Miss::OtherBuild)));
        std::fs::remove_file(store(2).path()).unwrap();

        let good = std::fs::read(&path).unwrap();
        let mut flipped = good.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x55;
        std::fs::write(&path, &flipped).unwrap();
        assert!(matches!(store(1).load(), Err(Miss::Damaged)));
        std::fs::write(&path, &good[..good.len() - 10]).unwrap();
        assert!(matches!(store(1).load(), Err(Miss::Damaged)));
        std::fs::write(&path, b"not an index").unwrap();
        assert!(matches!(store(1).load(), Err(Miss::Format)));

        store(1).save(shipped()).unwrap();
        assert!(store(1).load().is_ok());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the index file: {leftovers:?}");
    }

    #[test]
    fn builds_keep_their_own_files_and_saving_keeps_only_the_newest_few() {
        let dir = tempfile::tempdir().unwrap();
        let store = |key| IndexStore::in_dir(dir.path(), key);
        let age = |key: u64| {
            // Distinct modification times, oldest first, whatever the file system's resolution.
            let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(key * 1000);
            std::fs::File::options()
                .write(true)
                .open(store(key).path())
                .unwrap()
                .set_modified(when)
                .unwrap();
        };
        for key in 1..=4u64 {
            store(key).save(shipped()).unwrap();
            age(key);
        }
        store(5).save(shipped()).unwrap();
        let mut kept: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        kept.sort();
        let name = |key: u64| format!("screening-index-{key:016x}.bin");
        // Saving 5 removed 1 and 2: the oldest beyond the newest three, 5 included.
        assert_eq!(kept, vec![name(3), name(4), name(5)]);
        assert!(store(4).load().is_ok() && store(5).load().is_ok());

        // An old build saving again keeps its own file, however old the others are.
        store(1).save(shipped()).unwrap();
        assert!(store(1).load().is_ok());
    }

    #[test]
    fn a_cache_folder_that_cannot_be_made_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let store = IndexStore::in_dir(&blocker.join("sub"), 1);
        assert!(store.save(shipped()).is_err());
        assert!(store.load().is_err());
    }
}
