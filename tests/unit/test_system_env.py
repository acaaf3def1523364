"""System programs started from the bundle get the user's library path, not the bundle's."""

from __future__ import annotations

from station.system_env import system_env


def test_the_bundle_library_path_is_put_back_for_system_programs() -> None:
    bundle = {"LD_LIBRARY_PATH": "/opt/bib-station/_internal:/usr/local/lib", "LD_LIBRARY_PATH_ORIG": "/usr/local/lib",
              "PATH": "/usr/bin"}
    assert system_env(bundle, frozen=True) == {"LD_LIBRARY_PATH": "/usr/local/lib", "PATH": "/usr/bin"}
    # The user had none: the bundle's goes away entirely.
    assert system_env({"LD_LIBRARY_PATH": "/opt/bib-station/_internal", "PATH": "/usr/bin"}, frozen=True) == {
        "PATH": "/usr/bin"}
    # From source nothing changes.
    assert system_env(bundle, frozen=False) == bundle


def test_the_camera_check_names_the_windows_privacy_switch_on_windows_only() -> None:
    from station.selfcheck import camera_privacy_hint

    assert "Let desktop apps access your camera" in camera_privacy_hint("win32").render("en")
    assert "デスクトップ アプリがカメラにアクセスできるようにする" in camera_privacy_hint("win32").render("ja")
    assert camera_privacy_hint("linux").render("en") == camera_privacy_hint("linux").render("ja") == ""
