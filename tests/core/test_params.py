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


def test_the_db_reference_has_one_spelling_and_every_label():
    from servis_gui.core.db_reference import DbReference

    assert FeatureParams(db_ref="full_scale").db_ref is DbReference.FULL_SCALE
    assert FeatureParams(db_ref="max").db_ref is DbReference.CLIP_MAX  # settings saved before the enum
    for ref in DbReference:
        assert ref.unit.startswith("dB re") and ref.short and ref.description.startswith("dB re")
    with pytest.raises(ValueError):
        FeatureParams(db_ref=DbReference.GROUP_MAX)  # a comparison's reference, not a clip's
