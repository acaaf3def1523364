"""What the camera is doing, said in the window's language.

The camera code (station/scan/camera.py) names the state (`CameraState`) and says
why in a bilingual `Text` (`Grab.text`, a `CameraError`'s `message_text`); its
English is also the log's sentence. A window renders that text in its language.
Before the camera has said anything (or from an older sender that gave only an
English string) the state's own words stand in.
"""

from __future__ import annotations

from station.core.errors import StationError
from station.core.texts import NOTHING, Text
from station.scan.camera import CameraState

_STATE: dict[CameraState, Text] = {
    CameraState.LIVE: Text("カメラが動いています。", "The camera is on."),
    CameraState.NO_CAMERA: Text("カメラが見つかりません。"
                                "ウェブカメラをつなぐか、設定で別のカメラを選んでください。",
                                "No camera found: plug in the USB webcam, or choose another camera in the settings."),
    CameraState.BUSY: Text("カメラはありますが映像が来ません。"
                           "ほかのプログラム（ビデオ会議や別のステーションの画面など）が使っているようです。"
                           "そのプログラムを閉じてください。",
                           "The camera is there but gives no picture: another program is probably using it; "
                           "close it."),
    CameraState.RECONNECTING: Text("カメラの映像が途切れました。ケーブルを確認してください。"
                                   "つなぎ直せば映像は自動で戻ります。",
                                   "The camera stopped giving pictures. Check the USB cable; the picture comes back "
                                   "by itself once it is plugged in."),
    CameraState.FAILED: Text("設定されたカメラの動画や画像を読めません。設定を直してください。",
                             "The camera setting's video or pictures cannot be read; fix it in the settings."),
    CameraState.ENDED: Text("動画や画像を最後まで読みました。", "The video or pictures have been read to the end."),
}


def camera_text(state: str | CameraState, said: Text | str = "") -> Text:
    """The camera's state as a text: what the camera code said, or the state's own words."""
    if isinstance(said, Text) and said != NOTHING:
        return said
    try:
        known = CameraState(state)
    except ValueError:
        known = CameraState.FAILED
    words = _STATE[known]
    return Text(words.ja, "{message}", (("message", said),)) if said else words  # an English-only sender's words


def camera_setting_problem(setting: str, error: StationError) -> Text:
    """A camera setting that names no camera, video or picture folder (`source_for` refused it)."""
    return error.message_text
