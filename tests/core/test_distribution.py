"""Violin outlines, box figures and dot jitter (servis_gui.core.distribution)."""

import time

import numpy as np
import pytest
from scipy.stats import gaussian_kde

from servis_gui.core.distribution import box_figures, jitter, violin_outline


def test_the_violin_is_scipys_gaussian_kde_with_scotts_bandwidth_scaled_to_one():
    x = np.random.default_rng(1).normal(3.0, 2.0, 500)
    y, density = violin_outline(x)
    expected = gaussian_kde(x, bw_method="scott")(y)
    np.testing.assert_allclose(density, expected / expected.max(), atol=1e-5)
    assert y[0] == x.min() and y[-1] == x.max() and density.max() == 1.0


def test_a_bimodal_group_has_two_bulges_and_nan_is_ignored():
    rng = np.random.default_rng(2)
    x = np.concatenate([rng.normal(-5, 0.5, 300), rng.normal(5, 0.5, 300), [np.nan, np.inf]])
    y, density = violin_outline(x)
    assert density[np.argmin(np.abs(y))] < 0.05  # nothing between the modes
    assert density[np.argmin(np.abs(y + 5))] > 0.8 and density[np.argmin(np.abs(y - 5))] > 0.8


@pytest.mark.parametrize("values", [[], [1.0], [2.0, 2.0, 2.0], [np.nan, np.nan]])
def test_too_few_distinct_values_draw_no_violin(values):
    y, density = violin_outline(np.array(values))
    assert len(y) == len(density) == 0


def test_box_figures_are_the_quartiles_and_tukeys_whiskers():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 100.0])
    box = box_figures(x)
    assert (box.q1, box.median, box.q3) == (3.0, 5.0, 7.0)
    assert box.whisker_low == 1.0 and box.whisker_high == 8.0  # 100 is an outlier (> 7 + 1.5 * 4)
    assert np.isnan(box_figures(np.array([np.nan])).median)


def test_jitter_is_bounded_and_the_same_at_every_redraw():
    a = jitter(1000, 0.4)
    assert np.all(np.abs(a) <= 0.2) and a.std() > 0.1
    np.testing.assert_array_equal(a, jitter(1000, 0.4))


def test_ten_thousand_values_take_milliseconds():
    x = np.random.default_rng(3).normal(size=10_000)
    start = time.perf_counter()
    violin_outline(x)
    assert time.perf_counter() - start < 0.5  # a generous bound: it runs in ~2 ms; a full O(n*m) would too
