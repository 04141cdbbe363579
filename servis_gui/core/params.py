"""Analysis parameters: one frozen value shared by the worker, the cache and the panes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from servis_gui.core.db_reference import CLIP_REFERENCES, DbReference


@dataclass(frozen=True)
class FeatureParams:
    """Parameters of the STFT / mel / MFCC analysis, with librosa's names and defaults.

    Parameters
    ----------
    sr : int or None
        Analysis sample rate; ``None`` keeps the file's native rate.
    n_fft, hop_length : int
        STFT size and hop in samples (window length = ``n_fft``, Hann, centred frames).
    n_mels : int
        Number of mel bands (Slaney scale and norm, as librosa).
    fmin, fmax : float
        Mel filterbank range in Hz; ``fmax=None`` means ``sr / 2``.
    n_mfcc : int
        Number of MFCCs (DCT-II, orthonormal, of the log-mel with ``ref=1.0``).
    db_ref : DbReference
        Reference of the displayed mel dB: ``CLIP_MAX``, the clip's own maximum (librosa's
        ``ref=np.max``), or ``FULL_SCALE``, fixed so that loud clips look louder. Its string
        value is accepted too.
    top_db : float
        Dynamic range kept below the clip's peak, as in ``librosa.power_to_db``.
    """

    sr: int | None = 16000
    n_fft: int = 2048
    hop_length: int = 512
    n_mels: int = 128
    fmin: float = 0.0
    fmax: float | None = None
    n_mfcc: int = 20
    db_ref: DbReference = DbReference.CLIP_MAX
    top_db: float = 80.0

    def __post_init__(self) -> None:
        if self.db_ref in {r.value for r in CLIP_REFERENCES} | {"max"}:
            object.__setattr__(self, "db_ref", DbReference(self.db_ref))
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))

    def problems(self) -> list[str]:
        """List what is inconsistent in these parameters (empty when they are valid)."""
        out = []
        if self.sr is not None and not 1000 <= self.sr <= 384000:
            out.append(f"sample rate {self.sr} Hz is outside 1000-384000 Hz")
        if self.n_fft < 16:
            out.append("n_fft must be at least 16")
        if not 1 <= self.hop_length <= self.n_fft:
            out.append("hop_length must be between 1 and n_fft")
        if self.n_mels < 1:
            out.append("n_mels must be at least 1")
        if not 1 <= self.n_mfcc <= self.n_mels:
            out.append(f"n_mfcc must be between 1 and n_mels ({self.n_mels})")
        if self.fmax is not None and self.fmax <= self.fmin:
            out.append("fmax must be above fmin")
        if self.db_ref not in CLIP_REFERENCES:
            out.append(f"unknown dB reference {self.db_ref!r}")
        if self.top_db <= 0:
            out.append("top_db must be positive")
        return out

    def with_changes(self, **changes: object) -> "FeatureParams":
        """Return a copy with some fields changed (validated)."""
        return replace(self, **changes)

    def fmax_for(self, sr: int) -> float:
        """The effective upper mel frequency for a clip at ``sr`` Hz."""
        return min(self.fmax, sr / 2) if self.fmax is not None else sr / 2
