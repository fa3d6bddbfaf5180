"""Gravity estimate, vertical and horizontal acceleration, rotation to vertical."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.motion.gravity import (
    gravity_m_s2,
    horizontal_acceleration_m_s2,
    rotation_to_vertical,
    vertical_acceleration_m_s2,
)
from tests.motion.synthetic import rotation

ANGLES = st.tuples(*[st.floats(-np.pi, np.pi)] * 3)


@settings(max_examples=30, deadline=None)
@given(angles=ANGLES)
def test_a_still_device_has_gravity_along_its_tilt_and_no_vertical_acceleration(angles):
    rot = rotation(angles)
    acc = np.tile(np.array([0.0, 0.0, 9.81]) @ rot, (500, 1))
    g = gravity_m_s2(acc, 100.0)
    np.testing.assert_allclose(g, acc, atol=1e-9)
    np.testing.assert_allclose(vertical_acceleration_m_s2(acc, g), 0.0, atol=1e-9)
    np.testing.assert_allclose(horizontal_acceleration_m_s2(acc, g), 0.0, atol=1e-9)


def test_vertical_acceleration_is_positive_upwards():
    t = np.arange(0.0, 10.0, 0.01)
    up = 1.5 * np.sin(2 * np.pi * 2.0 * t)
    acc = np.column_stack([np.zeros_like(t), np.zeros_like(t), 9.81 + up])
    v = vertical_acceleration_m_s2(acc, gravity_m_s2(acc, 100.0))
    assert np.corrcoef(v[100:-100], up[100:-100])[0, 1] > 0.99


@settings(max_examples=30, deadline=None)
@given(angles=ANGLES)
def test_rotation_to_vertical_turns_gravity_onto_z(angles):
    g = np.array([[0.0, 0.0, 9.81]]) @ rotation(angles)
    r = rotation_to_vertical(g)
    np.testing.assert_allclose(r[0] @ g[0], [0.0, 0.0, 9.81], atol=1e-9)
    np.testing.assert_allclose(r[0] @ r[0].T, np.eye(3), atol=1e-9)


def test_rotation_to_vertical_upside_down():
    r = rotation_to_vertical(np.array([[0.0, 0.0, -9.81]]))
    np.testing.assert_allclose(r[0] @ [0.0, 0.0, -9.81], [0.0, 0.0, 9.81], atol=1e-12)
