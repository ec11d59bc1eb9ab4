"""sigconv.dask.fit_many (panels on dask DataFrames), compute_partitions on a real
distributed cluster, and SongLibrary.build / identify_many with a client.

Every fit is checked against the in-memory fit of the same series
(sigconv.fit_ar, sigconv.ARIMA).  The cluster tests run a real LocalCluster of
worker processes on the loopback interface, shared by a module fixture.
"""
import math
import os
import threading
import time

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import sigconv
from sigconv.arima import ARIMA
from sigconv.dask import PartitionError, compute_partitions, fit_many


# ---------------------------------------------------------------- data
def _series(rng, n, kind):
    noise = rng.normal(size=n + 50)
    if kind == "ar2":
        phi = [rng.uniform(0.2, 0.6), rng.uniform(-0.4, 0.1)]
        x = sigconv.recursive_filter(noise, phi)
    else:                                         # ARMA(1, 1)
        u = noise.copy()
        u[1:] += rng.uniform(-0.5, 0.5) * noise[:-1]
        x = sigconv.recursive_filter(u, [rng.uniform(-0.7, 0.7)])
    return x[50:] + rng.normal(scale=3.0)


def long_panel(n_series, seed, *, kind="ar2", lengths=(60, 160)):
    """``(frame, {id: values})``: a long panel, rows in time order per series."""
    rng = np.random.default_rng(seed)
    series = {f"s{k:03d}": _series(rng, int(rng.integers(*lengths)), kind)
              for k in range(n_series)}
    frame = pd.concat([pd.DataFrame({"id": key, "t": np.arange(x.size), "y": x})
                       for key, x in series.items()], ignore_index=True)
    return frame, series


def assert_ar_rows(table, series, order, **options):
    for key, x in series.items():
        expected = sigconv.fit_ar(x, order, **options)
        row = table.loc[key]
        assert row["status"] == "ok", row["error"]
        params = expected.params
        np.testing.assert_allclose(row[params.index].to_numpy(float), params.to_numpy(),
                                   rtol=0, atol=1e-10)
        assert row["nobs"] == x.size and row["order"] == expected.order
        assert math.isclose(row["llf"], expected.llf, rel_tol=1e-12)


# ---------------------------------------------------------------- local fits
def test_long_ar_equals_in_memory_fits():
    frame, series = long_panel(30, 0)
    shuffled = frame.sample(frac=1.0, random_state=1)           # order comes from "t"
    lazy = fit_many(dd.from_pandas(shuffled, npartitions=4), by="id", time="t", order=2)
    table = lazy.compute(scheduler="synchronous")
    assert sorted(table.index) == sorted(series) and table.index.name == "id"
    assert list(table.columns[:4]) == ["const", "ar.L1", "ar.L2", "sigma2"]
    assert_ar_rows(table, series, 2)
    # The lazy result's meta is what compute returns.
    assert list(lazy.columns) == list(table.columns)
    assert lazy._meta.dtypes.equals(table.dtypes)


def test_row_order_without_time_column_survives_the_shuffle():
    frame, series = long_panel(12, 1)
    ddf = dd.from_pandas(frame, npartitions=7, sort=False)     # series span partitions
    lazy = fit_many(ddf, by="id", value="y", order=2, method="burg")
    table = lazy.compute(scheduler="synchronous")
    assert_ar_rows(table, series, 2, method="burg")


def test_information_criteria_follow_the_likelihood():
    frame, series = long_panel(5, 2)
    table = fit_many(frame, by="id", time="t", order=2, method="mle")
    for key, x in series.items():
        result = sigconv.fit_ar(x, 2, method="mle")
        k, n = 4, x.size                                   # const, ar.L1, ar.L2, sigma2
        row = table.loc[key]
        assert math.isclose(row["aic"], -2 * result.llf + 2 * k, rel_tol=1e-12)
        assert math.isclose(row["bic"], -2 * result.llf + k * math.log(n), rel_tol=1e-12)
        assert math.isclose(row["aicc"], row["aic"] + 2 * k * (k + 1) / (n - k - 1),
                            rel_tol=1e-12)
        assert math.isclose(row["hqic"], -2 * result.llf + 2 * k * math.log(math.log(n)),
                            rel_tol=1e-12)


