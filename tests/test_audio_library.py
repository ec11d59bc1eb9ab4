"""Song identification on synthetic music made in the test (no downloads)."""
import numpy as np
import pytest

from sigconv.audio import distort, synth
from sigconv.audio.library import Match, SongLibrary

SR = 22050
N_SONGS = 8          # in the library; two more are held out
DURATION = 40.0
SNIPPET = 5.0


@pytest.fixture(scope="module")
def songs():
    return synth.songs(N_SONGS + 2, duration=DURATION, sr=SR, seed=11)


@pytest.fixture(scope="module")
def library(songs):
    library = SongLibrary()
    for i, samples in enumerate(songs[:N_SONGS]):
        library.add(samples, sr=SR, song=f"song{i}")
    return library


def _cut(samples, start_s, length_s=SNIPPET, sr=SR):
    return samples[round(start_s * sr):round((start_s + length_s) * sr)]


@pytest.mark.parametrize(("song", "start"), [(0, 3.0), (3, 17.25), (5, 30.117), (7, 0.5)])
def test_clean_snippets_give_the_song_and_the_exact_offset(library, songs, song, start):
    match = library.identify(_cut(songs[song], start), SR)
    assert match.song == f"song{song}"
    assert abs(match.offset_s - start) <= 0.016      # one frame (typically under 5 ms)
    assert match.speed == 1.0 and match.confidence > 0.99 and match.score > 0.9


@pytest.mark.parametrize("name", sorted(distort.DISTORTIONS))
def test_distorted_snippets_give_the_song_and_the_offset_within_50_ms(library, songs, name):
    rng = np.random.default_rng(sorted(distort.DISTORTIONS).index(name))
    for song in (1, 6):
        start = float(rng.uniform(2, DURATION - SNIPPET - 2))
        piece = _cut(songs[song], start, SNIPPET + 0.3).astype(np.float64)
        distorted, sr = distort.DISTORTIONS[name](piece, SR, rng=rng)
        match = library.identify(distorted[:int(SNIPPET * sr)], sr)
        assert match.song == f"song{song}", (name, match)
        assert abs(match.offset_s - start) <= 0.050, (name, match)


# Past the intros: an intro of hi-hats and held chords at a tempo within 2% of
# a library song's can pass for it (song 8 at 4 s does: see docs/audio.md).
@pytest.mark.parametrize(("song", "start"), [
    (N_SONGS, 12.0), (N_SONGS, 21.0), (N_SONGS + 1, 12.0), (N_SONGS + 1, 21.0)])
def test_a_song_not_in_the_library_is_no_match(library, songs, song, start):
    match = library.identify(_cut(songs[song], start), SR)
    assert match.song is None and np.isnan(match.offset_s), match
    assert match.confidence < 0.5


def test_false_positives_are_rare_on_many_songs_not_in_the_library(library):
    others = synth.songs(12, duration=DURATION, sr=SR, seed=99)
    matches = [library.identify(_cut(samples, start), SR)
               for samples in others for start in (2.0, 9.0, 16.0, 23.0, 30.0)]
    assert sum(m.song is not None for m in matches) <= 1, matches     # 60 snippets


def test_save_and_load_give_identical_answers(library, songs, tmp_path):
    path = tmp_path / "library.npz"
    library.save(path)
    loaded = SongLibrary.load(path)
    assert loaded.songs == library.songs
    snippets = [_cut(songs[2], 11.0), _cut(songs[N_SONGS], 5.0)]
    for got, expected in zip(loaded.identify_many(snippets, SR),
                             library.identify_many(snippets, SR)):
        assert got.song == expected.song and got.score == expected.score
        np.testing.assert_array_equal([got.offset_s, got.confidence, got.speed],
                                      [expected.offset_s, expected.confidence, expected.speed])


def test_build_from_a_folder_names_songs_by_file(tmp_path, songs):
    from sigconv.audio.io import save

    for i in (0, 1):
        save(tmp_path / f"track {i}.wav", songs[i][:SR * 15], SR)
    (tmp_path / "notes.txt").write_text("not audio")
    library = SongLibrary.build(tmp_path)
    assert library.songs == ["track 0", "track 1"]
    assert library.identify(_cut(songs[1], 6.0), SR).song == "track 1"


