"""What the camera is doing, said in the window's language.

The camera code (station/scan/camera.py) names the state (`CameraState`) and
says it in an English sentence for the log ("No camera found at camera 0: ...").
A window shows the state's own sentence in its language: in English the camera
code's sentence as it is (it names the camera), in Japanese the catalogue's.
"""

from __future__ import annotations

from station.core.errors import StationError
from station.core.texts import Text
from station.scan.camera import CameraState

_JAPANESE: dict[CameraState, str] = {
    CameraState.LIVE: "カメラが動いています。",
    CameraState.NO_CAMERA: "カメラが見つかりません。ウェブカメラをつなぐか、設定で別のカメラを選んでください。",
    CameraState.BUSY: "カメラはありますが映像が来ません。ほかのプログラム（ビデオ会議や別のステーションの画面など）が"
                      "使っているようです。そのプログラムを閉じてください。",
    CameraState.RECONNECTING: "カメラの映像が途切れました。ケーブルを確認してください。"
                              "つなぎ直せば映像は自動で戻ります。",
    CameraState.FAILED: "設定されたカメラの動画や画像を読めません。設定を直してください。",
    CameraState.ENDED: "動画や画像を最後まで読みました。",
}
_FALLBACK_EN = {
    CameraState.LIVE: "The camera is on.",
    CameraState.NO_CAMERA: "No camera found: plug in the USB webcam, or choose another camera in the settings.",
    CameraState.BUSY: "The camera is there but gives no picture: another program is probably using it; close it.",
    CameraState.RECONNECTING: "The camera stopped giving pictures. Check the USB cable; the picture comes back "
                              "by itself once it is plugged in.",
    CameraState.FAILED: "The camera setting's video or pictures cannot be read; fix it in the settings.",
    CameraState.ENDED: "The video or pictures have been read to the end.",
}
_BAD_SETTING = Text(
    "カメラの設定「{setting}」は、カメラの番号（0、1 …）でも、ある動画ファイルや画像フォルダーでもありません。"
    "設定で直してください。",
    "{message}")


def camera_text(state: str | CameraState, message: str = "") -> Text:
    """The camera's state as a text: Japanese from the catalogue, English the camera's own sentence."""
    try:
        known = CameraState(state)
    except ValueError:
        known = CameraState.FAILED
    return Text(_JAPANESE[known], "{message}", (("message", message or _FALLBACK_EN[known]),))


def camera_setting_problem(setting: str, error: StationError) -> Text:
    """A camera setting that names no camera, video or picture folder (`source_for` refused it)."""
    return _BAD_SETTING(setting=setting, message=str(error))