def test_order_selection_fills_columns_up_to_max_order():
    frame, series = long_panel(8, 3)
    table = fit_many(dd.from_pandas(frame, npartitions=3), by="id", time="t", max_order=5,
                     ic="bic").compute(scheduler="synchronous")
    assert [c for c in table.columns if c.startswith("ar.L")] == [f"ar.L{j}" for j in
                                                                  range(1, 6)]
    for key, x in series.items():
        expected = sigconv.fit_ar(x, max_order=5, ic="bic")
        row = table.loc[key]
        assert row["order"] == expected.order
        np.testing.assert_allclose(row[[f"ar.L{j}" for j in range(1, expected.order + 1)]]
                                   .to_numpy(float), expected.coef, rtol=0, atol=1e-10)
        assert row[[f"ar.L{j}" for j in range(expected.order + 1, 6)]].isna().all()


def test_arima_and_forecasts_equal_in_memory_fits():
    frame, series = long_panel(10, 4, kind="arma", lengths=(120, 200))
    lazy = fit_many(dd.from_pandas(frame, npartitions=3), "arima", by="id", time="t",
                    order=(1, 0, 1), h=3, level=(80, 95))
    table = lazy.compute(scheduler="synchronous")
    assert lazy._meta.dtypes.equals(table.dtypes)
    for key, x in series.items():
        result = ARIMA((1, 0, 1)).fit(x)
        row = table.loc[key]
        assert row["status"] == "ok" and row["converged"] == result.converged
        np.testing.assert_allclose(row[result.params.index].to_numpy(float),
                                   result.params.to_numpy(), rtol=1e-8, atol=1e-10)
        for name in ("llf", "aic", "aicc", "bic"):
            assert math.isclose(row[name], getattr(result, name), rel_tol=1e-9)
        assert row["nobs"] == result.nobs
        forecast = result.forecast(3, (80, 95))
        for j in range(1, 4):
            assert math.isclose(row[f"forecast_{j}"], forecast["mean"].iloc[j - 1],
                                rel_tol=1e-8, abs_tol=1e-10)
            assert math.isclose(row[f"upper_95_{j}"], forecast["upper_95"].iloc[j - 1],
                                rel_tol=1e-8, abs_tol=1e-10)


def test_seasonal_arima_columns():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"id": np.repeat(["a", "b"], 96), "y": rng.normal(size=192)})
    table = fit_many(frame, "arima", by="id", order=(1, 0, 0),
                     seasonal_order=(1, 0, 0, 12), method="css")
    assert list(table.columns[:4]) == ["const", "ar.L1", "ar.S.L12", "sigma2"]
    assert table["aic"].isna().all()                       # css: no likelihood (as R)
    expected = ARIMA((1, 0, 0), (1, 0, 0, 12), method="css").fit(frame.y[:96].to_numpy())
    np.testing.assert_allclose(table.loc["a", expected.params.index].to_numpy(float),
                               expected.params.to_numpy(), rtol=1e-8)


def test_wide_frame_fits_every_column():
    _, series = long_panel(6, 6, lengths=(150, 151))
    wide = pd.DataFrame({key: x for key, x in series.items()})
    lazy = fit_many(dd.from_pandas(wide, npartitions=4), order=2, h=2)
    table = lazy.compute(scheduler="synchronous")
    assert table.index.name == "series" and sorted(table.index) == sorted(series)
    assert_ar_rows(table, series, 2)
    in_process = fit_many(wide, order=2, h=2)
    assert list(in_process.index) == list(wide.columns)           # column order
    pd.testing.assert_frame_equal(table.sort_index(), in_process.sort_index(), rtol=1e-12)
    forecast = sigconv.fit_ar(series["s002"], 2).forecast(2)
    assert math.isclose(table.loc["s002", "forecast_2"], forecast["mean"].iloc[1],
                        rel_tol=1e-12)