def test_duration_is_the_songs_frames(library, songs):
    from sigconv.audio import features as F

    frames = [1 + (round(s.size * F.RATE / SR) - F.FRAME) // F.HOP for s in songs[:N_SONGS]]
    assert library.duration_s == pytest.approx(sum(frames) * F.HOP / F.RATE, abs=1e-9)
    assert abs(library.duration_s - N_SONGS * DURATION) < N_SONGS * F.FRAME / F.RATE


def test_match_is_a_value():
    assert Match("a", 1.0, 0.5, 0.9) == Match("a", 1.0, 0.5, 0.9, 1.0)


class TestBadInput:
    def test_empty_library(self):
        with pytest.raises(ValueError, match="library is empty"):
            SongLibrary().identify(np.ones(SR), SR)

    def test_silent_snippet(self, library):
        with pytest.raises(ValueError, match="silent"):
            library.identify(np.full(5 * SR, 0.25), SR)

    def test_snippet_too_short(self, library, songs):
        with pytest.raises(ValueError, match="too short"):
            library.identify(songs[0][:SR // 4], SR)

    def test_snippet_longer_than_every_song(self, library, songs):
        with pytest.raises(ValueError, match="longer than every song"):
            library.identify(np.tile(songs[0], 2), SR)

    @pytest.mark.parametrize(("snippet", "error", "pattern"), [
        (np.array(["a", "b"]), TypeError, "snippet must be audio samples"),
        (np.zeros((2, 2, 2)), ValueError, "snippet must be 1-D"),
        (np.array([]), ValueError, "snippet is empty"),
        (np.r_[np.ones(SR), np.nan], ValueError, "snippet contains NaN"),
    ])
    def test_bad_samples(self, library, snippet, error, pattern):
        with pytest.raises(error, match=pattern):
            library.identify(snippet, SR)

    @pytest.mark.parametrize("sr", [0, -8000, np.nan])
    def test_bad_rate(self, library, songs, sr):
        with pytest.raises(ValueError, match="sr must be"):
            library.identify(songs[0][:5 * SR], sr)
        with pytest.raises(ValueError, match="sr must be"):
            SongLibrary().add(songs[0], sr=sr)

    def test_samples_without_a_rate(self):
        with pytest.raises(ValueError, match="sr is required"):
            SongLibrary().add(np.ones(SR))

    def test_duplicate_song(self, songs):
        library = SongLibrary().add(songs[0], sr=SR, song="a")
        with pytest.raises(ValueError, match="already holds a song 'a'"):
            library.add(songs[1], sr=SR, song="a")

    def test_missing_and_corrupt_library_files(self, tmp_path, library):
        with pytest.raises(FileNotFoundError, match="no song library"):
            SongLibrary.load(tmp_path / "missing.npz")
        bad = tmp_path / "bad.npz"
        bad.write_bytes(b"PK\x03\x04 definitely not a library")
        with pytest.raises(ValueError, match="not a sigconv song library"):
            SongLibrary.load(bad)
        np.savez(bad, weights=np.ones(3))                   # an .npz of something else
        with pytest.raises(ValueError, match="not a readable sigconv song library"):
            SongLibrary.load(bad)
        bad.write_bytes(np.random.default_rng(0).bytes(500))
        with pytest.raises(ValueError, match="not a sigconv song library") as caught:
            SongLibrary.load(bad)
        assert "allow_pickle" not in str(caught.value)

    @pytest.mark.parametrize("content", [b"", b"not audio at all"])
    def test_unreadable_or_empty_file_when_building(self, tmp_path, songs, content):
        from sigconv.audio.io import save

        save(tmp_path / "good.wav", songs[0][:SR * 15], SR)
        (tmp_path / "bad.wav").write_bytes(content)
        with pytest.raises(ValueError, match="bad.wav"):
            SongLibrary.build(tmp_path)

    def test_two_files_with_one_name(self, tmp_path, songs):
        from sigconv.audio.io import save

        for ext in ("wav", "flac"):
            save(tmp_path / f"same.{ext}", songs[0][:SR * 15], SR)
        with pytest.raises(ValueError, match=r"already holds a song 'same' \(from .*same\."):
            SongLibrary.build(tmp_path)

    def test_save_never_leaves_a_half_written_file(self, tmp_path, library, monkeypatch):
        path = tmp_path / "library.npz"
        library.save(path)
        before = path.read_bytes()

        def failing_savez(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(np, "savez", failing_savez)
        with pytest.raises(OSError, match="disk full"):
            library.save(path)
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["library.npz"]

    def test_no_audio_files_in_a_folder(self, tmp_path):
        with pytest.raises(ValueError, match="no audio files"):
            SongLibrary.build(tmp_path)


def test_saving_an_empty_library_is_refused(tmp_path):
    with pytest.raises(ValueError, match="the library is empty: add songs before saving"):
        SongLibrary().save(tmp_path / "empty.sigconv")
    assert not (tmp_path / "empty.sigconv").exists()


def test_band_matrix_cache_is_read_only():
    from sigconv.audio import features

    with pytest.raises(ValueError, match="read-only"):
        features.band_matrix()[0, 0] = 1.0
