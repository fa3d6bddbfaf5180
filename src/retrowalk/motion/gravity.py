"""Gravity and orientation for a device in any position.

Gravity is the slow part of the measured acceleration: a zero-phase low-pass filter of each axis
(cut-off :data:`GRAVITY_LOWPASS_HZ`) estimates it sample by sample, so a device that turns during
the recording is followed. The *vertical acceleration* is the projection of the acceleration on
the unit gravity vector minus the gravity magnitude: positive means accelerating upwards, it does
not depend on how the device is held, and it is unchanged if the file's axes are all negated.
"""

from __future__ import annotations

import numpy as np
from scipy import signal

from retrowalk.motion.recording import FloatArray

#: Cut-off of the gravity low-pass filter (Hz). Below the slowest step frequency considered
#: (0.6 Hz, see steps.STEP_BAND_HZ) so that steps do not leak into the gravity estimate.
GRAVITY_LOWPASS_HZ = 0.25
#: Standard gravity (m/s²), exact by definition (3rd CGPM, 1901); converts g to m/s².
STANDARD_GRAVITY_M_S2 = 9.80665


def gravity_m_s2(acc_m_s2: FloatArray, rate_hz: float) -> FloatArray:
    """Gravity in the device frame, (N, 3) m/s², from a uniformly sampled acceleration."""
    if acc_m_s2.shape[0] < 16:
        return np.repeat(acc_m_s2.mean(axis=0, keepdims=True), acc_m_s2.shape[0], axis=0)
    sos = signal.butter(2, GRAVITY_LOWPASS_HZ, "low", fs=rate_hz, output="sos")
    out: FloatArray = signal.sosfiltfilt(sos, acc_m_s2, axis=0)
    return out


def vertical_acceleration_m_s2(acc_m_s2: FloatArray, gravity: FloatArray) -> FloatArray:
    """Acceleration along gravity minus gravity (N,), m/s²; positive upwards."""
    g_norm = np.linalg.norm(gravity, axis=1)
    g_norm = np.where(g_norm > 0, g_norm, 1.0)
    along: FloatArray = np.einsum("ij,ij->i", acc_m_s2, gravity) / g_norm
    return along - g_norm


def horizontal_acceleration_m_s2(acc_m_s2: FloatArray, gravity: FloatArray) -> FloatArray:
    """Acceleration with its component along gravity removed, (N, 3) m/s², device frame."""
    g_norm = np.linalg.norm(gravity, axis=1, keepdims=True)
    unit = gravity / np.where(g_norm > 0, g_norm, 1.0)
    along = np.einsum("ij,ij->i", acc_m_s2, unit)[:, None]
    out: FloatArray = acc_m_s2 - along * unit
    return out


def rotation_to_vertical(gravity: FloatArray) -> FloatArray:
    """Rotation matrices (N, 3, 3) turning each gravity vector onto +z (Rodrigues' formula).

    ``R @ a`` expresses a device-frame vector ``a`` in a frame whose z axis points up; the
    heading of x and y in that frame is still the device's (no magnetometer is used).
    """
    g_norm = np.linalg.norm(gravity, axis=1, keepdims=True)
    u = gravity / np.where(g_norm > 0, g_norm, 1.0)
    z = np.array([0.0, 0.0, 1.0])
    v = np.cross(u, z)
    c = u @ z
    s2 = np.einsum("ij,ij->i", v, v)
    vx = np.zeros((u.shape[0], 3, 3))
    vx[:, 0, 1], vx[:, 0, 2] = -v[:, 2], v[:, 1]
    vx[:, 1, 0], vx[:, 1, 2] = v[:, 2], -v[:, 0]
    vx[:, 2, 0], vx[:, 2, 1] = -v[:, 1], v[:, 0]
    factor = np.where(s2 > 1e-12, (1 - c) / np.where(s2 > 1e-12, s2, 1.0), 0.0)
    rot: FloatArray = np.eye(3)[None] + vx + np.einsum("n,nij,njk->nik", factor, vx, vx)
    flipped = c < -1 + 1e-9  # gravity pointing down the z axis: rotate 180° about x
    rot[flipped] = np.diag([1.0, -1.0, -1.0])
    return rot