def test_pandas_input_gives_the_dask_output():
    frame, _ = long_panel(9, 7)
    eager = fit_many(frame, by="id", value="y", order=1)
    lazy = fit_many(dd.from_pandas(frame, npartitions=3), by="id", value="y", order=1)
    # the ids keep their column's dtype: dask stores strings as pyarrow strings
    pd.testing.assert_frame_equal(lazy.compute(scheduler="synchronous").sort_index(), eager,
                                  check_index_type=False)


def test_by_may_name_the_index():
    frame, series = long_panel(4, 8)
    table = fit_many(dd.from_pandas(frame.set_index("id"), npartitions=2), by="id",
                     value="y", order=2).compute(scheduler="synchronous")
    assert_ar_rows(table, series, 2)


def test_failing_series_report_their_error_and_the_rest_are_fitted():
    frame, series = long_panel(6, 9)
    bad = pd.DataFrame({"id": ["short"] * 3 + ["flat"] * 50 + ["gap"] * 40,
                        "t": np.r_[0:3, 0:50, 0:40],
                        "y": np.r_[[1.0, 2.0, 0.5], np.full(50, 4.0),
                                   np.where(np.arange(40) == 20, np.nan, np.arange(40) % 7)]})
    frame = pd.concat([frame, bad], ignore_index=True)
    table = fit_many(dd.from_pandas(frame, npartitions=3), by="id", time="t",
                     order=2).compute(scheduler="synchronous")
    assert_ar_rows(table.drop(index=["short", "flat", "gap"]), series, 2)
    errors = table.loc[["short", "flat", "gap"]]
    assert (errors["status"] == "error").all()
    assert errors[["const", "ar.L1", "sigma2", "aic"]].isna().all().all()
    assert errors["nobs"].isna().all()
    assert "at least order + 2 = 4 samples" in errors.loc["short", "error"]
    assert "constant" in errors.loc["flat", "error"]
    assert "NaN" in errors.loc["gap", "error"]
    assert table.loc[list(series), "error"].isna().all()


def test_duplicate_times_are_an_error_of_that_series():
    frame = pd.DataFrame({"id": ["a"] * 30 + ["b"] * 30, "t": np.r_[0:30, [0] * 30],
                          "y": np.random.default_rng(0).normal(size=60)})
    table = fit_many(frame, by="id", time="t", order=1)
    assert table.loc["a", "status"] == "ok" and table.loc["b", "status"] == "error"
    assert "time 0 occurs more than once" in table.loc["b", "error"]


def test_nan_drop_is_passed_to_the_fits():
    x = sigconv.recursive_filter(np.random.default_rng(3).normal(size=100), [0.5])
    x[:4] = np.nan
    frame = pd.DataFrame({"id": "a", "y": x})
    table = fit_many(frame, by="id", order=1, nan="drop")
    assert table.loc["a", "nobs"] == 96
    assert math.isclose(table.loc["a", "ar.L1"], sigconv.fit_ar(x[4:], 1).coef[0],
                        rel_tol=1e-12)


# ---------------------------------------------------------------- bad input
@pytest.fixture(scope="module")
def ddf():
    frame, _ = long_panel(4, 10)
    return dd.from_pandas(frame.assign(label="x"), npartitions=2)


