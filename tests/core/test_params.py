import pytest

from servis_gui.core.params import FeatureParams


@pytest.mark.parametrize(
    "changes",
    [dict(n_fft=8), dict(hop_length=0), dict(hop_length=4096), dict(n_mels=0), dict(n_mfcc=200),
     dict(fmax=10.0, fmin=100.0), dict(sr=50), dict(top_db=0), dict(db_ref="loudest")],
)
def test_invalid_parameters_are_refused_with_a_reason(changes):
    with pytest.raises(ValueError, match=r"\w"):
        FeatureParams(**changes)


def test_fmax_is_clamped_to_nyquist():
    assert FeatureParams(fmax=12000.0).fmax_for(16000) == 8000
    assert FeatureParams().fmax_for(22050) == 11025