@pytest.mark.parametrize("call, error, message", [
    ({"by": "series"}, ValueError,
     r"by='series' is not a column of data; its columns are \['id', 't', 'y', 'label'\]"),
    ({"by": "id", "time": "when"}, ValueError, "time='when' is not a column"),
    ({"by": "id", "value": "z"}, ValueError, "value='z' is not a column"),
    ({"by": "id", "value": "label"}, TypeError, "value column 'label' must be numeric"),
    ({"by": "id"}, ValueError, r"numeric candidates besides by and time: \['t', 'y'\]"),
    ({"by": "id", "value": "y", "model": "garch"}, ValueError,
     "model must be one of 'ar', 'arima'; got 'garch'"),
    ({"by": "id", "value": "y", "method": "magic"}, ValueError, "method must be one of"),
    ({"by": "id", "value": "y", "order": 2, "maxiter": 3}, TypeError,
     r"unknown option\(s\) \['maxiter'\]"),
    ({"by": "id", "value": "y", "model": "arima", "order": None}, ValueError,
     r"needs order=\(p, d, q\)"),
    ({"by": "id", "value": "y", "model": "arima", "order": (1, 0, 0),
      "seasonal_order": (1, 0, 0)}, ValueError, "must give the season length s"),
    ({"by": "id", "value": "y", "order": None}, ValueError, "give max_order too"),
    ({"by": "id", "value": "y", "order": -1}, ValueError, "order must be an integer >= 0"),
    ({"by": "id", "value": "y", "order": 1, "h": -1}, ValueError, "h must be an integer >= 0"),
    ({"by": "id", "value": "y", "order": 1, "level": 120}, ValueError, "level"),
    ({"order": 1}, TypeError, r"wide frame .* must be numeric; not: \['id', 'label'\]"),
])
def test_bad_input_is_refused_before_computing(ddf, call, error, message):
    with pytest.raises(error, match=message):
        fit_many(ddf, **{"order": 1, **call})


def test_data_must_be_a_dataframe():
    with pytest.raises(TypeError, match="data must be a dask or pandas DataFrame"):
        fit_many(np.zeros((10, 2)), order=1)
    with pytest.raises(TypeError, match="frame must be a dask DataFrame"):
        compute_partitions(pd.DataFrame({"x": [1]}), client=None)


# ---------------------------------------------------------------- a real cluster
def _cluster():
    # The scheduler serves HTTP (health, metrics) even without a dashboard, by
    # default on port 8787: a free loopback port instead, so that two clusters
    # (or another test run) never collide.
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address=None,
                                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})


@pytest.fixture(scope="module")
def client():
    # For test_a_worker_dying_names_its_partition: a task whose worker dies fails
    # at once (KilledWorker) rather than killing three more workers first, and
    # a worker holds one task at a time, so that only the doomed one dies with it.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0,
                          "distributed.scheduler.worker-saturation": 1.0}):
        cluster = _cluster()
    # not the default client: every call must use the client it is given
    with cluster, distributed.Client(cluster, set_as_default=False) as client:
        yield client


def test_acceptance_panel_of_200_series_on_a_local_cluster(client):
    frame, series = long_panel(200, 11)
    ddf = dd.from_pandas(frame.sample(frac=1.0, random_state=0), npartitions=8)
    table = fit_many(ddf, by="id", time="t", order=2, h=1, client=client)
    assert isinstance(table, pd.DataFrame) and len(table) == 200
    assert (table["status"] == "ok").all()
    assert_ar_rows(table, series, 2)
    # the lazy result computed by Dask's own client.compute is the same table
    lazy = fit_many(ddf, by="id", time="t", order=2, h=1)
    pd.testing.assert_frame_equal(client.compute(lazy).result().sort_index(),
                                  table.sort_index())


def test_arima_and_pandas_input_on_a_local_cluster(client):
    frame, _ = long_panel(12, 12, kind="arma", lengths=(100, 140))
    table = fit_many(frame, "arima", by="id", time="t", order=(1, 0, 1), client=client)
    pd.testing.assert_frame_equal(table.sort_index(),
                                  fit_many(frame, "arima", by="id", time="t", order=(1, 0, 1)),
                                  rtol=1e-10, check_index_type=False)


# ---------------------------------------------------------------- audio on a cluster
@pytest.fixture(scope="module")
def song_folder(tmp_path_factory):
    from sigconv.audio import save, synth

    folder = tmp_path_factory.mktemp("songs")
    songs = synth.songs(4, duration=8.0, sr=8000, seed=3)
    for i, samples in enumerate(songs):
        save(folder / f"track{i}.wav", samples, 8000)
    return folder, songs


def test_song_library_build_with_a_client_equals_the_serial_build(client, song_folder):
    from sigconv.audio import SongLibrary

    folder, _ = song_folder
    serial = SongLibrary.build(folder)
    parallel = SongLibrary.build(folder, client=client)
    assert parallel.songs == serial.songs == [f"track{i}" for i in range(4)]
    for a, b in zip(parallel._parts, serial._parts):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_identify_many_with_a_client_equals_serial(client, song_folder):
    from sigconv.audio import SongLibrary

    folder, songs = song_folder
    library = SongLibrary.build(folder)
    snippets = [songs[i][8000 * (i + 1):8000 * (i + 5)] for i in range(4)]
    snippets.append(np.random.default_rng(0).normal(size=8000 * 4))       # no match
    serial = library.identify_many(snippets, 8000)
    parallel = library.identify_many(snippets, 8000, client=client)
    assert [m.song for m in serial] == ["track0", "track1", "track2", "track3", None]
    assert repr(parallel) == repr(serial)          # NaN offsets: compare the text
    with pytest.raises(ValueError, match="snippet is silent"):
        library.identify_many([np.zeros(8000 * 4)], 8000, client=client)


def test_build_with_a_client_refuses_duplicate_ids_before_any_work(client, tmp_path,
                                                                   song_folder):
    from sigconv.audio import SongLibrary

    folder, _ = song_folder
    (tmp_path / "track0.wav").write_bytes((folder / "track0.wav").read_bytes())
    with pytest.raises(ValueError, match="already holds a song 'track0'"):
        SongLibrary.build([folder / "track0.wav", tmp_path / "track0.wav"], client=client)
    (tmp_path / "bad.wav").write_bytes(b"not audio at all")
    with pytest.raises(ValueError, match="bad.wav"):       # the client's path, not the copy
        SongLibrary.build([tmp_path / "bad.wav"], client=client)


# ---------------------------------------------------------------- a cluster going away
def _exit_on_partition(frame, target, folder, partition_info=None):
    number = partition_info["number"]
    if number != target:
        (folder / f"done{number}").touch()
        return frame
    # die once every other partition has run (on the other worker), so that
    # only this one is lost with its worker
    deadline = time.monotonic() + 30
    while len(list(folder.glob("done*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)                                  # their results reach the scheduler
    os._exit(1)                                      # the worker process dies


def _sleep_on_partition(frame, target, marker, partition_info=None):
    if partition_info["number"] == target:
        open(marker, "w").close()
        time.sleep(120)
    return frame


def test_a_worker_dying_names_its_partition(client, tmp_path):
    frame = dd.from_pandas(pd.DataFrame({"x": np.arange(40.0)}), npartitions=4)
    doomed = frame.map_partitions(_exit_on_partition, 2, tmp_path, meta=frame._meta)
    with pytest.raises(PartitionError, match=r"1 of 4 partitions failed: 2 ") as info:
        compute_partitions(doomed, client)
    assert info.value.failed == [2] and sorted(info.value.results) == [0, 1, 3]
    assert type(info.value.errors[2]).__name__ == "KilledWorker"
    client.wait_for_workers(2, timeout=60)          # the nannies restart the workers


def test_a_cluster_going_away_mid_job_names_the_lost_partitions(tmp_path):
    frame, _ = long_panel(20, 14)
    marker = tmp_path / "started"
    cluster = _cluster()
    try:
        with distributed.Client(cluster, set_as_default=False) as client:
            result = fit_many(dd.from_pandas(frame, npartitions=4), by="id", time="t",
                              order=1)
            slow = result.map_partitions(_sleep_on_partition, 1, str(marker),
                                         meta=result._meta)

            def close_when_started():
                deadline = time.monotonic() + 60
                while not marker.exists() and time.monotonic() < deadline:
                    time.sleep(0.05)
                cluster.close()

            closer = threading.Thread(target=close_when_started, daemon=True)
            closer.start()
            with pytest.raises(PartitionError, match="partitions failed: .*1") as info:
                compute_partitions(slow, client)
            closer.join()
    finally:
        cluster.close()
    assert 1 in info.value.failed
    assert set(info.value.failed) | set(info.value.results) == {0, 1, 2, 3}
    assert "the scheduler went away" in str(info.value)
